"""Lesson 2: matrix multiplication and its shapes, batched matmul, and the broadcasting rule."""

from lessons.checks import matmul_broadcasting as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Launch, Choice, Prose, Try, Typed

LESSON = Lesson(
    id="matmul-broadcasting",
    title="Matmul and broadcasting",
    summary="Predict the shape of a @ b, batch it, and combine tensors of different shapes.",
    minutes=20,
    steps=[
        Prose("""
            # `*` is not matrix multiplication

            Between two tensors, `*` multiplies matching elements. The matrix product, which every
            linear layer computes, is written `@` (or `torch.matmul`):

            ```python
            a = torch.tensor([[1., 2.], [3., 4.]])
            a * a   # tensor([[ 1.,  4.], [ 9., 16.]])
            a @ a   # tensor([[ 7., 10.], [15., 22.]])
            ```

            `a * a` squares each element; `a @ a` takes rows of `a` times columns of `a`. Each entry of `a @ b` is a dot product: row *i* of `a` against column *j* of `b`,
            summed. That only works when a row of `a` is as long as a column of `b`.
        """),
        Prose("""
            # The shape rule for `@`

            For 2-D tensors, `(n, k) @ (k, m)` gives `(n, m)`. The two inner sizes must agree, and
            they disappear; the outer sizes stay:

            ```text
              (3, 2) @ (2, 4)  ->  (3, 4)
                  '-----'
                 must match
            ```

        """),
        Prose("""
            # When the inner sizes differ

            PyTorch stops with an error that prints both shapes:

            ```python
            torch.randn(3, 2) @ torch.randn(3, 4)
            # Error: RuntimeError (3x2 and 3x4)
            ```

            The message says `mat1 and mat2 shapes cannot be multiplied (3x2 and 3x4)`: read
            it as "2 and 3 should have been equal". Often the fix is to transpose one side:
            `torch.randn(3, 2).T @ torch.randn(3, 4)` is `(2, 3) @ (3, 4)`, giving `(2, 4)`.
        """),
        Typed(
            title="Shape of a product",
            prompt="`a` has shape `(5, 3)` and `b` has shape `(3, 7)`. What is the shape of `a @ b`?",
            answer="(5, 7)",
            form="shape",
            wrong_answers={
                "(7, 5)": "The outer sizes stay in order: first a's rows, then b's columns.",
                "(3, 3)": "The inner size 3 is the one that disappears; the outer sizes remain.",
            },
            hint="The inner sizes (3 and 3) match and vanish; the outer ones stay in order.",
            explain="(5, 3) @ (3, 7): the 3s meet and vanish, leaving (5, 7).",
        ),
        Choice(
            title="Which product works",
            prompt="`x` has shape `(4, 6)` and `w` has shape `(4, 6)`. Which expression is a valid matrix product?",
            options=["x @ w", "x @ w.T", "x.T @ x.T"],
            answer="x @ w.T",
            why={
                "x @ w": "(4, 6) @ (4, 6): the inner sizes are 6 and 4, which differ.",
                "x.T @ x.T": "(6, 4) @ (6, 4): the inner sizes are 4 and 6, which differ.",
            },
            explain="`w.T` has shape (6, 4), so (4, 6) @ (6, 4) works and gives (4, 4).",
        ),
        Try(
            title="Fix the product",
            prompt="This code fails: the inner sizes of `a @ b` do not match. Change **only the shape "
            "of `b`** so that `c` comes out as a 3 x 4 matrix, and run it. The step checks `c.shape`.",
            code="a = torch.randn(3, 2)\nb = torch.randn(3, 4)\nc = a @ b\nc.shape",
            solution="a = torch.randn(3, 2)\nb = torch.randn(2, 4)\nc = a @ b\nc.shape",
            check="c.shape",
            expect="(3, 4)",
            form="shape",
            hint="a is (3, 2), so b's first size must be 2; its second size becomes c's columns.",
            explain="With b of shape (2, 4), (3, 2) @ (2, 4) gives (3, 4).",
        ),
        Prose("""
            # Batched matmul

            `@` with more than two dimensions treats the last two as matrices and the ones in
            front as a **batch**: one product per batch entry, all at once.

            ```python
            A = torch.randn(7, 3, 1)   # 7 columns of 3
            B = torch.randn(7, 1, 5)   # 7 rows of 5
            (A @ B).shape    # torch.Size([7, 3, 5])
            ```

            The 2-D rule on the last two sizes, `(3, 1) @ (1, 5)` is `(3, 5)`, with the batch
            carried in front. Batch sizes follow the broadcasting rule, coming next.
        """),
        Typed(
            title="Batched shape",
            prompt="What is the shape of `torch.randn(10, 4, 1) @ torch.randn(10, 1, 6)`?",
            answer="(10, 4, 6)",
            form="shape",
            wrong_answers={"(4, 6)": "The batch of 10 is kept: there is one (4, 6) result per batch entry."},
            hint="Apply the 2-D rule to the last two sizes, and keep the batch size in front.",
            explain="Each of the 10 products is (4, 1) @ (1, 6) = (4, 6), so the result is (10, 4, 6).",
        ),
        Prose("""
            # Broadcasting: combining different shapes

            Element-wise operations also accept tensors whose shapes differ, when the shapes are
            **compatible**. PyTorch compares them like this:

            1. Write the shapes right-aligned, one above the other.
            2. Where one shape is shorter, pretend it has extra sizes of 1 on the left.
            3. In every column the two sizes must be equal, or one of them must be 1.
            4. A size of 1 is stretched (without copying) to match the other.
        """),
        Prose("""
            # Two shapes, side by side

            ```text
              (5, 1, 4)          (4, 3)
              (   3, 1)          (   4)
              ---------          ------
              (5, 3, 4)  ok      3 vs 4: error
            ```

            The failing case reads: `The size of tensor a (3) must match the size of tensor b
            (4) at non-singleton dimension 1`.
        """),
        Typed(
            title="Broadcast result",
            prompt="What is the shape of `torch.ones(8, 1, 6) + torch.ones(7, 1)`?",
            answer="(8, 7, 6)",
            form="shape",
            wrong_answers={"(8, 1, 6)": "The 1 in (8, 1, 6) is stretched to 7, and the 1 in (7, 1) to 6."},
            hint="Right-align: (8, 1, 6) over (1, 7, 1); each column takes the size that is not 1.",
            explain="Padded to (1, 7, 1), the columns give 8, 7 and 6: the result is (8, 7, 6).",
        ),
        Choice(
            title="Compatible or not",
            prompt="Which pair of shapes can **not** be broadcast together?",
            options=["(2, 3) and (3,)", "(2, 3) and (2, 1)", "(2, 3) and (2,)", "(2, 3) and (1, 1)"],
            answer="(2, 3) and (2,)",
            why={
                "(2, 3) and (3,)": "(3,) lines up with the last size, 3: equal, so it works.",
                "(2, 3) and (2, 1)": "2 matches 2, and the 1 stretches to 3: it works.",
                "(2, 3) and (1, 1)": "Both 1s stretch: it works and gives (2, 3).",
            },
            explain="(2,) is right-aligned against the last size, 3, and 2 vs 3 is neither equal nor 1.",
        ),
        Prose("""
            # Adding a bias to a batch

            A linear layer computes `x @ W + b`: the product is one row per sample, and a bias
            of one number per output is added to **every row** by broadcasting:

            ```python
            x = torch.randn(64, 3)
            W = torch.randn(3, 2)
            b = torch.tensor([0.5, -1.0])
            (x @ W + b).shape    # torch.Size([64, 2])
            ```

            A `(64, 1)` bias by mistake would still work, adding one number per *row* instead
            of per *output*: broadcasting never flags a legal but wrong shape.
        """),
        Typed(
            title="Bias shape",
            prompt="A batch of 32 samples goes through `x @ W` to give shape `(32, 10)`. What shape "
            "should a bias have so that each of the 10 outputs gets its own value?",
            answer="(10,)",
            form="shape",
            accept=["(1, 10)"],
            wrong_answers={
                "(32,)": "(32,) lines up with the last size, 10, and fails; a per-sample bias is not what a layer has.",
                "(32, 1)": "That broadcasts, but adds one number per sample, not one per output.",
                "(32, 10)": "That works numerically but is a separate bias for every sample; a layer has one per output.",
            },
            hint="One value per output column, shared by all rows.",
            explain="(10,) (or (1, 10)) lines up with the 10 outputs and is shared by all 32 rows.",
        ),
        Prose("""
            # Adding a size-1 dimension

            A per-sample scale `s` of shape `(4,)` against a batch `(4, 3)` lines up with the 3
            and fails. Add a size-1 dim where it should stretch, with `unsqueeze` or `None`:

            ```python
            X = torch.ones(4, 3)
            s = torch.tensor([1.0, 2.0, 3.0, 4.0])
            s.unsqueeze(1).shape  # torch.Size([4, 1])
            s[:, None].shape      # torch.Size([4, 1])
            (X * s[:, None]).shape  # torch.Size([4, 3])
            ```

            To add along a dim, `t.sum(dim=1)` sums each row (more in lesson 5).
        """),
        Typed(
            title="Where the 1 goes",
            prompt="`v = torch.zeros(5)`. What is the shape of `v[None, :, None]`?",
            answer="(1, 5, 1)",
            form="shape",
            wrong_answers={"(5, 1, 1)": "Each `None` adds a size-1 dim where it stands: before and after the 5."},
            hint="Read the index left to right: None, the 5 values, None.",
            explain="A size-1 dim before, the 5 values, a size-1 dim after: (1, 5, 1).",
        ),
        Launch(
            title="See broadcasting in the inspector",
            tool="inspector",
            scenario="broadcast",
            prompt="""
                The workbench's broadcast tool lines two shapes up the way PyTorch does. In it,
                type `64, 3` and `3`, then `32, 10` and `32` (which fails), then `5, 1, 4` and
                `3, 1`. Each time, read which dimension is stretched.
            """,
        ),
        Exercise(
            id="batched-outer",
            title="Exercise: batched outer products",
            prompt="""
                Write `batched_outer(a, b)`. `a` has shape `(B, m)` and `b` has shape `(B, n)`.
                Return a tensor of shape `(B, m, n)` whose `[i]` is the outer product of `a[i]`
                and `b[i]`: element `[i, j, k]` is `a[i, j] * b[i, k]`. No Python loops needed.
            """,
            names=["batched_outer"],
            starter="""
                import torch


                def batched_outer(a, b):
                    ...
            """,
            reference="""
                import torch


                def batched_outer(a, b):
                    return a.unsqueeze(2) @ b.unsqueeze(1)
            """,
            tests=checks.OUTER_TESTS,
            hints=[
                "Think of each `a[i]` as a column `(m, 1)` and each `b[i]` as a row `(1, n)`.",
                "`a[:, :, None]` has shape `(B, m, 1)`; `b[:, None, :]` has shape `(B, 1, n)`.",
                "Either `@` (a batched `(m, 1) @ (1, n)`) or `*` (broadcasting) of those two gives `(B, m, n)`.",
            ],
        ),
        Exercise(
            id="pairwise-sq-dists",
            title="Exercise: all pairwise distances",
            prompt="""
                Write `pairwise_sq_dists(A, B)` for points `A` of shape `(n, d)` and `B` of shape
                `(m, d)`. Return the `(n, m)` tensor of squared distances: element `[i, j]` is
                `((A[i] - B[j]) ** 2).sum()`. Use broadcasting rather than loops.
            """,
            names=["pairwise_sq_dists"],
            starter="""
                import torch


                def pairwise_sq_dists(A, B):
                    ...
            """,
            reference="""
                import torch


                def pairwise_sq_dists(A, B):
                    diff = A[:, None, :] - B[None, :, :]
                    return (diff ** 2).sum(dim=2)
            """,
            tests=checks.DIST_TESTS,
            hints=[
                "Aim for a `(n, m, d)` tensor of differences first, then sum away the last dimension.",
                "`A[:, None, :]` is `(n, 1, d)` and `B[None, :, :]` is `(1, m, d)`: they broadcast to `(n, m, d)`.",
                "`(diff ** 2).sum(dim=2)` leaves `(n, m)`.",
            ],
        ),
        Exercise(
            id="scale-rows",
            title="Exercise: one weight per sample",
            prompt="""
                Write `scale_rows(X, s)`: `X` has shape `(N, F)` and `s` has shape `(N,)`, one
                weight per sample. Return `X` with row `i` multiplied by `s[i]`. Careful: when
                `N == F`, the obvious `X * s` runs without error and does something else.
            """,
            names=["scale_rows"],
            starter="""
                import torch


                def scale_rows(X, s):
                    return X * s
            """,
            reference="""
                import torch


                def scale_rows(X, s):
                    return X * s.unsqueeze(1)
            """,
            tests=checks.SCALE_TESTS,
            hints=[
                "Right-align the shapes: `(N, F)` against `(N,)` pairs `N` of `s` with `F` of `X`.",
                "`s` must become a column, `(N, 1)`, so it lines up with the rows.",
                "`s.unsqueeze(1)` or `s[:, None]` is `(N, 1)`.",
            ],
        ),
        Prose("""
            # What you can do now

            - tell `*` (element-wise) from `@` (matrix product);
            - predict `(n, k) @ (k, m)` as `(n, m)`, and read the error when the inner sizes differ;
            - batch matrix products with leading dimensions;
            - apply the broadcasting rule: right-align, pad with 1s, equal or 1 in every column;
            - add a bias to a whole batch, and spot a bias of the wrong shape;
            - build outer products and distance tables with broadcasting instead of loops.
        """),
    ],
)
