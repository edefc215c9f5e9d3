"""A lesson pack with one step of each kind, for the tests of keys, focus and footers on every step kind.

The ``kinds_pack`` fixture (tests/app/conftest.py) installs it and gives its package name.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

PACK_LESSON = '''
from tui.core.grading.cases import agrees
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="kinds",
    title="One step of each kind",
    summary="For the focus tests.",
    minutes=5,
    steps=[
        Prose("# Words\\nSome text and a block:\\n```python\\nt = 1\\n```"),
        Choice(title="Pick", prompt="Which?", options=["right", "wrong"], answer="right",
               why={"wrong": "It is the `wrong` one."}, explain="It is the right one."),
        Typed(title="Type", prompt="Shape of a 3 by 4 matrix?", answer="(3, 4)", form="shape",
              hint="Rows, then columns.", explain="3 rows and 4 columns."),
        Try(title="Try it", prompt="Run it.", code="z = 1\\nz"),
        Exercise(id="double", title="Exercise: double", prompt="Write `double(x)`.", names=["double"],
                 starter="def double(x):\\n    return x\\n", reference="def double(x):\\n    return 2 * x\\n",
                 tests=[agrees("double", lambda: [(1,), (2,)])], hints=["Times two."]),
        Launch(title="Open the stepper", tool="stepper", scenario="scalar", prompt="Press x."),
        Prose("# The end\\nDone."),
    ],
)
'''

KINDS = ["prose", "choice", "typed", "try", "exercise", "launch"]


def learner_state(app, screen) -> tuple:
    """Everything the learner could lose: what the step shows, the answers and drafts stored."""
    view = screen.view
    shown = tuple(w.text for w in view.query(TextArea)) + tuple(w.value for w in view.query(Input))
    step = screen.lesson.steps[screen.index]
    return shown, dict(app.store.answers("kinds")), app.store.exercise_state("kinds", step.id)
