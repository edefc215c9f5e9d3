"""Lesson 5: sums, means, standard deviations and maxima, over all elements or along one dimension."""

from lessons.checks import reductions as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="reductions",
    title="Reductions over dim",
    summary="Sum, average and take maxima over a chosen dimension, and predict the shape that is left.",
    minutes=15,
    steps=[
        Prose("""
            # Many numbers in, fewer out

            A **reduction** combines numbers: `sum`, `mean`, `std`, `max`, `min`, `prod`. With
            no argument it combines everything into a 0-dimensional tensor:

            ```python
            x = torch.tensor([[1.0, 2.0, 3.0],
                              [4.0, 6.0, 8.0]])
            x.sum()        # tensor(24.)
            x.mean()       # tensor(4.)
            x.sum().item() # 24.0, a Python float
            ```

            `mean` and `std` need floating-point tensors; on an int64 tensor they raise an
            error asking for a float dtype.
        """),
        Prose("""
            # The dim you name is the dim that disappears

            Give a `dim` and the reduction runs **along** that dimension, removing it:

            ```python
            x.sum(dim=0)   # tensor([ 5.,  8., 11.])
            x.sum(dim=1)   # tensor([ 6., 18.])
            x.mean(dim=1)  # tensor([2., 6.])
            ```

            `dim=0` adds down the columns (the rows go), `dim=1` along each row. To average
            each **row**, reduce over the **columns**. `dim=-1` is the last dimension.
        """),
        Typed(
            title="Shape after a sum",
            prompt="`x = torch.randn(5, 7)`. What is the shape of `x.sum(dim=0)`?",
            answer="(7,)",
            form="shape",
            wrong_answers={
                "(5,)": "dim=0 is the dimension that disappears: the 5 goes, the 7 stays.",
                "(5, 7)": "That is x's own shape: a reduction over a dim removes that dim.",
            },
            hint="Cross out the size at position 0.",
            explain="Summing over dim 0 removes the 5, leaving (7,).",
        ),
        Choice(
            title="Average of each row",
            prompt="`scores` has shape `(batch, classes)`. Which gives one average per sample (per row)?",
            options=["scores.mean(dim=0)", "scores.mean(dim=1)", "scores.mean()"],
            answer="scores.mean(dim=1)",
            why={
                "scores.mean(dim=0)": "That averages down the columns: one value per class.",
                "scores.mean()": "That is one number for the whole batch.",
            },
            explain="Reducing over the classes (dim 1) leaves one value per row.",
        ),
        Prose("""
            # keepdim

            `keepdim=True` keeps the reduced dimension with size 1, which makes the result
            broadcast back against the input:

            ```python
            m = x.mean(dim=1, keepdim=True)
            m.shape     # torch.Size([2, 1])
            x - m       # each row minus its own mean
            ```

        """),
        Prose("""
            # max and argmax with a dim

            `max` with a `dim` returns the maxima and where they are; `argmax` only where.
            Over the classes, that turns a classifier's scores into labels.

            ```python
            values, indices = x.max(dim=1)
            indices     # tensor([2, 2])
            x.argmax(dim=1)   # tensor([2, 2])
            ```
        """),
        Try(
            title="Center the rows",
            prompt="Make `centered` hold each row of `x` minus that row's mean, so every row of it "
            "sums to 0. The code as given fails: run it, read why, then fix it. The step checks the "
            "total of absolute row sums, which should be 0.",
            code="x = torch.tensor([[1.0, 2.0, 3.0],\n                  [4.0, 6.0, 8.0]])\n"
            "centered = x - x.mean(dim=1)\ncentered",
            solution="x = torch.tensor([[1.0, 2.0, 3.0],\n                  [4.0, 6.0, 8.0]])\n"
            "m = x.mean(dim=1, keepdim=True)\ncentered = x - m\ncentered",
            check="round(centered.sum(dim=1).abs().sum().item(), 4)",
            expect="0",
            form="number",
            hint="x.mean(dim=1) has shape (2,), which lines up with the 3 columns and fails; keepdim=True makes it (2, 1).",
            explain="A (2, 1) column of means (keepdim=True, or unsqueeze(1)) broadcasts across each row.",
        ),
        Exercise(
            id="row-means",
            title="Exercise: row means",
            prompt="""
                Write `row_means(x)`: for a 2-D float tensor `x`, return the mean of each row,
                a tensor of shape `(rows,)`.
            """,
            names=["row_means"],
            starter="""
                import torch


                def row_means(x):
                    ...
            """,
            reference="""
                import torch


                def row_means(x):
                    return x.mean(dim=1)
            """,
            tests=checks.ROW_MEANS_TESTS,
            hints=[
                "Each row's mean combines the numbers across the columns.",
                "The dimension you name disappears: to keep the rows, reduce over dim 1.",
            ],
        ),
        Exercise(
            id="column-sums",
            title="Exercise: column sums",
            prompt="""
                Write `column_sums(x)`: for a 2-D tensor `x`, return the sum of each column, a
                tensor of shape `(columns,)`.
            """,
            names=["column_sums"],
            starter="""
                import torch


                def column_sums(x):
                    ...
            """,
            reference="""
                import torch


                def column_sums(x):
                    return x.sum(dim=0)
            """,
            tests=checks.COLUMN_SUMS_TESTS,
            hints=[
                "A column's sum adds the numbers of every row.",
                "Reduce over the rows, dim 0, so the columns remain.",
            ],
        ),
        Exercise(
            id="best-class",
            title="Exercise: predicted labels",
            prompt="""
                A classifier gives `scores` of shape `(batch, classes)`. Write `best_class(scores)`
                returning, for each sample, the index of its highest score: an `int64` tensor of
                shape `(batch,)`.
            """,
            names=["best_class"],
            starter="""
                import torch


                def best_class(scores):
                    ...
            """,
            reference="""
                import torch


                def best_class(scores):
                    return scores.argmax(dim=1)
            """,
            tests=checks.BEST_CLASS_TESTS,
            hints=["You want where the maximum is, not its value.", "`scores.argmax(dim=1)`, or the second result of `max(dim=1)`."],
        ),
        Prose("""
            # What you can do now

            - reduce a whole tensor, or along one `dim`, and say which dimension disappears;
            - average rows (`dim=1`) or columns (`dim=0`) on purpose;
            - keep a dimension with `keepdim=True` to broadcast the result back;
            - turn scores into labels with `argmax`.
        """),
    ],
)
