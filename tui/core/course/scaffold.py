"""``tensordojo new-lesson``: a lesson module with one step of each kind, ready to edit.

The module it writes lints clean and its exercise grades (a test checks both), so an author
starts from something that works and changes it a step at a time.
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.lesson import lesson_id_problem

TEMPLATE = '''"""Lesson {title}: replace this line with what the lesson teaches."""

from tui.core.grading.cases import agrees, agrees_on_random
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed


def worked_examples():
    """Fixed inputs for the exercise's first hidden test (torch is imported here, not at the top)."""
    import torch

    return [(torch.tensor([1.0, -2.0, 3.0]),), (torch.zeros(2, 2),)]


def random_inputs(d):
    """Random inputs for the second hidden test: a tensor of 1 to 3 dimensions of sizes 1 to 4."""
    return (d.tensor(*[d.int(1, 4) for _ in range(d.int(1, 3))]),)


LESSON = Lesson(
    id="{lesson_id}",
    title="{title}",
    summary="One line: what the learner can do after this lesson.",
    minutes=10,
    steps=[
        Prose("""
            # A first page

            Prose steps are Markdown. Python blocks can be sent to the REPL with x:

            ```python
            t = torch.arange(6).view(2, 3)
            t.shape
            ```

            Lint checks that exercises and try steps only call what prose steps have shown,
            such as `torch.ones(2, 4)` and `t.clamp(min=0)`.
        """),
        Choice(
            title="A multiple-choice question",
            prompt="What is the shape of `torch.arange(6).view(2, 3)`?",
            options=["(2, 3)", "(3, 2)", "(6,)"],
            answer="(2, 3)",
            why={{"(3, 2)": "view fills the rows first: 2 rows of 3.", "(6,)": "view changed the shape."}},
            explain="view(2, 3) gives 2 rows of 3.",
        ),
        Typed(
            title="A typed answer",
            prompt="What dtype does `torch.tensor([1, 2, 3])` have?",
            answer="torch.int64",
            form="dtype",
            placeholder="torch.bool",  # the input's sample answer: never the answer or a wrong one
            wrong_answers={{"float32": "Whole numbers make an integer tensor."}},
            hint="There is no decimal point in the data.",
            explain="Whole numbers give int64.",
        ),
        Try(
            title="Code to run",
            prompt="Make `z` a 2 x 4 tensor of ones and run it (ctrl+j). The step checks `z.shape`.",
            code="z = torch.ones(1, 1)\\nz",
            solution="z = torch.ones(2, 4)\\nz",
            check="z.shape",
            expect="(2, 4)",
            form="shape",
            hint="The sizes you pass to torch.ones are the shape.",
            explain="torch.ones(2, 4) has 2 rows of 4.",
        ),
        Launch(
            title="A tool of the app",
            tool="stepper",
            scenario="scalar",
            prompt="Press x to open the gradient stepper; b runs backward. escape comes back.",
        ),
        Exercise(
            id="clip-negatives",
            title="Exercise: clip the negatives",
            prompt="Write `clip_negatives(x)`: a copy of `x` with every negative value replaced by 0.",
            names=["clip_negatives"],
            starter="""
                import torch


                def clip_negatives(x):
                    ...
            """,
            reference="""
                import torch


                def clip_negatives(x):
                    return x.clamp(min=0)
            """,
            tests=[
                agrees("clip_negatives", worked_examples, title="worked examples"),
                agrees_on_random("clip_negatives", random_inputs, title="random shapes and values"),
            ],
            hints=["Compare each value with 0.", "`x.clamp(min=0)`, or `torch.relu(x)`."],
        ),
    ],
)
'''


class ScaffoldError(Exception):
    """The lesson cannot be written; the message says why."""


def module_name(lesson_id: str) -> str:
    """The file name for a lesson id: ``my-lesson`` is ``my_lesson.py``."""
    return lesson_id.replace("-", "_") + ".py"


def write_lesson(lesson_id: str, folder: Path) -> Path:
    """Write the scaffold for ``lesson_id`` into ``folder`` (created if needed) and return the file."""
    problem = lesson_id_problem(lesson_id)
    if problem:
        raise ScaffoldError(problem)
    target = folder / module_name(lesson_id)
    if target.exists():
        raise ScaffoldError(f"{target} already exists; pick another id or folder")
    title = re.sub(r"[-]+", " ", lesson_id).capitalize()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATE.format(lesson_id=lesson_id, title=title), encoding="utf-8")
    except OSError as error:
        raise ScaffoldError(f"cannot write {target}: {error.strerror or error}") from None
    return target
