"""Hidden tests of the ``sequences`` lesson's exercises: values in, values out.

Each test calls the learner's function on tensors and compares what it returns with the
reference's result, on worked examples and on random batches (``agrees_on_random``).
"""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _outputs(d: Draw) -> tuple:
    import torch

    n, t, h = d.int(1, 6), d.int(1, 8), d.int(1, 5)
    return d.tensor(n, t, h), d.tensor(n, dtype=torch.int64, low=1, high=t + 1)


def _output_cases() -> list[tuple]:
    import torch

    out = torch.arange(2 * 3 * 2, dtype=torch.float32).reshape(2, 3, 2)
    return [
        (out, torch.tensor([3, 3])),
        (out, torch.tensor([3, 1])),
        (out, torch.tensor([1, 2])),
        (torch.ones(1, 1, 4), torch.tensor([1])),
    ]


LAST_STEPS_TESTS = [
    agrees("last_steps", _output_cases, title="worked examples: full rows, a short row, one step"),
    agrees_on_random("last_steps", _outputs, title="random outputs and lengths"),
]


def _tokens(d: Draw) -> tuple:
    import torch

    n, t, vocab, dim = d.int(1, 4), d.int(1, 6), d.int(2, 10), d.int(1, 5)
    pad = d.choice([0, 1])
    ids = d.tensor(n, t, dtype=torch.int64, low=0, high=vocab)
    ids[:, 0] = torch.where(ids[:, 0] == pad, (pad + 1) % vocab, ids[:, 0])
    return (ids, d.tensor(vocab, dim)) if pad == 0 else (ids, d.tensor(vocab, dim), pad)


def _token_cases() -> list[tuple]:
    import torch

    weight = torch.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return [
        (torch.tensor([[1, 2, 0], [3, 0, 0]]), weight),
        (torch.tensor([[1, 2, 3]]), weight),
        (torch.tensor([[2, 3, 3], [3, 2, 2]]), weight, 3),
    ]


MEAN_EMBEDDING_TESTS = [
    agrees("mean_embedding", _token_cases, title="worked examples: padding 0, no padding, padding 3"),
    agrees_on_random("mean_embedding", _tokens, title="random ids, tables and padding ids"),
]
