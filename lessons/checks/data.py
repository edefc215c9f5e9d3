"""Hidden tests of the ``data`` lesson's exercises: values in, values out.

Each test calls the learner's function on plain values (counts, or a list of samples) and
compares what it returns with the reference's result.
"""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _counts(d: Draw) -> tuple:
    n, size = d.int(1, 300), d.int(1, 70)
    return (n, size) if d.choice([True, False]) else (n, size, d.choice([True, False]))


BATCH_SIZES_TESTS = [
    agrees("batch_sizes", lambda: [(10, 4), (10, 4, True), (12, 4), (12, 4, True), (3, 8), (3, 8, True), (1000, 64)],
           title="worked examples: a short last batch, an exact fit, a batch larger than the data"),
    agrees_on_random("batch_sizes", _counts, title="random sizes, with and without drop_last"),
]


def _samples(d: Draw) -> tuple:
    """A batch of 1 to 6 samples built from one drawn seed: few draws keep a failure quick to shrink."""
    import torch

    size, generator = d.int(1, 6), torch.Generator().manual_seed(d.int(0, 2**16))
    lengths = torch.randint(1, 8, (size,), generator=generator).tolist()
    labels = torch.randint(0, 10, (size,), generator=generator).tolist()
    return ([(torch.randint(0, 50, (length,), generator=generator), label) for length, label in zip(lengths, labels)],)


def _sample_cases() -> list[tuple]:
    import torch

    return [
        ([(torch.tensor([5, 6, 7]), 1), (torch.tensor([8]), 0)],),
        ([(torch.tensor([1, 2]), 3), (torch.tensor([3, 4]), 4)],),
        ([(torch.tensor([9]), 2)],),
    ]


PAD_COLLATE_TESTS = [
    agrees("pad_collate", _sample_cases, title="worked examples: ragged, equal lengths, one sample"),
    agrees_on_random("pad_collate", _samples, title="random batches of sequences"),
]
