"""Lesson 10: optimizers, losses and the training loop, on the toy data and beyond it."""

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
            X = torch.randn(20, 3)
            Y = (torch.rand(20, 2) > 0.5).float()
            model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(),
                                  nn.Linear(4, 2), nn.Sigmoid())
            opt = torch.optim.Adam(model.parameters(), lr=0.01)
            loss_fn = nn.BCELoss()
            for epoch in range(10):
                opt.zero_grad()           # 1. clear .grad
                loss = loss_fn(model(X), Y)  # 2, 3
                loss.backward()           # 4. fill .grad
                opt.step()                # 5. move weights
                print(epoch, loss.item())
            ```

            Forward (2) and the loss (3) share a line. The loss should fall each epoch. The
            optimizer, made **once** before the loop (Adam keeps running averages between
            steps), is lesson 8's hand-written update: it owns the parameters and moves them.
        """),
        Prose("""
            # Losses: match the loss to the output

            | task | model output | loss |
            |------|--------------|------|
            | a number (regression) | anything | `nn.MSELoss()` |
            | yes/no per output | a probability (after sigmoid) | `nn.BCELoss()` |
            | yes/no per output | a raw score | `nn.BCEWithLogitsLoss()` (safer) |
            | one class of C | C raw scores per sample | `nn.CrossEntropyLoss()` with int64 labels |

            `CrossEntropyLoss` applies softmax itself: feed it raw scores, not probabilities.
        """),
        Prose("""
            # Two ways to give cross-entropy its targets

            ```python
            scores = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.5, 0.3]])   # (N=2, C=3) raw
            labels = torch.tensor([0, 1])                 # class numbers: int64, shape (N,)
            loss_fn = nn.CrossEntropyLoss()
            a = loss_fn(scores, labels)
            onehot = F.one_hot(labels, 3).float()         # float rows (N, C) summing to 1
            b = loss_fn(scores, onehot)                   # the same value as a
            ```

            Class numbers are the usual form: one right class per sample. Rows of class
            probabilities (accepted since PyTorch 1.10) fit when a target is itself uncertain:
            soft labels, label smoothing, a teacher model's output.
        """),
        Choice(
            title="Which loss?",
            prompt="A model outputs 10 raw scores per image, shape `(N, 10)`; labels are class numbers "
            "0-9, shape `(N,)`. Which loss?",
            options=["nn.CrossEntropyLoss()", "nn.BCELoss()", "nn.MSELoss()"],
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
        Launch(
            title="Steps in any order",
            tool="stepper",
            scenario="training",
            prompt="""
                Press x to open the stepper on a tiny MLP. Run forward, backward, step, zero_grad
                yourself; then skip zero_grad for a few rounds and watch the gradient norm grow.
            """,
        ),
        Prose("""
            # Fitting the toy data

            The toy set (lesson 8) has 20 points. A 3-4-2 network with Adam at `lr=0.05` drives the
            loss close to zero in a few thousand steps **from some seeds**; from others it gets
            stuck near 0.02-0.1, because four hidden ReLUs are barely enough and some start dead.
            Restarting from another seed is a perfectly good strategy.

            Now make 20 **fresh** points with the same rule and a different seed, and measure
            the fitted model there: the error is far higher. The model learned those 20 points,
            not the rule: it **overfit**. Two things are short here:

            - **data**: 20 points pin down little. Drawing a fresh batch at every step stops the
              memorising, and the error on new points falls;
            - **capacity**: even then it stays well above zero, because four hidden ReLUs
              cannot represent the rule that made the targets. A wider network can.

            More data helps a model that could learn the rule; only a bigger one can close
            the rest of the gap.
        """),
        Try(
            title="Fit, then test on fresh data",
            prompt="Run this: it fits the toy data, then measures the error on 200 fresh points drawn "
            "with the same rule. The step checks that the fresh error is larger than the training error.",
            code=(
                "from tui.core.training.toy import toy_data\n"
                "X, Y = toy_data(20, seed=0); Xf, Yf = toy_data(200, seed=1)\n"
                "torch.manual_seed(1)\n"
                "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())\n"
                "opt = torch.optim.Adam(model.parameters(), lr=0.05)\n"
                "for step in range(2000):\n"
                "    opt.zero_grad(); loss = ((model(X) - Y) ** 2).mean(); loss.backward(); opt.step()\n"
                "with torch.no_grad():\n"
                "    fresh = ((model(Xf) - Yf) ** 2).mean().item()\n"
                "print(f'train {loss.item():.4f}   fresh {fresh:.4f}')"
            ),
            check="fresh > loss.item()",
            expect="True",
            form="text",
            hint="Run the code as given; it takes a second or two.",
            explain="The training error is tiny; on fresh points it is many times larger: the model memorised 20 points.",
        ),
        Launch(
            title="Watch the toy network train",
            tool="training",
            scenario="toy-tiny",
            prompt="""
                Press x to open the training view with the 3-4-2 network on the 20 toy points. Press s
                to start and watch the loss; reset and change the seed in a headless run
                (`tensordojo train --dataset toy --hidden 4 --seed 3`) to see other starts.
            """,
        ),
        Typed(
            title="The missing line",
            prompt="A loop runs `loss.backward(); optimizer.step()` each step and never calls one method. "
            "Which one (write it as `object.method`)?",
            answer="optimizer.zero_grad",
            accept=["optimizer.zero_grad()", "model.zero_grad", "model.zero_grad()", "zero_grad", "zero_grad()"],
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
