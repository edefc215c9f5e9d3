"""Lesson 1: what a tensor is, how to make one, its dtype and shape, element-wise arithmetic."""

from lessons.checks import tensors as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="tensors",
    title="Tensors and dtypes",
    summary="Make tensors from lists and factories, read their shape and dtype, do arithmetic.",
    minutes=15,
    steps=[
        Prose("""
            # A tensor is a grid of numbers

            Everything a network reads, computes and learns is a **tensor**: a block of numbers
            along any number of axes, which PyTorch calls *dimensions*.

            - 0: a scalar, such as a loss value;
            - 1: a vector, the 3 features of a sample;
            - 2: a matrix, 64 samples by 3 features;
            - 3: a colour image, channels x H x W;
            - 4: a batch of images, N x C x H x W.

            A batch is one more dimension in front: 32 RGB images of 28 x 28 pixels are one
            tensor of shape `(32, 3, 28, 28)`.
        """),
        Choice(
            title="Shape of an image batch",
            prompt="You load 16 grey-scale images (one channel), each 64 pixels high and 48 wide. "
            "In PyTorch's usual layout, what is the shape of the batch?",
            options=["(16, 1, 64, 48)", "(16, 64, 48, 1)", "(64, 48, 16)", "(1, 16, 64, 48)"],
            answer="(16, 1, 64, 48)",
            why={
                "(16, 64, 48, 1)": "That is the channels-last layout some image libraries use; "
                "PyTorch's layers expect channels right after the batch.",
                "(64, 48, 16)": "The single channel still gets its own dimension, and the batch comes first.",
                "(1, 16, 64, 48)": "The batch size leads; the channel count comes second.",
            },
            explain="Batch first, then channels, then height and width: N x C x H x W.",
        ),
        Prose("""
            # From nested lists

            `torch.tensor` reads nested Python lists. Each level of nesting becomes one
            dimension, so the outer list's length is the first size:

            ```python
            import torch
            m = torch.tensor([[1, 2, 3],
                              [4, 5, 6]])
            m.shape     # torch.Size([2, 3]): rows, columns
            m.ndim      # 2
            ```

            `torch.Size` is a tuple underneath: `m.shape[0]` is `2`, and `m.shape == (2, 3)`.
        """),
        Typed(
            title="Shape from a list",
            prompt="What is the shape of `torch.tensor([[0, 1], [2, 3], [4, 5], [6, 7]])`?",
            answer="(4, 2)",
            form="shape",
            wrong_answers={"(2, 4)": "Count the outer list first: it holds four inner lists of two numbers each."},
            hint="Count the inner lists (the rows), then the numbers in one of them.",
            explain="Four inner lists of two numbers: shape (4, 2).",
        ),
        Try(
            title="Make a 4 x 5 tensor",
            prompt="The code below makes a 2 x 3 tensor of zeros. Change it so `z` has **4 rows and 5 "
            "columns**, then run it (`ctrl+j`, or `x` when you are not editing). The step checks `z.shape`.",
            code="z = torch.zeros(2, 3)\nz",
            solution="z = torch.zeros(4, 5)\nz",
            check="z.shape",
            expect="(4, 5)",
            form="shape",
            hint="The sizes you pass to torch.zeros are the shape, rows first.",
            explain="torch.zeros(4, 5): four rows of five zeros. The REPL's header shows the shape first.",
        ),
        Prose("""
            # One element

            One element is read or written by its row and column, counting from 0:

            ```python
            m[1, 2]         # tensor(6)
            m[0, 0] = 10    # writes in place
            m[0]            # tensor([10,  2,  3])
            ```
        """),
        Prose("""
            # dtype: what kind of number

            Every tensor holds one kind of number, its **dtype**. PyTorch picks one from the data
            unless you say which:

            ```python
            torch.tensor([1, 2, 3]).dtype    # torch.int64
            torch.tensor([1, 2, 3.0]).dtype  # torch.float32
            torch.tensor([True, False]).dtype  # torch.bool
            f = torch.tensor([1, 2], dtype=torch.float32)
            ```

            One float makes the whole tensor float. Networks compute in `float32`; integers
            count and index (class labels). Only floats have gradients.
        """),
        Typed(
            title="Inferred dtype",
            prompt="What dtype does `torch.tensor([[1, 2], [3, 4.5]])` get?",
            answer="torch.float32",
            form="dtype",
            placeholder="torch.bool",
            wrong_answers={"int64": "One element, 4.5, is a float, and one float makes the whole tensor floating-point."},
            hint="Look for any number with a decimal point.",
            explain="A single float in the data makes the whole tensor float32.",
        ),
        Prose("""
            # Factories: tensors without typing the numbers

            - `torch.zeros(2, 3)`: a 2 x 3 tensor of zeros;
            - `torch.ones(4)`: four ones;
            - `torch.rand(2, 2)`: uniform in [0, 1);
            - `torch.randn(3, 5)`: standard normal;
            - `torch.eye(3)`: the 3 x 3 identity;
            - `torch.arange(0, 10, 2)`: 0, 2, 4, 6, 8 (the end left out, as in `range`);
            - `torch.zeros_like(t)`: zeros shaped like `t`.

            Sizes go one by one or as a tuple: `torch.zeros((2, 3))` equals
            `torch.zeros(2, 3)`.
        """),
        Prose("""
            # Which dtype a factory makes

            `zeros`, `ones`, `rand`, `randn` and `eye` make `float32`; `arange` with whole
            numbers makes `int64`. The `_like` forms copy the tensor they are given: shape,
            device and dtype, so `torch.zeros_like(torch.tensor([1, 2]))` is `int64`.
        """),
        Typed(
            title="zeros_like's dtype",
            prompt="`counts = torch.tensor([3, 1, 4])`. What dtype is `torch.zeros_like(counts)`?",
            answer="torch.int64",
            form="dtype",
            placeholder="torch.bool",
            wrong_answers={"float32": "`zeros` alone would give float32, but `zeros_like` copies the dtype of "
                           "`counts`, whose whole numbers made it int64."},
            hint="A `_like` factory copies shape, dtype and device from its argument.",
            explain="`zeros_like` copies the dtype: `counts` holds whole numbers, so int64.",
        ),
        Typed(
            title="arange's length",
            prompt="How many elements does `torch.arange(3, 15, 3)` hold?",
            answer="4",
            form="number",
            wrong_answers={"5": "The end, 15, is left out: the values are 3, 6, 9 and 12."},
            hint="Write the values out: start at 3, add 3 each time, stop before 15.",
            explain="3, 6, 9, 12: four elements, since the end is excluded.",
        ),
        Prose("""
            # Arithmetic happens element by element

            An operator with a number applies to every element and keeps the shape:

            ```python
            t = torch.tensor([1, 2, 3, 4])
            t + 2     # tensor([3, 4, 5, 6])
            t ** 2    # tensor([ 1,  4,  9, 16])
            t % 3     # tensor([1, 2, 0, 1])
            (t / 2)[0]  # tensor(0.5000)
            ```

            `/` always gives floats. Two tensors of one shape combine element by element too:
            `t + t` doubles `t`. Different shapes are the next lesson: broadcasting.
        """),
        Choice(
            title="Element-wise power",
            prompt="What is `torch.tensor([[1, 2], [3, 4]]) ** 2`?",
            options=["tensor([[ 7, 10], [15, 22]])", "tensor([[ 1,  4], [ 9, 16]])", "tensor(30)"],
            answer="tensor([[ 1,  4], [ 9, 16]])",
            why={
                "tensor([[ 7, 10], [15, 22]])": "That is the matrix product of the tensor with itself (`m @ m`); "
                "`**` squares each element on its own.",
                "tensor(30)": "That is the sum of the squares; `**` keeps the shape.",
            },
            explain="`**` works element by element, so each number is squared and the shape stays (2, 2).",
        ),
        Prose("""
            # Ragged lists do not make a tensor

            A tensor is a full grid: every row must have the same length. This fails:

            ```python
            torch.tensor([[1, 2, 3], [4, 5]])
            # ValueError: expected sequence of length 3
            # at dim 1 (got 2)
            ```

            The message names the dimension (1, the inner lists) and the two lengths it found.
        """),
        Prose("""
            # Padding

            Real data is often ragged, such as sentences of different lengths. The usual fix is
            **padding**: fill the short rows with a value that means "nothing here", and keep a
            mask or the true lengths beside it:

            ```python
            rows = [[1, 2, 3], [4, 5]]
            width = max(len(r) for r in rows)
            padded = torch.tensor(
                [r + [0] * (width - len(r)) for r in rows])
            padded.shape    # torch.Size([2, 3])
            ```
        """),
        Typed(
            title="Padded shape",
            prompt="You pad the lists `[7]`, `[1, 2, 3, 4]` and `[5, 6]` with zeros to the longest "
            "one and make a tensor. What is its shape?",
            answer="(3, 4)",
            form="shape",
            placeholder="(5, 2)",
            wrong_answers={"(4, 3)": "There are three lists (rows), each padded to four numbers (columns)."},
            hint="Three lists; the longest holds four numbers.",
            explain="Three rows, each padded to the longest length, four: (3, 4).",
        ),
        Exercise(
            id="pad-sequences",
            title="Exercise: pad ragged lists",
            prompt="""
                Write `pad_sequences(seqs, value=0)`. `seqs` is a list of lists of numbers of
                different lengths. Return a 2-D tensor of shape `(len(seqs), longest)` where each
                row is one list, padded at the end with `value`.

                The dtype must be the one `torch.tensor` would infer from the numbers: whole
                numbers give `int64`, and any float gives `float32`.

                    pad_sequences([[1, 2, 3], [4, 5]])
                        ->  tensor([[1, 2, 3], [4, 5, 0]])
                    pad_sequences([[7], [1, 2]], value=-1)
                        ->  tensor([[ 7, -1], [ 1,  2]])
            """,
            names=["pad_sequences"],
            starter="""
                import torch


                def pad_sequences(seqs, value=0):
                    # Pad each list to the longest one,
                    # then make one tensor.
                    ...
            """,
            reference="""
                import torch


                def pad_sequences(seqs, value=0):
                    width = max(len(seq) for seq in seqs)
                    return torch.tensor([list(seq) + [value] * (width - len(seq)) for seq in seqs])
            """,
            tests=checks.PAD_TESTS,
            hints=[
                "`max(len(s) for s in seqs)` is the width every row needs.",
                "A list times a number repeats it: `[value] * 3` is three copies of `value`.",
                "Build padded Python lists first, then call `torch.tensor` once on the whole list, "
                "so it infers the dtype from all the numbers.",
            ],
        ),
        Exercise(
            id="powers",
            title="Exercise: a table of powers",
            prompt="""
                Write `powers(n)`, returning an `int64` tensor of shape `(n, 3)` whose row for
                `k` (from 1 to n) holds `k`, `k ** 2` and `k ** 3`.

                    powers(3)  ->  tensor([[ 1,  1,  1],
                                           [ 2,  4,  8],
                                           [ 3,  9, 27]])
            """,
            names=["powers"],
            starter="""
                import torch


                def powers(n):
                    ...
            """,
            reference="""
                import torch


                def powers(n):
                    return torch.tensor([[k, k ** 2, k ** 3] for k in range(1, n + 1)])
            """,
            tests=checks.POWERS_TESTS,
            hints=[
                "Nested lists make a 2-D tensor: one inner list per row.",
                "`range(1, n + 1)` counts k from 1 to n; each row is `[k, k ** 2, k ** 3]`.",
                "`torch.tensor([[k, k ** 2, k ** 3] for k in range(1, n + 1)])`: whole numbers give int64.",
            ],
        ),
        Exercise(
            id="checkerboard",
            title="Exercise: a checkerboard",
            prompt="""
                Write `checkerboard(n)`, returning an `n` x `n` `float32` tensor with `1.0` where
                the row plus the column number is even and `0.0` elsewhere (so the top-left corner
                is `1.0`).

                    checkerboard(3)  ->  tensor([[1., 0., 1.],
                                                 [0., 1., 0.],
                                                 [1., 0., 1.]])
            """,
            names=["checkerboard"],
            starter="""
                import torch


                def checkerboard(n):
                    board = torch.zeros(n, n)
                    ...
            """,
            reference="""
                import torch


                def checkerboard(n):
                    board = torch.zeros(n, n)
                    for row in range(n):
                        for col in range(n):
                            if (row + col) % 2 == 0:
                                board[row, col] = 1.0
                    return board
            """,
            tests=checks.CHECKERBOARD_TESTS,
            hints=[
                "You can set one element with `board[row, col] = 1.0`.",
                "Two loops over `range(n)` visit every cell; test `(row + col) % 2 == 0`.",
                "`torch.zeros` already makes float32; remember to return the board.",
            ],
        ),
        Prose("""
            # What you can do now

            - read a shape as the sizes of the dimensions, outermost first;
            - make tensors from lists or with `zeros`, `ones`, `rand`, `randn`, `eye`, `arange`
              and `zeros_like`;
            - tell which dtype PyTorch will infer, and ask for one with `dtype=`;
            - do element-wise arithmetic;
            - explain why ragged lists fail, and pad them;
            - grade your own code: exercises run hidden tests in a separate process, and each
              failed attempt shows one more hint.

            Next: multiplying matrices, and broadcasting tensors of different shapes.
        """),
    ],
)
