"""Lesson 7: autograd: requires_grad, backward, .grad accumulating, zeroing, detach and no_grad."""

from lessons.checks import autograd as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="autograd",
    title="Autograd and gradient accumulation",
    summary="Let PyTorch compute derivatives, and see why .grad adds up until you zero it.",
    minutes=20,
    steps=[
        Prose("""
            # Derivatives for free

            PyTorch records the operations on tensors marked `requires_grad=True`;
            `backward()` walks that record in reverse, applying the chain rule:

            ```python
            torch.tensor(2.0).requires_grad   # False
            x = torch.tensor(2.0, requires_grad=True)
            x.grad          # None: nothing computed yet
            y = 3 * x ** 2
            y.backward()    # dy/dx = 6x
            x.grad          # tensor(12.)
            ```
        """),
        Prose("""
            # Leaves and the record

            Tracking is off unless you ask for it, and only floating-point tensors can require
            gradients. A result remembers how it was made in `.grad_fn`; tensors you
            create have `grad_fn=None` and are **leaves**, where gradients land.
            To track a copy of someone else's tensor `t` and leave `t` alone:
            `t.detach().clone().requires_grad_()`.

            ```python
            a = torch.tensor(1.0, requires_grad=True)
            b = a * 2
            b.grad_fn             # a MulBackward0
            a.is_leaf, b.is_leaf  # (True, False)
            ```
        """),
        Choice(
            title="Tracked by default?",
            prompt="`w = torch.randn(3, 2)`, then `loss = (w ** 2).sum()`. What does `loss.backward()` do?",
            options=["fills w.grad", "returns the gradient", "raises a RuntimeError"],
            answer="raises a RuntimeError",
            why={
                "fills w.grad": "Only tensors created with requires_grad=True (or switched on with "
                "requires_grad_()) are tracked; w was not, so there is no record to walk back.",
                "returns the gradient": "backward() returns None and writes into .grad, and here it has nothing to follow.",
            },
            explain="requires_grad is False by default: torch records nothing, and backward() raises a RuntimeError.",
        ),
        Prose("""
            # .grad adds up

            ```python
            x = torch.tensor(2.0, requires_grad=True)
            for _ in range(2):
                y = 3 * x ** 2
                y.backward()
            x.grad          # tensor(24.): 12 + 12
            ```

            Each `backward()` **adds** its gradient to what `.grad` holds. Reset it with
            `x.grad.zero_()` or `x.grad = None`. Summing lets small batches
            make one step (lesson 14); it is also the classic bug: forget to zero between
            steps and each step uses every gradient so far.
        """),
        Typed(
            title="Backward, three times",
            id="second-backward",
            prompt="`x = torch.tensor(1.0, requires_grad=True)`; then three times: `y = 5 * x ** 2; y.backward()`. "
            "What is `x.grad` after the third time?",
            answer="30",
            form="number",
            placeholder="7",
            wrong_answers={
                "10": "10 is the gradient of one backward. Nothing zeroed it, so each later one adds another 10.",
                "20": "That is two backwards' worth; three ran, and each added 10.",
            },
            hint="Each backward adds dy/dx = 10x = 10 (at x = 1) to what .grad already holds.",
            explain="Three backwards, each adding 10x = 10, and nothing zeroed between them: 30.",
        ),
        Launch(
            title="Watch .grad add up",
            tool="stepper",
            scenario="scalar",
            prompt="""
                The stepper runs `forward`, `backward` and `zero_grad` one key at a time. In it,
                press b three times and watch `x.grad` go 12, 24, 36, then z to zero it.
            """,
        ),
        Prose("""
            # Vectors: the gradient has the input's shape

            `backward()` needs a single number to start from, so sum or average first. Then
            `.grad` has the same shape as the tensor:

            ```python
            x = torch.tensor([1.0, 2.0, 3.0],
                             requires_grad=True)
            y = (x ** 2 + x).sum()
            y.backward()
            x.grad          # tensor([3., 5., 7.]): 2x + 1
            ```
        """),
        Try(
            title="A gradient of your own",
            prompt="Change `y` so that `x.grad` comes out as `2x - 2` for this `x`, i.e. `[0., 2., 4.]`. "
            "The step checks `x.grad.tolist()`.",
            code="x = torch.tensor([1.0, 2.0, 3.0],\n                 requires_grad=True)\ny = (x ** 2).sum()\n"
            "y.backward()\nx.grad",
            solution="x = torch.tensor([1.0, 2.0, 3.0],\n                 requires_grad=True)\n"
            "y = (x ** 2 - 2 * x).sum()\ny.backward()\nx.grad",
            check="x.grad.tolist()",
            expect="[0.0, 2.0, 4.0]",
            form="text",
            hint="The derivative of x**2 is 2x; which term takes 2 away from it?",
            explain="(x**2 - 2*x).sum(), or ((x - 1)**2).sum(), has the derivative 2x - 2 for each element.",
        ),
        Prose("""
            # Turning recording off: detach and no_grad

            - `t.detach()`: the same numbers, no history.
            - `with torch.no_grad():` records nothing inside: for inference, and for changing
              weights by hand (an in-place change to a tracked leaf otherwise raises).

            ```python
            w = torch.tensor([1.0, -2.0],
                             requires_grad=True)
            (w ** 2).sum().backward()  # w.grad: 2 * w
            with torch.no_grad():
                w -= 0.1 * w.grad      # a step on a leaf
            w.grad = None              # reset
            w          # 0.8 and -1.6, still a leaf
            ```
        """),
        Choice(
            title="Inference",
            prompt="You only want a trained model's predictions on a test batch. Which is right?",
            options=["out = model(x).detach()", "out = model(x); out.backward()",
                     "with torch.no_grad(): out = model(x)", "out = model(x.requires_grad_())"],
            answer="with torch.no_grad(): out = model(x)",
            why={
                "out = model(x).detach()": "The result has no history, but the forward pass still recorded the "
                "whole graph first: that memory and time are already spent.",
                "out = model(x); out.backward()": "backward computes gradients you do not need (and fails on a non-scalar output).",
                "out = model(x.requires_grad_())": "That records even more history, for gradients with respect to the input.",
            },
            explain="no_grad skips recording the graph: less memory, less time, and nothing to leak.",
        ),
        Exercise(
            id="derivative",
            title="Exercise: a derivative at a point",
            prompt="""
                Write `derivative(f, x)`: `f` is a function of a tensor made of torch operations
                (like `lambda t: 3 * t ** 2`) and `x` a Python float. Return `f'(x)`, computed with
                autograd, as a Python float.

                    derivative(lambda t: 3 * t ** 2, 2.0)  ->  12.0
            """,
            names=["derivative"],
            starter="""
                import torch


                def derivative(f, x):
                    t = torch.tensor(x)
                    ...
            """,
            reference="""
                import torch


                def derivative(f, x):
                    t = torch.tensor(float(x), requires_grad=True)
                    f(t).backward()
                    return t.grad.item()
            """,
            tests=checks.DERIVATIVE_TESTS,
            hints=[
                "Autograd tracks only tensors created with `requires_grad=True`.",
                "Call `backward()` on `f(t)`; the derivative lands in `t.grad`.",
                "`t.grad` is a tensor: return `t.grad.item()`.",
            ],
        ),
        Exercise(
            id="gradient",
            title="Exercise: a gradient that leaves no trace",
            prompt="""
                Write `gradient(f, x)`: `x` is a float tensor of any shape that does **not**
                require grad, and `f(t)` returns a single-number tensor. Return the gradient of
                `f` at `x`: a tensor shaped like `x`. Leave `x` exactly as it was: it must still
                not require grad, and must not get a `.grad`.
            """,
            names=["gradient"],
            starter="""
                import torch


                def gradient(f, x):
                    x.requires_grad_(True)
                    f(x).backward()
                    return x.grad
            """,
            reference="""
                import torch


                def gradient(f, x):
                    t = x.detach().clone().requires_grad_(True)
                    f(t).backward()
                    return t.grad
            """,
            tests=checks.GRADIENT_TESTS,
            hints=[
                "Switching on requires_grad for the caller's tensor changes it, and its .grad leaks out.",
                "Work on a copy: `t = x.detach().clone().requires_grad_(True)`.",
                "Then `f(t).backward()` and return `t.grad`.",
            ],
        ),
        Exercise(
            id="predict",
            title="Exercise: predictions without a graph",
            prompt="""
                Write `predict(model, x)`: return `model(x)` without recording any computation
                graph (the result must not require grad) and without touching any gradient.
            """,
            names=["predict"],
            starter="""
                import torch


                def predict(model, x):
                    return model(x)
            """,
            reference="""
                import torch


                def predict(model, x):
                    with torch.no_grad():
                        return model(x)
            """,
            tests=checks.PREDICT_TESTS,
            hints=["One context manager switches recording off.", "`with torch.no_grad(): return model(x)`"],
        ),
        Prose("""
            # What you can do now

            - mark tensors with `requires_grad`, call `backward()`, read `.grad`;
            - explain why `.grad` adds up, and zero it;
            - read `grad_fn`, cut history with `detach()`, skip it with `torch.no_grad()`.

            Next: doing by hand what `backward()` does, for a small network.
        """),
    ],
)
