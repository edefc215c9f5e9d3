"""Lesson 9: nn.Linear, parameters, activations, nn.Sequential and custom nn.Module classes."""

from lessons.checks import modules as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="modules",
    title="nn.Module and nn.Sequential",
    summary="Build networks from layers, count their parameters, and write your own nn.Module.",
    minutes=25,
    steps=[
        Prose("""
            # nn.Linear: the layer from lesson 8, packaged

            `nn.Linear(in_features, out_features)` holds a weight and a bias and computes
            `x @ W.T + b`. It works on **any leading dimensions**; only the last must match:

            ```python
            layer = nn.Linear(4, 2)
            layer.weight.shape    # (2, 4): (out, in)
            layer(torch.randn(10, 4)).shape    # (10, 2)
            layer(torch.randn(2, 3, 4)).shape  # (2, 3, 2)
            ```

            Every leading dimension is kept. `nn.Linear(4, 2, bias=False)` has no bias: just
            `x @ W.T`, for when a following layer adds its own shift.
        """),
        Prose("""
            # Reading a Linear's error

            ```python
            layer(torch.randn(2, 3, 5))
            # Error: RuntimeError (mat1 and mat2 ...)
            ```

            The message reads `mat1 and mat2 shapes cannot be multiplied (6x5 and 4x2)`. The
            layer flattened the leading `(2, 3)` into 6 rows, so the 6 is not in your input:
            compare the **last** number of the first shape, 5, with `in_features`, 4. The REPL
            explains it under the traceback, naming the layer.
        """),
        Typed(
            title="Leading dimensions",
            prompt="What is the shape of `nn.Linear(4, 2)(torch.randn(2, 3, 4))`?",
            answer="(2, 3, 2)",
            form="shape",
            wrong_answers={"(6, 2)": "Linear does not flatten the leading dimensions; it keeps (2, 3) and maps the last 4 to 2."},
            hint="Only the last dimension changes, from in_features to out_features.",
            explain="The (2, 3) in front stays; the last dimension goes from 4 to 2.",
        ),
        Prose("""
            # Parameters

            A module's learnable tensors, its **parameters**, are found for you:

            ```python
            model = nn.Sequential(
                nn.Linear(784, 128), nn.ReLU(),
                nn.Linear(128, 10))
            print(model)   # each layer, numbered
            n = sum(p.numel() for p in model.parameters())
            n              # 101770
            ```

            784 x 128 + 128 + 128 x 10 + 10. A parameter set to `requires_grad=False` is
            **frozen**: it gets no gradient, so the optimizer leaves it as it is.
        """),
        Typed(
            title="Count them",
            prompt="How many parameters does `nn.Linear(3, 4)` followed by `nn.Linear(4, 2)` have?",
            answer="26",
            form="number",
            placeholder="100",
            wrong_answers={"20": "Each output of a layer also has a bias: add 4 and 2."},
            hint="Weights: in x out for each layer. Biases: one per output.",
            explain="3 x 4 + 4 + 4 x 2 + 2 = 26: the network of lesson 8.",
        ),
        Prose("""
            # Activations, and nn.Sequential

            Between linear layers goes a non-linearity; without one, two linear layers collapse
            into one. The usual ones, each also a function in `torch.nn.functional` (F):

            - `nn.ReLU()`: max(0, x);
            - `nn.LeakyReLU(0.01)`: x, or 0.01 x below 0;
            - `nn.Sigmoid()`: into (0, 1), a probability;
            - `nn.Tanh()`: into (-1, 1);
            - `nn.Softmax(dim=-1)`: a row of scores into probabilities.

            `nn.Sequential(a, b, c)` calls them in order: `c(b(a(x)))`.
        """),
        Prose("""
            # Three ways to call an activation

            ```python
            x = torch.tensor([-1.0, 2.0])
            nn.ReLU()(x)      # tensor([0., 2.]): a module
            F.relu(x)         # the same, as a function
            x.relu()          # the same, as a method
            ```

            Modules fit in `nn.Sequential`; functions and methods fit inside `forward`.
            Functions have no train/eval switch of their own, so dropout takes it as an
            argument: `F.dropout(x, p=0.5, training=self.training)`.
        """),
        Prose("""
            # Your own nn.Module

            Subclass `nn.Module`: make layers in `__init__`, say the data flow in `forward`:

            ```python
            class TwoHeads(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.body = nn.Linear(8, 16)
                    self.left = nn.Linear(16, 1)
                    self.right = nn.Linear(16, 3)
                def forward(self, x):
                    h = F.relu(self.body(x))
                    return self.left(h), self.right(h)
            a, b = TwoHeads()(torch.randn(5, 8))
            ```
        """),
        Prose("""
            # Registered layers, and their starting weights

            Layers assigned as attributes are registered: their parameters show up in
            `model.parameters()`. Layers kept in a plain Python list are **not**; use
            `nn.ModuleList`.

            Each layer starts from random weights scaled to its size. To choose them
            yourself, use `nn.init` on the parameter:

            ```python
            heads = TwoHeads()
            nn.init.zeros_(heads.left.bias)
            nn.init.kaiming_uniform_(heads.body.weight)
            heads.left.bias.sum().item()   # 0.0
            ```
        """),
        Choice(
            title="Missing parameters",
            prompt="A model stores its layers as `self.layers = [nn.Linear(4, 4) for _ in range(3)]`. "
            "What goes wrong?",
            options=[
                "forward raises an error",
                "model.parameters() does not include them, so the optimizer never trains them",
                "nothing: lists of layers are fine",
            ],
            answer="model.parameters() does not include them, so the optimizer never trains them",
            why={
                "forward raises an error": "Calling the layers works; the problem is silent.",
                "nothing: lists of layers are fine": "A plain list hides the layers from nn.Module; nn.ModuleList registers them.",
            },
            explain="Only attributes that are modules (or nn.ModuleList / nn.ModuleDict) are registered.",
        ),
        Prose("""
            # Dropout, train() and eval()

            Some layers act differently while training. `nn.Dropout(p)` zeroes each input with
            probability `p` during training (and scales the rest by 1 / (1 - p)), and does
            nothing in evaluation. `model.train()` and `model.eval()` switch every such layer
            at once. Forgetting `model.eval()` before measuring accuracy gives noisy numbers,
            usually too low.

            Batch normalisation differs too; it comes with convolutions (lesson 11), and
            `nn.Embedding` with sequences (lesson 12).
        """),
        Try(
            title="Count a model",
            prompt="Build `model` as 784 -> 64 (ReLU) -> 64 (ReLU) -> 10 with `nn.Sequential`, then run. "
            "Before you do, guess the count: which layer holds most of it? The step checks the number of "
            "parameters.",
            code="model = nn.Sequential(\n    nn.Linear(784, 64))\nps = model.parameters()\nsum(p.numel() for p in ps)",
            solution="model = nn.Sequential(\n    nn.Linear(784, 64), nn.ReLU(),\n    nn.Linear(64, 64), nn.ReLU(),\n"
            "    nn.Linear(64, 10))\nps = model.parameters()\nsum(p.numel() for p in ps)",
            check="sum(p.numel() for p in model.parameters())",
            expect="55050",
            form="number",
            hint="Add nn.ReLU(), nn.Linear(64, 64), nn.ReLU() and nn.Linear(64, 10) to the Sequential.",
            explain="784 x 64 + 64 + 64 x 64 + 64 + 64 x 10 + 10 = 55,050; the first layer holds 50,240 of them.",
        ),
        Exercise(
            id="toy-model",
            title="Exercise: the toy network as a module",
            prompt="""
                Write `class ToyModel(nn.Module)`, built with no arguments: 3 inputs, a hidden
                layer of 4 with ReLU, 2 outputs with a sigmoid: the network of lesson 8, with 26
                parameters. Any way of writing it passes (attributes, `nn.Sequential`, `F.relu`).
            """,
            names=["ToyModel"],
            starter="""
                import torch
                import torch.nn as nn


                class ToyModel(nn.Module):
                    def __init__(self):
                        super().__init__()
                        ...

                    def forward(self, x):
                        ...
            """,
            reference="""
                import torch
                import torch.nn as nn


                class ToyModel(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.hidden = nn.Linear(3, 4)
                        self.out = nn.Linear(4, 2)

                    def forward(self, x):
                        return torch.sigmoid(self.out(torch.relu(self.hidden(x))))
            """,
            tests=checks.TOY_TESTS,
            hints=[
                "Create two nn.Linear layers in __init__, as attributes.",
                "forward: hidden layer, ReLU, output layer, sigmoid.",
                "`return torch.sigmoid(self.out(torch.relu(self.hidden(x))))`",
            ],
        ),
        Exercise(
            id="count-parameters",
            title="Exercise: count trainable parameters",
            prompt="""
                Write `count_parameters(model)`: the number of numbers the optimizer would train
                (the elements of every parameter with `requires_grad=True`), as an `int`.
            """,
            names=["count_parameters"],
            starter="""
                def count_parameters(model):
                    return len(list(model.parameters()))
            """,
            reference="""
                def count_parameters(model):
                    return sum(p.numel() for p in model.parameters() if p.requires_grad)
            """,
            tests=checks.COUNT_TESTS,
            hints=[
                "Each parameter is a tensor; `.numel()` counts its elements.",
                "Skip the frozen ones: `if p.requires_grad`.",
            ],
        ),
        Exercise(
            id="make-mlp",
            title="Exercise: an MLP of any depth",
            prompt="""
                Write `make_mlp(sizes)`: for a list like `[784, 128, 64, 10]`, return an
                `nn.Sequential` of `nn.Linear` layers mapping each size to the next, with an
                `nn.ReLU()` between consecutive linear layers and nothing after the last one.
            """,
            names=["make_mlp"],
            starter="""
                import torch.nn as nn


                def make_mlp(sizes):
                    layers = []
                    ...
                    return nn.Sequential(*layers)
            """,
            reference="""
                import torch.nn as nn


                def make_mlp(sizes):
                    layers = []
                    for n_in, n_out in zip(sizes, sizes[1:]):
                        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
                    return nn.Sequential(*layers[:-1])
            """,
            tests=checks.MLP_TESTS,
            hints=[
                "`zip(sizes, sizes[1:])` gives each (in, out) pair.",
                "Append a Linear and a ReLU for each pair, then drop the last ReLU.",
            ],
        ),
        Prose("""
            # What you can do now

            - use `nn.Linear` on any leading dimensions, and read its shape errors;
            - list and count parameters, and freeze some;
            - build pipelines with `nn.Sequential` and anything else with your own `nn.Module`;
            - switch `train()` / `eval()` for dropout and batch norm.
        """),
    ],
)
