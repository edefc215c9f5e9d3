"""One lesson holding every step kind, for the snapshots in tests/snapshots/test_step_kinds.py.

The code is meant to wrap: its longest line is wider than the step pane at 80 columns. Ids are
given explicitly; the snapshot tests find steps by them.
"""

from tui.core.grading.cases import agrees
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed


def worked_examples():
    """Fixed inputs for the exercise's one hidden test (no drawn values: nothing random to show)."""
    import torch

    return [(torch.tensor([[1.0, 2.0], [3.0, 4.0]]),)]


LESSON = Lesson(
    id="every-kind",
    title="Every step kind",
    summary="One step of each kind, for snapshots.",
    minutes=5,
    steps=[
        Prose("""
            # A page with wide code

            A batch of images goes through the model, and the loss compares its scores with the labels:

            ```python
            images, labels = torch.zeros(8, 1, 28, 28), torch.zeros(8, dtype=torch.long)
            scores = torch.nn.Linear(784, 10)(images.flatten(start_dim=1))  # one row per image
            loss = torch.nn.functional.cross_entropy(scores, labels, reduction="mean", label_smoothing=0.1)
            ```

            The last line is wider than the pane, so it wraps.
        """, id="wide-code"),
        Prose("""
            # Two code blocks

            Build a tensor:

            ```python
            t = torch.ones(3, 4)
            ```

            Then ask for its shape:

            ```python
            t.shape
            t.sum(dim=0)
            ```
        """, id="two-blocks"),
        Choice(
            id="pick-a-shape",
            title="Pick a shape",
            prompt="What is the shape of `torch.zeros(3, 4).T`?",
            options=["(3, 4)", "(4, 3)", "(12,)"],
            answer="(4, 3)",
            why={"(3, 4)": "`.T` swaps the two dimensions.", "(12,)": "`.T` keeps both dimensions."},
            explain="Transposing swaps rows and columns.",
        ),
        Typed(
            id="type-a-dtype",
            title="Type a dtype",
            prompt="What dtype does `torch.tensor([1.5, 2.5])` have?",
            answer="torch.float32",
            form="dtype",
            placeholder="torch.bool",
            wrong_answers={"float64": "torch picks float32 for Python floats."},
            hint="Python floats become the default float dtype.",
            explain="The default float dtype is float32.",
        ),
        Try(
            id="make-ones",
            title="Make a 2 x 4 tensor",
            prompt="Make `z` a 2 x 4 tensor of ones and run it (x). The step checks `z.shape`.",
            code="z = torch.ones(1, 1)\nz",
            solution="z = torch.ones(2, 4)\nz",
            check="z.shape",
            expect="(2, 4)",
            form="shape",
            hint="The sizes you pass to torch.ones are the shape.",
            explain="torch.ones(2, 4) has 2 rows of 4.",
        ),
        Launch(
            id="open-the-stepper",
            title="Open the stepper",
            tool="stepper",
            scenario="scalar",
            prompt="In the stepper, b runs backward: watch the gradient add up.",
        ),
        Exercise(
            id="row-totals",
            title="Exercise: row totals",
            prompt="Write `row_totals(x)`: the sum of each row of the 2-D tensor `x`, one number per row.",
            names=["row_totals"],
            starter="""
                import torch


                def row_totals(x):
                    ...
            """,
            reference="""
                import torch


                def row_totals(x):
                    return x.sum(dim=1)
            """,
            tests=[agrees("row_totals", worked_examples, title="worked examples")],
            hints=["A row's total adds the numbers across its columns.", "`x.sum(dim=1)`"],
        ),
    ],
)
