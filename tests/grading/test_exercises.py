"""Every exercise of the course: references pass, starters and lazy answers fail, styles pass, mistakes are named."""

from __future__ import annotations

import pytest

from tui.core.grading.client import Grader
from tui.core.grading.lint_runs import run_problems
from tui.core.grading.lookup import exercises, full_id
from tui.core.lint import lint_catalogue
from tui.core.course.loader import Catalogue, load_package

CATALOGUE = load_package()
EXERCISES = exercises(CATALOGUE)
REQUIRED = ["tensors.pad-sequences", "matmul-broadcasting.batched-outer", "reductions.row-means",
            "reductions.column-sums", "manual-backprop.forward", "manual-backprop.backprop", "modules.toy-model",
            "training-loop.train-step", "training-loop.fit", "grad-accumulation.accumulated-step"]


def grade(grader: Grader, exercise_id: str, code: str):
    lesson, step = exercise_id.split(".")
    exercise = next(e for l, e in EXERCISES if full_id(l, e) == exercise_id)
    return grader.grade(lesson, step, code, exercise.timeout)


def test_the_course_has_the_required_exercises_and_enough_of_them():
    ids = [full_id(lesson, step) for lesson, step in EXERCISES]
    assert set(REQUIRED) <= set(ids)
    assert len(ids) >= 36
    per_lesson = {lesson.id: sum(1 for l, _ in EXERCISES if l is lesson) for lesson in CATALOGUE.lessons}
    assert CATALOGUE.lessons and len(CATALOGUE.lessons) == len(CATALOGUE.entries)  # none is broken
    assert min(per_lesson.values()) >= 2, per_lesson  # every lesson has at least two exercises


def test_lint_finds_no_problem_in_the_course():
    problems = lint_catalogue(CATALOGUE).problems
    assert problems == [], "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in CATALOGUE.lessons])
def test_every_starter_reference_and_try_step_of_a_lesson_runs_clean(grader, lesson_id):
    """What ``tensordojo lint`` runs, one lesson per test so that parallel workers share the course."""
    problems = run_problems(Catalogue(entries=[CATALOGUE.get(lesson_id)]), grader)
    assert problems == [], "\n".join(str(p) for p in problems)


LAZY = {
    "None": "return None",
    "a constant": "return 0",
    "a copy of the input": "return args[0]",
}


@pytest.mark.parametrize("exercise_id", [full_id(l, e) for l, e in EXERCISES if e.names[0][0].islower()])
def test_lazy_answers_fail(grader, exercise_id):
    name = next(e for l, e in EXERCISES if full_id(l, e) == exercise_id).names[0]
    for label, body in LAZY.items():
        code = f"def {name}(*args, **kwargs):\n    {body}\n"
        report = grade(grader, exercise_id, code)
        assert report.status == "failed", f"{exercise_id} accepted {label}: {report.to_dict()}"
        assert all(r.message for r in report.results if not r.passed)


STYLES = {
    "tensors.pad-sequences": [
        "import torch\nfrom torch.nn.utils.rnn import pad_sequence\n"
        "def pad_sequences(seqs, value=0):\n"
        "    return pad_sequence([torch.tensor(s) for s in seqs], batch_first=True, padding_value=value)\n",
        "import torch\ndef pad_sequences(seqs, value=0):\n    w = max(map(len, seqs))\n"
        "    rows = []\n    for s in seqs:\n        rows.append(list(s) + [value] * (w - len(s)))\n    return torch.tensor(rows)\n",
    ],
    "matmul-broadcasting.batched-outer": [
        "import torch\ndef batched_outer(a, b):\n    return torch.einsum('bi,bj->bij', a, b)\n",
        "import torch\ndef batched_outer(a, b):\n    return torch.stack([torch.outer(x, y) for x, y in zip(a, b)])\n",
    ],
    "reductions.column-sums": ["def column_sums(x):\n    return x.T.sum(dim=1)\n",
                               "import torch\ndef column_sums(x):\n    return torch.ones(x.shape[0]) @ x\n"],
    "manual-backprop.forward": [
        "import torch\ndef forward(x, W1, B1, W2, B2):\n    h = (x @ W1 + B1).clamp(min=0)\n"
        "    return 1 / (1 + torch.exp(-(h @ W2 + B2)))\n",
    ],
    "modules.toy-model": [
        "import torch.nn as nn\nclass ToyModel(nn.Sequential):\n    def __init__(self):\n"
        "        super().__init__(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())\n",
        "import torch, torch.nn as nn, torch.nn.functional as F\nclass ToyModel(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.b = nn.Linear(4, 2)\n        self.a = nn.Linear(3, 4)\n"
        "    def forward(self, x):\n        return torch.sigmoid(self.b(F.relu(self.a(x))))\n",
    ],
    "training-loop.train-step": [
        "def train_step(model, optimizer, loss_fn, X, Y):\n    loss = loss_fn(model(X), Y)\n    loss.backward()\n"
        "    optimizer.step()\n    optimizer.zero_grad()\n    return float(loss)\n",
    ],
    "grad-accumulation.accumulated-step": [
        "def accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches):\n    optimizer.zero_grad()\n"
        "    n = len(X) // micro_batches\n    total = 0.0\n    for i in range(micro_batches):\n"
        "        xb, yb = X[i * n:(i + 1) * n], Y[i * n:(i + 1) * n]\n        loss = loss_fn(model(xb), yb)\n"
        "        (loss * len(xb) / len(X)).backward()\n        total += loss.item() / micro_batches\n"
        "    optimizer.step()\n    return total\n",
    ],
}


