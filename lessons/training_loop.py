"""Lesson 10: optimizers, losses and the training loop, on the toy data and beyond it."""

from lessons.checks import held_out
from lessons.checks import training_loop as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="training-loop",
    title="Optimizers, losses and the training loop",
    summary="Train a model with the five-line loop, pick a loss and an optimizer, and see overfitting.",
    minutes=30,
    steps=[
        Prose("""
            # Five lines that train everything

            ```python
            X, Y = torch.randn(20, 3), torch.rand(20, 2)
            net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(),
                nn.Linear(4, 2), nn.Sigmoid())
            opt = torch.optim.Adam(net.parameters(), 0.01)
            for epoch in range(10):
                opt.zero_grad()            # 1. clear .grad
                out = net(X)               # 2. forward
                loss = F.mse_loss(out, Y)  # 3. the loss
                loss.backward()            # 4. fill .grad
                opt.step()                 # 5. move weights
            ```

            The optimizer is made **once**, before the loop: it keeps state between steps.
        """),
        Prose("""
            # Losses: match the loss to the output

            - a number (regression): `nn.MSELoss()`;
            - yes/no per output, given as a probability (after a sigmoid): `nn.BCELoss()`;
            - yes/no per output, given as a raw score: `nn.BCEWithLogitsLoss()`, which is
              safer with extreme scores;
            - one class of C, from C raw scores per sample: `nn.CrossEntropyLoss()`.

            `CrossEntropyLoss` applies softmax itself: feed it raw scores, not probabilities.
        """),
        Prose("""
            # Summed or averaged

            Each loss also exists as a function in `F`, and takes a `reduction`:

            ```python
            p = torch.tensor([1.0, 2.0, 4.0])
            y = torch.tensor([1.0, 1.0, 1.0])
            F.mse_loss(p, y)   # tensor(3.3333)
            F.mse_loss(p, y, reduction="sum")  # tensor(10.)
            ```

            `"mean"`, the default, divides by the number of elements, so the loss and its
            gradients keep their size whatever the batch. `"sum"` is lesson 8's hand-written
            loss: its gradients grow with the batch, and so does each step at the same `lr`.
        """),
        Prose("""
            # Two ways to give cross-entropy its targets

            ```python
            scores = torch.tensor([[2.0, 0.5, -1.0],
                                   [0.1, 1.5, 0.3]])
            labels = torch.tensor([0, 1])  # (N,), int64
            loss_fn = nn.CrossEntropyLoss()
            a = loss_fn(scores, labels)
            onehot = F.one_hot(labels, 3).float()  # (N, C)
            b = loss_fn(scores, onehot)
            torch.allclose(a, b)   # True
            ```

            Class numbers are the usual form. Rows of class probabilities (accepted since
            PyTorch 1.10) fit targets that are themselves uncertain: soft labels, label
            smoothing, a teacher model's output.
        """),
        Choice(
            title="Which loss?",
            prompt="A model outputs 10 raw scores per image, shape `(N, 10)`; labels are class numbers "
            "0-9, shape `(N,)`. Which loss?",
            options=["nn.BCELoss()", "nn.MSELoss()", "nn.CrossEntropyLoss()"],
            answer="nn.CrossEntropyLoss()",
            why={
                "nn.BCELoss()": "BCE is for independent yes/no outputs given as probabilities; here one of 10 classes is right.",
                "nn.MSELoss()": "MSE would need one-hot targets and trains classifiers poorly.",
            },
            explain="Raw scores plus class numbers is exactly what CrossEntropyLoss takes.",
        ),
        Prose("""
            # Optimizers

            - `torch.optim.SGD(params, lr=0.1)`: `p -= lr * p.grad`, lesson 8's step.
            - `SGD(..., momentum=0.9)`: keeps a running direction, so steps build up speed
              along consistent slopes and damp zig-zags.
            - `torch.optim.Adam(params, lr=0.001)`: scales each parameter's step by its own
              recent gradient size; a forgiving default.

            Forgetting `optimizer.zero_grad()` is the classic bug: `.grad` keeps adding up
            (lesson 7), so each step uses the sum of all past gradients, and training drifts or
            blows up.
        """),
        Choice(
            title="Can the loss go up?",
            prompt="A correct loop (zero_grad, forward, loss, backward, step) trains with plain SGD at "
            "`lr=10`. After a step, the loss is higher than before it. Can that happen?",
            options=["no: a gradient step always lowers the loss",
                     "only if zero_grad is missing",
                     "yes: a step that large can jump past the valley"],
            answer="yes: a step that large can jump past the valley",
            why={
                "no: a gradient step always lowers the loss": "Only a small enough step is sure to: the "
                "gradient describes the loss near the current weights, not ten units away.",
                "only if zero_grad is missing": "That bug makes steps too large too, but a correct loop with "
                "a huge learning rate overshoots on its own.",
            },
            explain="The gradient is the slope where you stand; too long a step lands higher on the other side. "
            "Lower the learning rate and the loss falls again.",
        ),
        Launch(
            title="Steps in any order",
            tool="stepper",
            scenario="training",
            prompt="""
                The stepper runs a tiny MLP one call at a time. Run forward, backward, step and
                zero_grad yourself; then skip zero_grad for a round and watch each `.grad` hold
                the sum of two batches' gradients.
            """,
        ),
        Prose("""
            # Fitting the toy data

            The toy set (lesson 8) has 20 points. A 3-4-2 network with Adam at `lr=0.05` drives the
            loss close to zero in a few thousand steps **from some seeds**; from others it gets
            stuck near 0.02-0.1, because four hidden ReLUs are barely enough and some start dead.
            Restarting from another seed is a perfectly good strategy.

            Now make **fresh** points with the same rule and measure the fitted model there:
            its error is about 0.2 to 0.4, no better than always answering the average target
            (0.23). It learned those 20 points, not the rule: it **overfit**.
        """),
        Prose("""
            # More data, or a bigger model?

            - **data**: 20 points pin down little. Drawing a fresh batch at every step stops the
              memorising, and the error on new points falls;
            - **capacity**: even then it stays well above zero, because four hidden ReLUs
              cannot represent the rule that made the targets. A wider network can.

            More data helps a model that could learn the rule; only a bigger one closes the
            rest of the gap. Either way, judge a model on points it never trained on.
        """),
        Try(
            title="Fit, then test on fresh data",
            prompt="Run this: it fits the toy data, then measures the error on 200 fresh points drawn "
            "with the same rule. The step checks that the fresh error is larger than the training error.",
            code=(
                "from tui.core.training.toy import (\n"
                "    toy_data)\n"
                "X, Y = toy_data(20, seed=0)\n"
                "Xf, Yf = toy_data(200, seed=1)  # fresh\n"
                "torch.manual_seed(1)\n"
                "model = nn.Sequential(\n"
                "    nn.Linear(3, 4), nn.ReLU(),\n"
                "    nn.Linear(4, 2), nn.Sigmoid())\n"
                "ps = model.parameters()\n"
                "opt = torch.optim.Adam(ps, lr=0.05)\n"
                "for step in range(2000):\n"
                "    opt.zero_grad()\n"
                "    loss = F.mse_loss(model(X), Y)\n"
                "    loss.backward()\n"
                "    opt.step()\n"
                "with torch.no_grad():\n"
                "    fresh = F.mse_loss(model(Xf), Yf)\n"
                "print(f'train {loss.item():.4f}')\n"
                "print(f'fresh {fresh.item():.4f}')"
            ),
            check="fresh.item() > loss.item()",
            expect="True",
            form="text",
            hint="Run the code as given; it takes a second or two.",
            explain="The training error is tiny; on fresh points it is many times larger: the model memorised 20 points.",
        ),
        Exercise(
            id="held-out-error",
            title="Exercise: the error on fresh points",
            prompt="""
                Write `held_out_mse(model, X, Y, Xn, Yn)`: return the model's mean squared error
                on the points it trained on, `(X, Y)`, and on new points, `(Xn, Yn)`, as a tuple
                of two Python floats. Measure under `torch.no_grad()`: no graph, no gradient.
            """,
            names=["held_out_mse"],
            starter="""
                import torch


                def held_out_mse(model, X, Y, Xn, Yn):
                    # Measure on both sets of points.
                    loss = ((model(X) - Y) ** 2).mean()
                    return loss.item(), loss.item()
            """,
            reference="""
                import torch


                def held_out_mse(model, X, Y, Xn, Yn):
                    with torch.no_grad():
                        train = ((model(X) - Y) ** 2).mean().item()
                        fresh = ((model(Xn) - Yn) ** 2).mean().item()
                    return train, fresh
            """,
            tests=held_out.HELD_OUT_TESTS,
            hints=[
                "The second number comes from the new points: `model(Xn)` against `Yn`.",
                "Wrap both measurements in `with torch.no_grad():` and turn each into a float with `.item()`.",
            ],
        ),
        Launch(
            title="Watch the toy network train",
            tool="training",
            scenario="toy-tiny",
            prompt="""
                The training view opens with the 3-4-2 network on the 20 toy points, Adam at
                lr 0.05. Press s to start and watch the loss fall. To see other starts, come back,
                go to the try step before (p), change `torch.manual_seed(1)` to another seed and
                run it again: some seeds get stuck.
            """,
        ),
        Typed(
            title="The missing line",
            prompt="A loop runs `loss.backward(); optimizer.step()` each step and never calls one method. "
            "Which one (write it as `object.method`)?",
            answer="optimizer.zero_grad",
            placeholder="model.eval",
            accept=["optimizer.zero_grad()", "opt.zero_grad", "opt.zero_grad()", "model.zero_grad", "model.zero_grad()",
                    "zero_grad", "zero_grad()"],
            form="text",
            hint="Gradients add up in .grad until something resets them.",
            explain="Without zero_grad, each step's gradient includes every earlier one.",
        ),
        Exercise(
            id="train-step",
            title="Exercise: one training step",
            prompt="""
                Write `train_step(model, optimizer, loss_fn, X, Y)`: perform exactly one
                optimisation step on `(X, Y)` and return the loss (before the step) as a Python
                float. It is called many times in a row, with any optimizer.
            """,
            names=["train_step"],
            starter="""
                def train_step(model, optimizer, loss_fn, X, Y):
                    loss = loss_fn(model(X), Y)
                    loss.backward()
                    optimizer.step()
                    return loss
            """,
            reference="""
                def train_step(model, optimizer, loss_fn, X, Y):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), Y)
                    loss.backward()
                    optimizer.step()
                    return loss.item()
            """,
            tests=checks.TRAIN_STEP_TESTS,
            hints=[
                "Called twice in a row, does the second call start from clean gradients?",
                "`optimizer.zero_grad()` first; and a float, not a tensor, comes from `.item()`.",
            ],
        ),
        Exercise(
            id="fit",
            title="Exercise: fit the toy data",
            prompt="""
                Write `fit(X, Y)`: given the 20 toy points (`X` `(20, 3)`, `Y` `(20, 2)`), return a
                trained model with the toy architecture (3 -> 4 with ReLU -> 2 with sigmoid, 26
                parameters; `nn.Sequential` or your own module) whose mean squared error on `(X, Y)`
                is below 0.01. The grader allows 60 seconds. Any strategy that gets there passes:
                a different optimizer, more steps, restarts from other seeds.
            """,
            names=["fit"],
            starter="""
                import torch
                import torch.nn as nn


                def fit(X, Y):
                    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
                    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                    for step in range(100):
                        optimizer.zero_grad()
                        loss = ((model(X) - Y) ** 2).mean()
                        loss.backward()
                        optimizer.step()
                    return model
            """,
            reference="""
                import torch
                import torch.nn as nn


                def fit(X, Y):
                    best, best_loss = None, float("inf")
                    for seed in range(20):
                        torch.manual_seed(seed)
                        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
                        optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
                        for step in range(3000):
                            optimizer.zero_grad()
                            loss = ((model(X) - Y) ** 2).mean()
                            loss.backward()
                            optimizer.step()
                        if loss.item() < best_loss:
                            best, best_loss = model, loss.item()
                        if best_loss < 0.005:
                            break
                    return best
            """,
            tests=checks.FIT_TESTS,
            timeout=60,
            hints=[
                "100 steps of plain SGD at lr=0.01 barely moves. Try Adam with lr around 0.05 and a few thousand steps.",
                "Even then, some seeds get stuck. Loop over seeds and keep the best model.",
                "for seed in range(20): torch.manual_seed(seed); build, train 3000 Adam steps; stop once the loss < 0.005.",
            ],
        ),
        Exercise(
            id="accuracy",
            title="Exercise: measure accuracy",
            prompt="""
                Write `accuracy(model, X, y)`: `model(X)` gives raw scores `(N, classes)` and `y`
                holds the true class numbers `(N,)`. Return the fraction of samples whose highest
                score is the true class, as a Python float between 0 and 1, without computing any
                gradient.
            """,
            names=["accuracy"],
            starter="""
                import torch


                def accuracy(model, X, y):
                    ...
            """,
            reference="""
                import torch


                def accuracy(model, X, y):
                    with torch.no_grad():
                        predicted = model(X).argmax(dim=1)
                    return (predicted == y).float().mean().item()
            """,
            tests=checks.ACCURACY_TESTS,
            hints=[
                "`argmax(dim=1)` turns scores into predicted classes (lesson 5).",
                "`(predicted == y)` is a bool tensor; `.float().mean().item()` is the fraction.",
            ],
        ),
        Prose("""
            # What you can do now

            - write the loop: zero_grad, forward, loss, backward, step;
            - choose MSE, BCE or cross-entropy for the output you have;
            - pick SGD, momentum or Adam;
            - tell fitting the data from learning the rule, and say whether more data or a
              bigger model is what is missing.
        """),
    ],
)
