"""Lesson 6: picking elements, rows, columns and slices out of tensors, and .item()."""

from lessons.checks import indexing as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="indexing",
    title="Indexing and slicing",
    summary="Take elements, rows, columns and slices of any tensor, and get plain numbers out with .item().",
    minutes=15,
    steps=[
        Prose("""
            # One index per dimension

            Like nested lists, but every dimension's index goes in one pair of brackets:

            ```python
            x = torch.arange(24).view(2, 3, 4)
            x[0].shape  # torch.Size([3, 4])
            x[0, 1]     # tensor([4, 5, 6, 7])
            x[0, 1, 2]  # tensor(6), shape ()
            x[1, :, 0]  # tensor([12, 16, 20])
            ```

            `x[1, :, 0]` is block 1, every row, column 0. A whole-number index removes its
            dimension; `:`, or leaving a dimension out, keeps it whole.
        """),
        Typed(
            title="Shape of a slice",
            prompt="`x = torch.randn(2, 3, 4)`. What is the shape of `x[:, 1]`?",
            answer="(2, 4)",
            form="shape",
            placeholder="e.g. (5, 6)",
            wrong_answers={
                "(2, 1, 4)": "A plain number as an index removes its dimension; only `:` keeps one.",
                "(3, 4)": "That is `x[1]`: the first index picks along dim 0. Here `:` keeps dim 0 whole.",
                "(2, 3)": "The 1 indexes dim 1 (the 3), not the last one; the 4, not indexed at all, stays.",
            },
            hint="`:` keeps the 2, the number 1 removes the 3, and the 4 is not indexed at all.",
            explain="The `:` keeps the 2, the 1 removes the 3, and the 4, left out, stays whole: (2, 4).",
        ),
        Prose("""
            # Ranges, and slicing several dimensions

            A slice `start:stop:step` keeps a range, with the stop left out:

            ```python
            m = torch.arange(20).view(4, 5)
            m[:, 0]       # tensor([ 0,  5, 10, 15])
            m[1:3].shape  # torch.Size([2, 5])
            m[:, -2:].shape   # torch.Size([4, 2])
            m[::2, 1:4].shape # torch.Size([2, 3])
            ```

            `m[:, 0]` is the first column; `1:3` rows 1 and 2; `-2:` the last two; `::2`
            every other row. Slices return **views**: writing into `m[:, 0]` changes `m`.
        """),
        Choice(
            title="The last column",
            prompt="Which expression gives the last column of a 2-D tensor `m`, as a 1-D tensor?",
            options=["m[:, -1:]", "m[-1]", "m[:, -1]", "m[-1, :]"],
            answer="m[:, -1]",
            why={
                "m[-1]": "That is the last row.",
                "m[:, -1:]": "That is the last column, but as a 2-D tensor of shape (rows, 1): a slice keeps the dimension.",
                "m[-1, :]": "That is the last row, written out in full.",
            },
            explain="`:` keeps every row; `-1` picks the last column and removes that dimension.",
        ),
        Prose("""
            # Lists as indices

            A list (or an int64 tensor) of indices picks those positions, in that order,
            repeats allowed. Unlike slices, the result is a **copy**:

            ```python
            m[[0, 2, 3]].shape  # torch.Size([3, 5])
            m[[3, 3]]           # row 3 twice
            m[:, [4, 0]]        # columns 4 and 0
            m[m > 10]           # a mask: 1-D, above 10
            ```

            This is how a batch is drawn from a dataset: `X[idx]` with random indices `idx`.
        """),
        Try(
            title="Pick three rows",
            prompt="Make `picked` hold rows 0, 2 and 4 of `m`, in that order. The step checks "
            "`picked.tolist()`.",
            code="m = torch.arange(12).view(6, 2)\npicked = m[0]\npicked",
            solution="m = torch.arange(12).view(6, 2)\npicked = m[[0, 2, 4]]\npicked",
            check="picked.tolist()",
            expect="[[0, 1], [4, 5], [8, 9]]",
            form="text",
            hint="Put the row numbers in a list inside the brackets: m[[0, 2, 4]]. m[0:5:2] works too.",
            explain="Rows 0, 2 and 4, two columns each: a list (`m[[0, 2, 4]]`) or a slice (`m[0:5:2]`) picks them.",
        ),
        Prose("""
            # .item(): a number out of a tensor

            `x[0, 1, 2]` is still a (0-d) tensor; `.item()` makes a one-element tensor a
            Python number:

            ```python
            w = torch.tensor([0.5, 2.0])
            loss = (w ** 2).mean()
            loss          # tensor(2.1250)
            loss.item()   # 2.125
            ```

            Log a loss as `loss.item()`: a loss that tracks gradients (lesson 7) would keep
            its computation graph alive in your list, so memory grows each step. On a GPU
            `.item()` also waits for the result (see the GPU lesson).
        """),
        Exercise(
            id="first-column",
            title="Exercise: the first column",
            prompt="Write `first_column(x)`: for a 2-D tensor `x`, return its first column as a 1-D tensor.",
            names=["first_column"],
            starter="""
                import torch


                def first_column(x):
                    return x[0]
            """,
            reference="""
                import torch


                def first_column(x):
                    return x[:, 0]
            """,
            tests=checks.FIRST_COLUMN_TESTS,
            hints=["`x[0]` is the first row.", "Keep every row with `:` and pick column 0: `x[:, 0]`."],
        ),
        Exercise(
            id="pick-rows",
            title="Exercise: pick rows by number",
            prompt="""
                Write `pick_rows(m, rows)`: `m` is a 2-D tensor and `rows` a list of row numbers
                (repeats allowed). Return those rows of `m` in that order, shape `(len(rows), columns)`.
            """,
            names=["pick_rows"],
            starter="""
                import torch


                def pick_rows(m, rows):
                    ...
            """,
            reference="""
                import torch


                def pick_rows(m, rows):
                    return m[rows]
            """,
            tests=checks.PICK_ROWS_TESTS,
            hints=["A list inside the brackets picks positions.", "`m[rows]`; `torch.stack([m[i] for i in rows])` works too."],
        ),
        Exercise(
            id="last-value",
            title="Exercise: the last number",
            prompt="""
                Write `last_value(x)`: return the last element of a tensor of any shape (the one
                at index `-1` in every dimension) as a plain Python number, not a tensor.
            """,
            names=["last_value"],
            starter="""
                import torch


                def last_value(x):
                    return x.flatten()[-1]
            """,
            reference="""
                import torch


                def last_value(x):
                    return x.reshape(-1)[-1].item()
            """,
            tests=checks.LAST_VALUE_TESTS,
            hints=["Indexing gives a 0-dimensional tensor, not a number.", "Call `.item()` on the one-element tensor."],
        ),
        Prose("""
            # What you can do now

            - index every dimension at once, and predict the resulting shape;
            - slice ranges (views) and pick lists or masks of positions (copies);
            - get plain numbers with `.item()`, and log losses with it.
        """),
    ],
)
