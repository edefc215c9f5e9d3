"""Lint: every prose code block runs, in order, as a learner who presses ``x`` on each would run it.

The learner sends a prose step's blocks to the REPL; a block that raises ``NameError`` because
it uses a name no earlier block made, or that stops at a deliberate error halfway without saying
so, teaches the wrong thing. So lint runs each lesson's blocks in a fresh interpreter holding what
the REPL starts with, in one child process per lesson (see :mod:`tui.core.lint.prose_child`, which
also checks values that comments state, such as ``x.shape  # torch.Size([2, 3])``). The same run
checks the numbers prose sentences state about the code ("`y` has shape `(2, 3)`", see
:mod:`tui.core.lint.prose_claims`), at the sentence's place in the lesson.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

from tui.core.lesson import Lesson
from tui.core.course.source import Problem, SourceLocation
from tui.core.lint.prose_claims import Claim, prose_claims
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


@dataclass
class ProseRun:
    """What running the prose found: problems, and how many sentence claims were found and checked."""

    problems: list[Problem] = field(default_factory=list)
    claims_found: int = 0
    claims_checked: int = 0
    """Claims whose subject the code defines and whose value could be compared."""


def prose_run_problems(lessons: list[Lesson], timeout: float = 60) -> list[Problem]:
    """Run the prose blocks of every lesson (one child process each) and report what failed."""
    return run_prose(lessons, timeout).problems


def run_prose(lessons: list[Lesson], timeout: float = 60) -> ProseRun:
    """Run the prose blocks of every lesson and check its sentences' claims (one child process each)."""
    jobs = [(lesson, prose_blocks(lesson), prose_claims(lesson)) for lesson in lessons]
    jobs = [job for job in jobs if job[1] or job[2]]
    run = ProseRun(claims_found=sum(len(claims) for _, _, claims in jobs))
    if not jobs:
        return run
    request = {"timeout": timeout, "lessons": [{"id": lesson.id, "blocks": [b.code for b in blocks],
                                                "claims": [c.to_job() for c in claims]}
                                               for lesson, blocks, claims in jobs]}
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "tui.core.lint.prose_child"], input=json.dumps(request), text=True,
                          capture_output=True, env=env, timeout=timeout * len(jobs) + 60)
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if len(answers) != len(jobs):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        run.problems.append(Problem(jobs[0][0].where, f"the prose runner stopped after {len(answers)} of {len(jobs)} "
                                                      f"lessons: {last}"))
        return run
    for (lesson, blocks, claims), answer in zip(jobs, answers):
        run.claims_checked += answer.get("claims_checked", 0)
        run.problems += [_problem(lesson, blocks, claims, finding) for finding in answer["findings"]]
    return run


def _problem(lesson: Lesson, blocks: list[Block], claims: list[Claim], finding: dict) -> Problem:
    """A finding of the prose runner as a problem at its file line."""
    if "claim" in finding:
        claim = claims[finding["claim"]]
        says = {"shape": "has shape {}", "dtype": "is {}", "parameters": "has {} parameters",
                "elements": "has {} elements", "raises": "raises {}",
                "same": "is `{}`"}.get(claim.kind, "is {}").format(claim.stated)
        return Problem(claim.where, f"lesson {lesson.id!r}, prose step {claim.step.id!r} says `{claim.subject}` "
                                    f"{says}, but it {finding['message']}: \"{claim.sentence}\"")
    index = finding["block"]
    if index < 0:
        return Problem(lesson.where, f"prose code of {lesson.id!r} {finding['message']}")
    block = blocks[index]
    line = block.where.line + max(finding["line"] - 1, 0)
    return Problem(SourceLocation(block.where.file, line),
                   f"prose step {block.step.id!r}, code block {index + 1} of the lesson, {finding['message']}")
