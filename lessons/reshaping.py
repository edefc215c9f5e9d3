"""Lesson 3: changing a tensor's shape without changing its numbers: view, reshape, transpose, squeeze."""

from lessons.checks import reshaping as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="reshaping",
    title="Reshaping and views",
    summary="Rearrange a tensor's dimensions with view, reshape, flatten, transpose and squeeze.",
    minutes=20,
    steps=[
        Prose("""
            # Same numbers, new shape

            A tensor's numbers sit in memory as one long row; its shape says how to walk it.
            `view` and `reshape` give the same numbers a new shape of as many elements:

            ```python
            t = torch.arange(1, 16)     # 1, 2, ..., 15
            g = t.view(5, 3)            # 5 rows of 3
            g[1]                        # tensor([4, 5, 6])
            ```

            The numbers fill the new shape **row by row**: the last dimension changes fastest.
            One size may be `-1`, "whatever is left": `t.view(-1, 5)` is `(3, 5)`.
        """),
        Typed(
            title="Where does 8 land?",
            prompt="`g = torch.arange(1, 16).view(5, 3)`. What is `g[2, 1]`?",
            answer="8",
            form="number",
            placeholder="3",
            wrong_answers={"12": "That walks down columns. Rows fill first: row 0 is 1 2 3, row 1 is 4 5 6, row 2 is 7 8 9."},
            hint="Write the rows out: each holds three consecutive numbers.",
            explain="Row 2 is 7, 8, 9, and column 1 of it is 8.",
        ),
        Prose("""
            # A view shares memory

            `view` never copies: the new tensor is another window on the same memory, so a
            write through one shows in the other.

            ```python
            t = torch.zeros(6)
            v = t.view(2, 3)
            v[0, 0] = 7.0
            t[0]                        # tensor(7.)
            ```

            `reshape` returns a view when it can and a copy when it must. Use `view` to be
            sure of sharing (it fails rather than copy), `reshape` when only the shape matters.
        """),
        Prose("""
            # Transpose, and contiguity

            `x.T` and `x.transpose(0, 1)` swap two dims by changing the walking order: a view
            that is not **contiguous**.

            ```python
            x = torch.arange(6).view(2, 3)
            x.T.is_contiguous()         # False
            x.T.reshape(6)   # tensor([0, 3, 1, 4, 2, 5])
            x.T.view(6)
            # Error: RuntimeError (view size is not compatible)
            ```

            `reshape` copied, reading down the original's columns;
            `x.T.contiguous().view(6)` would too.
        """),
        Choice(
            title="view after transpose",
            prompt="`x = torch.randn(4, 6)`. Which of these raises an error?",
            options=["x.T.reshape(24)", "x.view(24)", "x.T.view(24)", "x.reshape(3, 8)"],
            answer="x.T.view(24)",
            why={
                "x.T.reshape(24)": "reshape copies when a view is impossible, so this works.",
                "x.view(24)": "x itself is contiguous, so any view of 24 elements works.",
                "x.reshape(3, 8)": "24 elements in, 24 out: fine.",
            },
            explain="The transpose is not contiguous, and view refuses to copy; reshape or .contiguous() first.",
        ),
        Prose("""
            # flatten, unsqueeze, squeeze

            ```python
            imgs = torch.randn(32, 3, 28, 28)
            imgs.flatten(1).shape   # (32, 2352): dim 0 kept
            imgs.flatten().shape    # (75264,)
            v = torch.randn(5)
            v.unsqueeze(0).shape    # (1, 5)
            v.unsqueeze(1).shape    # (5, 1)
            z = torch.zeros(1, 5, 1)
            z.squeeze().shape       # (5,): all size-1 dims
            z.squeeze(0).shape      # (5, 1): the one named
            ```

            Name the dimension to `squeeze`: a plain `squeeze()` also drops the batch dim of a
            batch of one, a bug that shows only when the batch size is 1.
        """),
        Try(
            title="Flatten a batch",
            prompt="Make `flat` the batch `imgs` with each image flattened to one row: shape "
            "`(32, 2352)`. Run it; the step checks `flat.shape`.",
            code="imgs = torch.randn(32, 3, 28, 28)\nflat = imgs\nflat.shape",
            solution="imgs = torch.randn(32, 3, 28, 28)\nflat = imgs.flatten(1)\nflat.shape",
            check="flat.shape",
            expect="(32, 2352)",
            form="shape",
            hint="flatten(1) keeps dimension 0 and merges the others; view(32, -1) works too.",
            explain="3 x 28 x 28 = 2352 numbers per image, one row each.",
        ),
        Launch(
            title="Trace the shapes",
            tool="inspector",
            scenario="trace",
            prompt="""
                The inspector's trace tab lists every torch operation of your last REPL run with
                its input and output shapes. Open it, run
                `torch.arange(24).view(2, 3, 4).transpose(0, 2).reshape(4, -1)` in its REPL and
                follow the shape through each step.
            """,
        ),
        Exercise(
            id="column-major",
            title="Exercise: fill down the columns",
            prompt="""
                Write `column_major(n, rows)`: the numbers `1` to `n` (an `int64` tensor) laid out
                in `rows` rows, filling each **column** from top to bottom before the next one.
                `n` is a multiple of `rows`.

                    column_major(6, 3)  ->  tensor([[1, 4],
                                                    [2, 5],
                                                    [3, 6]])
            """,
            names=["column_major"],
            starter="""
                import torch


                def column_major(n, rows):
                    return torch.arange(1, n + 1).view(rows, -1)
            """,
            reference="""
                import torch


                def column_major(n, rows):
                    return torch.arange(1, n + 1).view(-1, rows).T
            """,
            tests=checks.COLUMN_TESTS,
            hints=[
                "view fills row by row. What shape would put 1, 2, 3 in one row?",
                "Fill a `(n // rows, rows)` tensor row by row, then swap its dimensions.",
                "`torch.arange(1, n + 1).view(-1, rows).T`",
            ],
        ),
        Exercise(
            id="flatten-images",
            title="Exercise: images to rows",
            prompt="""
                Write `flatten_images(x)` for a batch `x` of shape `(N, C, H, W)`. Return shape
                `(N, C * H * W)`: one row per image. It must work for `N == 1` too.
            """,
            names=["flatten_images"],
            starter="""
                import torch


                def flatten_images(x):
                    ...
            """,
            reference="""
                import torch


                def flatten_images(x):
                    return x.flatten(1)
            """,
            tests=checks.FLATTEN_TESTS,
            hints=[
                "Keep the first dimension and merge the other three.",
                "`x.flatten(1)`, or `x.reshape(x.shape[0], -1)`; `squeeze` would lose N when it is 1.",
            ],
        ),
        Exercise(
            id="add-channel",
            title="Exercise: add a channel dimension",
            prompt="""
                Grey-scale images often come as `(N, H, W)`, but convolution layers want a channel
                dimension: `(N, 1, H, W)`. Write `add_channel(x)` that makes that change.
            """,
            names=["add_channel"],
            starter="""
                import torch


                def add_channel(x):
                    ...
            """,
            reference="""
                import torch


                def add_channel(x):
                    return x.unsqueeze(1)
            """,
            tests=checks.CHANNEL_TESTS,
            hints=[
                "A new size-1 dimension goes in at position 1.",
                "`x.unsqueeze(1)`, or `x[:, None]`.",
            ],
        ),
        Prose("""
            # What you can do now

            - reshape with `view` and `reshape`, knowing the numbers fill row by row;
            - tell a view (shared memory) from a copy, and what contiguity has to do with it;
            - transpose with `.T` and `transpose`;
            - `flatten` a batch, add size-1 dimensions with `unsqueeze`, drop them with `squeeze(dim)`.
        """),
    ],
)
