"""Lesson 17: finding shape bugs: print shapes, trace them, read the errors, and catch silent broadcasting."""

from lessons.checks import debugging_shapes as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="debugging-shapes",
    title="Debugging shapes",
    summary="Find shape bugs fast: print and trace shapes, read shape errors, and catch silent broadcasting.",
    minutes=20,
    steps=[
        Prose("""
            # Most bugs are shape bugs

            The first question when something breaks, or when a loss refuses to fall: **what
            shape is everything?** Print them, at the boundary of each step:

            ```python
            x, W = torch.randn(32, 8), torch.randn(8, 16)
            print(x.shape, W.shape, (x @ W).shape)
            ```

            To try a shape without data, `torch.empty(32, 8)` makes an unfilled tensor.
            In this app you rarely need the prints: the REPL header shows every result's shape,
            and the inspector lists every tensor variable with its shape, dtype and device.
        """),
        Launch(
            title="Trace a model",
            tool="inspector",
            scenario="trace",
            prompt="""
                In the workbench's REPL, run these three lines, then read the inspector's
                Trace tab: each layer with its input and output shapes. (Under 110 columns, f2
                switches between the REPL and the inspector, and t between its tabs.)

                ```python
                l1, l2 = nn.Linear(8, 16), nn.Linear(16, 4)
                m = nn.Sequential(l1, nn.ReLU(), l2)
                m(torch.randn(32, 8)).shape
                ```

                Then run `m(torch.randn(32, 9))` and read the explanation of the error.
            """,
        ),
        Prose("""
            # Reading a shape error

            PyTorch's messages name the shapes; find the dimension that disagreed.

            - `mat1 and mat2 shapes cannot be multiplied (32x9 and 8x16)`: a linear layer
              (or `@`) got 9 features where it expects 8.
            - `The size of tensor a (5) must match the size of tensor b (3) at
              non-singleton dimension 1`: broadcasting failed; right-align the shapes.
            - `Expected input batch_size (32) to match target batch_size (16)`: outputs
              and labels have different lengths.
        """),
        Prose("""
            # More errors, and a tracer

            - `view size is not compatible with input tensor's size and stride`: `view` on a
              non-contiguous tensor; use `reshape`.
            - `shape '[4, 5]' is invalid for input of size 24`: the element counts differ.

            `tensordojo trace script.py` runs a script with the same tracer and explanations
            as the REPL.
        """),
        Typed(
            title="Which dimension?",
            prompt="`a` has shape `(4, 5)` and `b` has shape `(3,)`. `a + b` fails. Which size in `a` "
            "does PyTorch compare with the 3?",
            answer="5",
            form="number",
            wrong_answers={
                "4": "Shapes line up from the right: the 3 meets a's last size, 5.",
                "3": "3 is b's own size; which of a's sizes, 4 or 5, stands against it?",
            },
            hint="Right-align the shapes.",
            explain="Right-aligned, (3,) meets the last dimension of a, which is 5.",
        ),
        Prose("""
            # The silent ones

            Worse than an error: a shape that broadcasts into nonsense.

            ```python
            model, x = nn.Linear(3, 1), torch.randn(8, 3)
            pred = model(x)      # (N, 1)
            y = torch.randn(8)   # (N,): the targets
            loss = ((pred - y) ** 2).mean()
            (pred - y).shape           # torch.Size([8, 8])
            ```

            Every prediction minus every target: training runs, and learns only the mean. Make
            both sides one shape (`pred.squeeze(1)`); `nn.MSELoss` warns about this.
        """),
        Try(
            title="Catch the (N, N)",
            prompt="This computes a loss from `(N, 1)` predictions and `(N,)` targets. Fix `diff` so "
            "its shape is `(N,)`. The step checks `diff.shape`.",
            code="pred = torch.randn(6, 1)\ny = torch.randn(6)\ndiff = pred - y\ndiff.shape",
            solution="pred = torch.randn(6, 1)\ny = torch.randn(6)\ndiff = pred.squeeze(1) - y\ndiff.shape",
            check="diff.shape",
            expect="(6,)",
            form="shape",
            hint="Drop pred's size-1 dimension with squeeze(1) before subtracting.",
            explain="With both sides (6,), the subtraction pairs each prediction with its own target.",
        ),
        Choice(
            title="A loss that trains badly",
            prompt="A regression model trains without errors but only learns to predict the average target. "
            "`pred.shape` is `(64, 1)`, `y.shape` is `(64,)`. What is the likely bug?",
            options=[
                "the learning rate is too low",
                "pred - y broadcasts to (64, 64)",
                "the model needs more layers",
            ],
            answer="pred - y broadcasts to (64, 64)",
            why={
                "the learning rate is too low": "Possible in general, but these shapes point straight at broadcasting.",
                "the model needs more layers": "A deeper model would learn the average too, for the same reason.",
            },
            explain="(64, 1) - (64,) compares every prediction with every target; the best answer to that is the mean.",
        ),
        Exercise(
            id="residuals",
            title="Exercise: residuals",
            prompt="""
                Write `residuals(pred, y)`: `pred` has shape `(N, 1)` and `y` shape `(N,)`. Return
                the `(N,)` tensor of `pred[i] - y[i]`.
            """,
            names=["residuals"],
            starter="""
                import torch


                def residuals(pred, y):
                    return pred - y
            """,
            reference="""
                import torch


                def residuals(pred, y):
                    return pred.squeeze(1) - y
            """,
            tests=checks.RESIDUAL_TESTS,
            hints=["What shape does `pred - y` have? Print it.", "Make pred `(N,)` first: `pred.squeeze(1)` or `pred[:, 0]`."],
        ),
        Exercise(
            id="mse",
            title="Exercise: a shape-proof MSE",
            prompt="""
                Write `mse(pred, y)` returning the mean squared error as a 0-dimensional tensor.
                Each of `pred` and `y` may come as `(N,)` or `(N, 1)`, in any combination; pair
                sample `i` with sample `i` in every case.
            """,
            names=["mse"],
            starter="""
                import torch


                def mse(pred, y):
                    return ((pred - y) ** 2).mean()
            """,
            reference="""
                import torch


                def mse(pred, y):
                    diff = pred.reshape(-1) - y.reshape(-1)
                    return (diff ** 2).mean()
            """,
            tests=checks.MSE_TESTS,
            hints=["Bring both to the same shape before subtracting.", "`reshape(-1)` (or `flatten()`) makes both `(N,)`."],
        ),
        Prose("""
            # Shapes without data

            To ask PyTorch for a shape without computing anything, make tensors on the `meta`
            device: they have a shape and a dtype but no numbers, so even huge ones cost
            nothing. A shape that does not fit raises the same `RuntimeError` as real data.

            ```python
            a = torch.empty(64, 1000, 784, device="meta")
            w = torch.empty(784, 10, device="meta")
            (a @ w).shape  # torch.Size([64, 1000, 10])
            torch.broadcast_shapes((4, 1), (3,))  # (4, 3)
            ```
        """),
        Exercise(
            id="matmul-shape",
            title="Exercise: a matmul's shape",
            prompt="""
                Write `matmul_shape(a, b)`: `a` and `b` are shapes (tuples), each of 2 or more
                dimensions. Return the shape of `A @ B` for tensors of those shapes, as a tuple,
                or raise `ValueError` when they cannot be multiplied. The last size of `a` must
                equal the second-to-last of `b`; the result is the leading (batch) dimensions,
                broadcast together, followed by `(a[-2], b[-1])`.
                You may compute it with the rules, or let PyTorch tell you, as long as
                incompatible shapes give a `ValueError`.
            """,
            names=["matmul_shape"],
            starter="""
                import torch


                def matmul_shape(a, b):
                    return a[:-1] + b[1:]
            """,
            reference="""
                import torch


                def matmul_shape(a, b):
                    A = torch.empty(a, device="meta")
                    B = torch.empty(b, device="meta")
                    try:
                        return tuple((A @ B).shape)
                    except RuntimeError as error:
                        raise ValueError(f"{a} @ {b}") from error
            """,
            tests=checks.MATMUL_SHAPE_TESTS,
            hints=[
                "Check the inner sizes first: `a[-1]` against `b[-2]`.",
                "The batch dimensions `a[:-2]` and `b[:-2]` broadcast: `torch.broadcast_shapes` does it (and raises "
                "RuntimeError when they can't).",
                "Or multiply empty tensors on the meta device and turn its RuntimeError into ValueError.",
            ],
        ),
        Prose("""
            # What you can do now

            - look at shapes first: the REPL header, the inspector, the trace;
            - read the common shape errors and find the dimension at fault;
            - spot broadcasting that runs but computes the wrong thing, and make shapes explicit.

            That is the whole first course. The training view (ctrl+p, "Training") is yours to
            experiment with.
        """),
    ],
)