@pytest.mark.parametrize("exercise_id", sorted(STYLES))
def test_other_correct_styles_pass(grader, exercise_id):
    for code in STYLES[exercise_id]:
        report = grade(grader, exercise_id, code)
        assert report.passed, (code, report.to_dict())


MISTAKES = {
    "tensors.pad-sequences": (
        "import torch\ndef pad_sequences(seqs, value=0):\n    w = max(map(len, seqs))\n"
        "    out = torch.full((len(seqs), w), value)\n    for i, s in enumerate(seqs):\n"
        "        out[i, :len(s)] = torch.tensor(s)\n    return out\n", "dtype"),
    "matmul-broadcasting.batched-outer": ("def batched_outer(a, b):\n    return a.T @ b\n", "shape"),
    "reductions.row-means": ("def row_means(x):\n    return x.mean(dim=0)\n", "row_means"),
    "reductions.column-sums": ("def column_sums(x):\n    return x.sum(dim=1)\n", "column_sums"),
    "manual-backprop.forward": (
        "import torch\ndef forward(x, W1, B1, W2, B2):\n    return torch.sigmoid(x @ W1 + B1) @ W2 + B2\n", "differs"),
    "manual-backprop.backprop": (
        "import torch\ndef backprop(x, Y, W1, B1, W2, B2):\n    ws = [w.clone().requires_grad_() for w in (W1, B1, W2, B2)]\n"
        "    out = torch.sigmoid(torch.relu(x @ ws[0] + ws[1]) @ ws[2] + ws[3])\n"
        "    ((out - Y) ** 2).sum().backward()\n    return [w.grad for w in ws]\n", "without autograd"),
    "modules.toy-model": (
        "import torch.nn as nn\nclass ToyModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))\n"
        "    def forward(self, x):\n        return self.net(x)\n", "differs"),
    "training-loop.train-step": (
        "def train_step(model, optimizer, loss_fn, X, Y):\n    loss = loss_fn(model(X), Y)\n    loss.backward()\n"
        "    optimizer.step()\n    return loss.item()\n", "zero_grad"),
    "training-loop.fit": (
        "import torch, torch.nn as nn\ndef fit(X, Y):\n    torch.manual_seed(0)\n"
        "    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())\n"
        "    o = torch.optim.SGD(m.parameters(), lr=0.1)\n    for _ in range(50):\n"
        "        o.zero_grad(); ((m(X) - Y) ** 2).mean().backward(); o.step()\n    return m\n", "below 0.01"),
    "grad-accumulation.accumulated-step": (
        "def accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches):\n    optimizer.zero_grad()\n"
        "    total = 0.0\n    for xb, yb in zip(X.chunk(micro_batches), Y.chunk(micro_batches)):\n"
        "        loss = loss_fn(model(xb), yb)\n        loss.backward()\n        total += loss.item() / micro_batches\n"
        "    optimizer.step()\n    return total\n", "times too large"),
}


@pytest.mark.parametrize("exercise_id", sorted(MISTAKES))
def test_common_mistakes_fail_with_a_message_naming_them(grader, exercise_id):
    code, named = MISTAKES[exercise_id]
    report = grade(grader, exercise_id, code)
    assert report.status == "failed"
    messages = " ".join(r.message for r in report.results if not r.passed)
    assert named in messages, messages
