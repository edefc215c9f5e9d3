"""Lint: every prose code block runs, in order, as a learner who presses ``x`` on each would run it.

The learner sends a prose step's blocks to the REPL; a block that raises ``NameError`` because
it uses a name no earlier block made, or that stops at a deliberate error halfway without saying
so, teaches the wrong thing. So lint runs each lesson's blocks in a fresh interpreter holding what
the REPL starts with, in one child process per lesson (see :mod:`tui.core.lint.prose_child`, which
also checks values that comments state, such as ``x.shape  # torch.Size([2, 3])``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from tui.core.lesson import Lesson
from tui.core.course.source import Problem, SourceLocation
from tui.core.steps import Prose


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a prose step, and the file line its code starts on."""

    step: Prose
    code: str
    where: SourceLocation


def prose_blocks(lesson: Lesson) -> list[Block]:
    """The lesson's prose code blocks in order, each with the file line of its first code line."""
    blocks = []
    for step in lesson.steps:
        if not isinstance(step, Prose):
            continue
        lines, start = step.markdown.splitlines(), None
        for number, line in enumerate(lines, 1):
            if line.startswith("```") and start is None and line[3:].strip() in ("python", "py"):
                start = number
            elif line.startswith("```") and start is not None:
                code = "\n".join(lines[start:number - 1])
                # The markdown's first line sits on the line after ``Prose("""``.
                blocks.append(Block(step, code, SourceLocation(step.where.file, step.where.line + start + 1)))
                start = None
    return blocks


def prose_run_problems(lessons: list[Lesson], timeout: float = 60) -> list[Problem]:
    """Run the prose blocks of every lesson (one child process each) and report what failed."""
    jobs = [(lesson, prose_blocks(lesson)) for lesson in lessons]
    jobs = [(lesson, blocks) for lesson, blocks in jobs if blocks]
    if not jobs:
        return []
    request = {"timeout": timeout, "lessons": [{"id": l.id, "blocks": [b.code for b in bs]} for l, bs in jobs]}
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "tui.core.lint.prose_child"], input=json.dumps(request), text=True,
                          capture_output=True, env=env, timeout=timeout * len(jobs) + 60)
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if len(answers) != len(jobs):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Problem(jobs[0][0].where, f"the prose runner stopped after {len(answers)} of {len(jobs)} lessons: {last}")]
    problems = []
    for (lesson, blocks), answer in zip(jobs, answers):
        for finding in answer["findings"]:
            index = finding["block"]
            if index < 0:
                problems.append(Problem(lesson.where, f"prose code of {lesson.id!r} {finding['message']}"))
                continue
            block = blocks[index]
            line = block.where.line + max(finding["line"] - 1, 0)
            problems.append(Problem(SourceLocation(block.where.file, line),
                                    f"prose step {block.step.id!r}, code block {index + 1} of the lesson, "
                                    f"{finding['message']}"))
    return problems
