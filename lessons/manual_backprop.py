"""Lesson 8: a two-layer network with plain tensors, its gradients by the chain rule, checked against autograd."""

from lessons.checks import manual_backprop as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="manual-backprop",
    title="Backprop by hand",
    summary="Write a 3-4-2 network's forward pass and its gradients yourself, then check them against autograd.",
    minutes=30,
    steps=[
        Prose("""
            # A network is a formula

            Three inputs, four hidden units with ReLU, two outputs with a sigmoid, as plain
            tensors, on a batch of 20:

            ```python
            torch.manual_seed(0)
            x, Y = torch.randn(20, 3), torch.rand(20, 2)
            W1, B1 = torch.randn(3, 4), torch.randn(1, 4)
            W2, B2 = torch.randn(4, 2), torch.randn(1, 2)
            Z1 = x @ W1 + B1         # (N, 4)
            H = torch.relu(Z1)       # negatives become 0
            Z2 = H @ W2 + B2         # (N, 2)
            out = torch.sigmoid(Z2)  # into (0, 1)
            loss = ((out - Y) ** 2).sum()
            ```
        """),
        Prose("""
            # The data

            The weights hold 3 x 4 + 4 + 4 x 2 + 2 = **26** numbers to learn. Here `Y` is
            random numbers from 0 to 1, enough to follow the shapes. The course's toy set,
            which the training view uses, gives each of 20 samples two 0/1 targets from a rule
            mixing its three features. It is deliberately hard: a 3-4-2 network can only just
            fit those 20 points, and only from some starting weights.
        """),
        Typed(
            title="Hidden shape",
            prompt="With a batch of 20 samples, what is the shape of `H = torch.relu(x @ W1 + B1)`?",
            answer="(20, 4)",
            form="shape",
            wrong_answers={"(4,)": "The batch dimension stays: one row of 4 hidden values per sample."},
            hint="(20, 3) @ (3, 4), then the (1, 4) bias broadcasts over the rows.",
            explain="One row per sample, one column per hidden unit: (20, 4).",
        ),
        Prose("""
            # The chain rule, one layer at a time

            Go back from the loss; `d_A` is its derivative with respect to `A`. **Every
            gradient has its weight's shape**: a check that catches most mistakes.

            ```python
            d_out = 2 * (out - Y)           # loss'
            d_Z2 = d_out * out * (1 - out)  # sigmoid'
            W2_grad = H.T @ d_Z2            # (4, 2)
            B2_grad = d_Z2.sum(dim=0)       # sum the rows
            d_H = d_Z2 @ W2.T               # (N, 4)
            d_Z1 = d_H * (Z1 > 0)           # relu'
            W1_grad = x.T @ d_Z1            # (3, 4)
            B1_grad = d_Z1.sum(dim=0)
            W1_grad.shape == W1.shape       # True
            ```
        """),
        Choice(
            title="Sigmoid's derivative",
            prompt="`s = torch.sigmoid(z)`. Which is the derivative of `s` with respect to `z`?",
            options=["1 - s ** 2", "torch.exp(-z)", "s * (1 - s)", "(z > 0).float()"],
            answer="s * (1 - s)",
            why={
                "1 - s ** 2": "That is tanh's derivative, written with tanh's output.",
                "torch.exp(-z)": "That is only part of it: the derivative is exp(-z) / (1 + exp(-z)) ** 2.",
                "(z > 0).float()": "That is ReLU's derivative.",
            },
            explain="sigmoid'(z) = s(1 - s), computed from the output you already have.",
        ),
        Prose("""
            # Check against autograd

            Autograd must agree. Copy the weights as tracked leaves, redo the forward pass,
            and compare:

            ```python
            A1 = W1.clone().requires_grad_()
            H_a = torch.relu(x @ A1 + B1)
            out_a = torch.sigmoid(H_a @ W2 + B2)
            ((out_a - Y) ** 2).sum().backward()
            diff = (A1.grad - W1_grad).abs().max()
            ```

            `diff` is tiny: float32 rounding, about 6 significant digits.
        """),
        Prose("""
            # How close is close?

            The two round in a different order, so in `float32` they agree to about 6
            significant digits. Make every tensor `float64` (`dtype=torch.float64`, or
            `.double()`, as the next step does) and they agree to about 15. A mismatch far
            larger means a mistake in the hand-written version.
        """),
        Try(
            title="Compare one gradient",
            prompt="Run this: it computes `W2_grad` by hand and with autograd, in float64, and prints the "
            "largest difference. It is the first step's network, made float64 with `.double()`. The step "
            "checks that the difference is below 1e-12.",
            code=(
                "torch.manual_seed(0)  # as in step 1\n"
                "x = torch.randn(20, 3).double()\n"
                "Y = torch.rand(20, 2).double()\n"
                "W1 = torch.randn(3, 4).double()\n"
                "B1 = torch.randn(1, 4).double()\n"
                "W2 = torch.randn(4, 2).double()\n"
                "B2 = torch.randn(1, 2).double()\n"
                "H = torch.relu(x @ W1 + B1)\n"
                "out = torch.sigmoid(H @ W2 + B2)\n"
                "d_Z2 = 2 * (out - Y) * out * (1 - out)\n"
                "W2_grad = H.T @ d_Z2\n"
                "W2a = W2.clone().requires_grad_()\n"
                "out_a = torch.sigmoid(H @ W2a + B2)\n"
                "((out_a - Y) ** 2).sum().backward()\n"
                "gap = W2a.grad - W2_grad\n"
                "diff = gap.abs().max().item()\n"
                "diff"
            ),
            check="diff < 1e-12",
            expect="True",
            form="text",
            hint="Run the code as it is; if you edited it, compare your version with the formulas in the previous step.",
            explain="They agree to about 1e-16: the hand-written chain rule is right.",
        ),
        Prose("""
            # A step of gradient descent, by hand

            ```python
            lr = 0.01
            with torch.no_grad():
                W1 -= lr * W1_grad
                B1 -= lr * B1_grad
                W2 -= lr * W2_grad
                B2 -= lr * B2_grad
            H = torch.relu(x @ W1 + B1)
            out = torch.sigmoid(H @ W2 + B2)
            ((out - Y) ** 2).sum()  # 8.78
            ```

            The loss was 8.90 before the step: it went down.
        """),
        Prose("""
            # How big a step?

            The gradient points uphill, so a small step against it goes downhill. "Small"
            matters: the gradient describes the loss only near the current weights, and a
            large rate can jump past the valley and **raise** the loss. From the first
            step's weights, `lr = 10` takes the loss from 8.90 to 11.06. Repeated thousands
            of times at a good rate, the step makes the loss fall.
        """),
        Exercise(
            id="forward",
            title="Exercise: the forward pass",
            prompt="""
                Write `forward(x, W1, B1, W2, B2)` returning `sigmoid(relu(x @ W1 + B1) @ W2 + B2)`
                for `x` of shape `(N, 3)`, `W1` `(3, 4)`, `B1` `(1, 4)`, `W2` `(4, 2)`, `B2` `(1, 2)`.
                The result has shape `(N, 2)` and the inputs' dtype.
            """,
            names=["forward"],
            starter="""
                import torch


                def forward(x, W1, B1, W2, B2):
                    ...
            """,
            reference="""
                import torch


                def forward(x, W1, B1, W2, B2):
                    hidden = torch.relu(x @ W1 + B1)
                    return torch.sigmoid(hidden @ W2 + B2)
            """,
            tests=checks.FORWARD_TESTS,
            hints=[
                "Two layers: each is a matmul plus a bias, then an activation.",
                "`torch.relu` for the hidden layer, `torch.sigmoid` for the output.",
            ],
        ),
        Exercise(
            id="backprop",
            title="Exercise: backprop without autograd",
            prompt="""
                Write `backprop(x, Y, W1, B1, W2, B2)` returning the gradients
                `(W1_grad, B1_grad, W2_grad, B2_grad)` of `((forward(x, ...) - Y) ** 2).sum()`,
                with the shapes above. **Without autograd**: no `backward()`, no `torch.autograd`,
                no `requires_grad`; the grader checks. Bias gradients of shape `(4,)` or `(1, 4)`
                (and `(2,)` or `(1, 2)`) are both right. The grader compares with autograd in
                float64, so the match must be close to exact.
            """,
            names=["backprop"],
            starter="""
                import torch


                def backprop(x, Y, W1, B1, W2, B2):
                    Z1 = x @ W1 + B1
                    H = torch.relu(Z1)
                    out = torch.sigmoid(H @ W2 + B2)
                    # Now go back from the loss.
                    ...
            """,
            reference="""
                import torch


                def backprop(x, Y, W1, B1, W2, B2):
                    Z1 = x @ W1 + B1
                    H = torch.relu(Z1)
                    out = torch.sigmoid(H @ W2 + B2)
                    d_Z2 = 2 * (out - Y) * out * (1 - out)
                    W2_grad = H.T @ d_Z2
                    B2_grad = d_Z2.sum(dim=0, keepdim=True)
                    d_Z1 = (d_Z2 @ W2.T) * (Z1 > 0)
                    W1_grad = x.T @ d_Z1
                    B1_grad = d_Z1.sum(dim=0, keepdim=True)
                    return W1_grad, B1_grad, W2_grad, B2_grad
            """,
            tests=checks.BACKPROP_TESTS,
            hints=[
                "Start at the loss: its derivative with respect to `out` is `2 * (out - Y)`.",
                "Through the sigmoid multiply by `out * (1 - out)`; through the ReLU by `(Z1 > 0)`.",
                "Weight gradients are `input.T @ d_layer`; bias gradients sum `d_layer` over the batch (dim 0).",
                "d_Z2 = 2*(out-Y)*out*(1-out); W2_grad = H.T @ d_Z2; d_Z1 = (d_Z2 @ W2.T) * (Z1 > 0); W1_grad = x.T @ d_Z1.",
            ],
        ),
        Prose("""
            # What you can do now

            - write a small network's forward pass with matmuls, biases and activations;
            - derive its gradients with the chain rule, using the shapes as a check;
            - confirm them against autograd, and know what agreement to expect in float32 and float64;
            - take a gradient-descent step by hand, and say why too large a step raises the loss.
        """),
    ],
)
