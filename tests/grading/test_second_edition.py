"""The second edition's exercises (convolutions, sequences, data, and the training loop's held-out error):
a correct solution in another style passes each, and a common mistake fails with a message that says
what is wrong."""

from __future__ import annotations

import pytest

from tests.grading.test_exercises import grade

OTHER_STYLES = {
    "training-loop.held-out-error": (
        "import torch\nimport torch.nn.functional as F\n"
        "def held_out_mse(model, X, Y, X_new, Y_new):\n"
        "    with torch.inference_mode():\n"
        "        return float(F.mse_loss(model(X), Y)), float(F.mse_loss(model(X_new), Y_new))\n"),
    # Build the layers and let PyTorch say: run an empty batch through them.
    "convolutions.stack-shape": (
        "import torch, torch.nn as nn\n"
        "def stack_output_shape(shape, layers):\n"
        "    modules, c = [], shape[1]\n"
        "    for layer in layers:\n"
        "        if layer[0] == 'conv':\n"
        "            modules.append(nn.Conv2d(c, layer[1], layer[2], stride=layer[3], padding=layer[4]))\n"
        "            c = layer[1]\n"
        "        else:\n"
        "            modules.append(nn.MaxPool2d(layer[1]))\n"
        "    with torch.no_grad():\n"
        "        return tuple(nn.Sequential(*modules)(torch.empty(shape)).shape)\n"),
    "convolutions.to-batch": (
        "import torch\n"
        "def to_batch(images):\n"
        "    x = images.to(torch.float32).div(255.0)\n"
        "    if x.dim() == 3:\n"
        "        return x[:, None]\n"
        "    return x.movedim(-1, 1)\n"),
    "sequences.last-steps": (
        "import torch\n"
        "def last_steps(out, lengths):\n"
        "    index = (lengths - 1).view(-1, 1, 1).expand(-1, 1, out.shape[2])\n"
        "    return out.gather(1, index).squeeze(1)\n"),
    "sequences.mean-embedding": (
        "import torch\n"
        "def mean_embedding(ids, weight, pad=0):\n"
        "    rows = []\n"
        "    for row in ids:\n"
        "        real = row[row != pad]\n"
        "        rows.append(torch.nn.functional.embedding(real, weight).mean(dim=0))\n"
        "    return torch.stack(rows)\n"),
    "data.batch-sizes": (
        "import torch\nfrom torch.utils.data import DataLoader\n"
        "def batch_sizes(n, batch_size, drop_last=False):\n"
        "    loader = DataLoader(torch.zeros(n), batch_size=batch_size, drop_last=drop_last)\n"
        "    return [len(batch) for batch in loader]\n"),
    "data.pad-collate": (
        "import torch\nfrom torch.nn.utils.rnn import pad_sequence\n"
        "def pad_collate(batch):\n"
        "    seqs, labels = zip(*batch)\n"
        "    return (pad_sequence(list(seqs), batch_first=True), torch.tensor([len(s) for s in seqs]),\n"
        "            torch.tensor(labels))\n"),
}

MISTAKES = {
    "training-loop.held-out-error": (
        "def held_out_mse(model, X, Y, X_new, Y_new):\n    a = ((model(X) - Y) ** 2).mean()\n    a.backward()\n"
        "    return a.item(), ((model(X_new) - Y_new) ** 2).mean().item()\n", "gradients"),
    "convolutions.stack-shape": (
        "def stack_output_shape(shape, layers):\n    n, c, h, w = shape\n    for layer in layers:\n"
        "        if layer[0] == 'conv':\n            _, c, k, s, p = layer\n            h, w = h - k + 1, w - k + 1\n"
        "        else:\n            h, w = h // layer[1], w // layer[1]\n    return (n, c, h, w)\n", "should be"),
    "convolutions.to-batch": (
        "def to_batch(images):\n    if images.ndim == 3:\n        images = images.unsqueeze(-1)\n"
        "    return images.reshape(images.shape[0], images.shape[3], images.shape[1], images.shape[2]).float() / 255\n",
        "differ"),
    "sequences.last-steps": ("def last_steps(out, lengths):\n    return out[:, -1]\n", "last_steps"),
    "sequences.mean-embedding": ("def mean_embedding(ids, weight, pad=0):\n    return weight[ids].mean(dim=1)\n",
                                 "mean_embedding"),
    "data.batch-sizes": ("def batch_sizes(n, batch_size, drop_last=False):\n    return [batch_size] * (n // batch_size)\n",
                         "batch_sizes"),
    "data.pad-collate": (
        "import torch\ndef pad_collate(batch):\n    longest = max(len(s) for s, _ in batch)\n"
        "    padded = torch.zeros(len(batch), longest)\n    for i, (s, _) in enumerate(batch):\n"
        "        padded[i, :len(s)] = s\n"
        "    return padded, torch.tensor([len(s) for s, _ in batch]), torch.tensor([l for _, l in batch])\n",
        "dtype"),
}


@pytest.mark.parametrize("exercise_id", sorted(OTHER_STYLES))
def test_a_correct_solution_in_another_style_passes(grader, exercise_id):
    report = grade(grader, exercise_id, OTHER_STYLES[exercise_id])
    assert report.passed, report.to_dict()


@pytest.mark.parametrize("exercise_id", sorted(MISTAKES))
def test_a_common_mistake_fails_and_says_what_differs(grader, exercise_id):
    code, named = MISTAKES[exercise_id]
    report = grade(grader, exercise_id, code)
    # On a loaded machine, shrinking the random test's failure can outlast the grading time; the
    # worked examples have failed, with their message, before that.
    assert report.status in ("failed", "timeout") and not report.passed, report.to_dict()
    messages = " ".join(r.message for r in report.results if not r.passed)
    assert named in messages, messages


def test_measuring_the_held_out_error_with_autograd_on_fails_and_names_no_grad(grader):
    # The values are right and no gradient is left, but a graph was built for nothing: the task asks
    # for torch.no_grad(), and the learner's process observes the graph being recorded.
    code = ("def held_out_mse(model, X, Y, Xn, Yn):\n    a = ((model(X) - Y) ** 2).mean().item()\n"
            "    return a, ((model(Xn) - Yn) ** 2).mean().item()\n")
    report = grade(grader, "training-loop.held-out-error", code)
    assert report.status == "failed", report.to_dict()
    messages = " ".join(r.message for r in report.results if not r.passed)
    assert "recorded a graph" in messages and "torch.no_grad()" in messages, messages
