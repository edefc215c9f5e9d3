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

            Before `nn.Module`, write a network with plain tensors. Three inputs, a hidden layer
            of four with ReLU, two outputs with a sigmoid, on a batch of 20 samples:

            ```python
            torch.manual_seed(0)
            x = torch.randn(20, 3); Y = (torch.rand(20, 2) > 0.5).float()
            W1 = torch.randn(3, 4); B1 = torch.randn(1, 4)
            W2 = torch.randn(4, 2); B2 = torch.randn(1, 2)

            Z1 = x @ W1 + B1        # (N, 3) @ (3, 4) + (1, 4)  -> (N, 4)
            H  = torch.relu(Z1)     # negative values become 0
            Z2 = H @ W2 + B2        # (N, 4) @ (4, 2) + (1, 2)  -> (N, 2)
            out = torch.sigmoid(Z2) # each output squashed into (0, 1)
            loss = ((out - Y) ** 2).sum()
            ```

            That is 3 x 4 + 4 + 4 x 2 + 2 = **26** numbers to learn.
        """),
        Prose("""
            # The data

            Here `Y` is random 0/1 targets, enough to follow the shapes. The course's toy set,
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

            Go backwards from the loss, multiplying local derivatives. Write `dA` for "the
            derivative of the loss with respect to A":

            ```python
            d_out = 2 * (out - Y)               # from loss = sum((out - Y) ** 2)
            d_Z2  = d_out * out * (1 - out)     # sigmoid'(z) = s * (1 - s)
            W2_grad = H.T @ d_Z2                # (4, N) @ (N, 2) -> (4, 2), like W2
            B2_grad = d_Z2.sum(dim=0)           # the bias is added to every row: sum the rows
            d_H   = d_Z2 @ W2.T                 # back through the matmul: (N, 2) @ (2, 4)
            d_Z1  = d_H * (Z1 > 0)              # relu'(z) is 1 where z > 0, else 0
            W1_grad = x.T @ d_Z1                # (3, N) @ (N, 4) -> (3, 4)
            B1_grad = d_Z1.sum(dim=0)
            ```

            A check that catches most mistakes: **every gradient has its weight's shape**.
            The transposes are whatever makes the shapes work.
        """),
        Choice(
            title="Sigmoid's derivative",
            prompt="`s = torch.sigmoid(z)`. Which is the derivative of `s` with respect to `z`?",
            options=["s * (1 - s)", "1 - s ** 2", "torch.exp(-z)", "(z > 0).float()"],
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

            Autograd computes the same gradients, so the two must agree. Copy the weights as
            leaves that track gradients, run the same forward pass, and compare:

            ```python
            A1, C1, A2, C2 = [w.clone().requires_grad_() for w in (W1, B1, W2, B2)]
            out_a = torch.sigmoid(torch.relu(x @ A1 + C1) @ A2 + C2)
            ((out_a - Y) ** 2).sum().backward()
            (A1.grad - W1_grad).abs().max()   # tiny: float32 rounding
            ```

            In `float32` they agree to about 6 significant digits, because the operations round
            in a different order; make every tensor `float64` (`dtype=torch.float64`, or
            `.double()`, as the next step does) and they agree to about 15. A mismatch far
            larger means a mistake in the hand-written version.
        """),
        Try(
            title="Compare one gradient",
            prompt="Run this: it computes `W2_grad` by hand and with autograd, in float64, and prints the "
            "largest difference. The step checks that it is below 1e-12.",
            code=(
                "torch.manual_seed(0)\n"
                "x = torch.randn(20, 3, dtype=torch.float64); Y = (torch.rand(20, 2) > 0.5).double()\n"
                "W1, B1 = torch.randn(3, 4, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)\n"
                "W2, B2 = torch.randn(4, 2, dtype=torch.float64), torch.randn(1, 2, dtype=torch.float64)\n"
                "H = torch.relu(x @ W1 + B1); out = torch.sigmoid(H @ W2 + B2)\n"
                "W2_grad = H.T @ (2 * (out - Y) * out * (1 - out))\n"
                "W2a = W2.clone().requires_grad_()\n"
                "((torch.sigmoid(H @ W2a + B2) - Y) ** 2).sum().backward()\n"
                "diff = (W2a.grad - W2_grad).abs().max().item()\n"
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
                W1 -= lr * W1_grad; B1 -= lr * B1_grad
                W2 -= lr * W2_grad; B2 -= lr * B2_grad
            ```

            The gradient points uphill, so subtracting a small multiple goes downhill. "Small"
            matters: the gradient only describes the loss near the current weights. With a
            large learning rate (try 10) one step can jump past the valley and **raise** the
            loss. Repeat the step a few thousand times with a good rate and the loss falls;
            on this toy data it may still stop short of zero, because 4 hidden units are barely
            enough.
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
                    # Go backwards from the loss, one layer at a time.
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
