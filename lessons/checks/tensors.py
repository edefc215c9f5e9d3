"""Hidden tests of the ``tensors`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _ragged(d: Draw) -> tuple:
    import torch

    dtype = d.choice([torch.int64, torch.float32])
    seqs = [d.tensor(d.int(1, 6), dtype=dtype).tolist() for _ in range(d.int(1, 5))]
    return (seqs,) if d.choice([True, False]) else (seqs, d.int(-3, 3))


def _ragged_cases() -> list[tuple]:
    return [
        ([[1, 2, 3], [4, 5]],),
        ([[7], [1, 2, 3, 4], [5, 6]], -1),
        ([[0.5, 1.5], [2.0]],),
        ([[1, 2], [3, 4]],),
        ([[9]],),
    ]


PAD_TESTS = [
    agrees("pad_sequences", _ragged_cases, title="worked examples: ints, floats, a padding value"),
    agrees_on_random("pad_sequences", _ragged, title="random lists of different lengths"),
]

POWERS_TESTS = [
    agrees("powers", lambda: [(1,), (3,), (5,)], title="powers(1), powers(3), powers(5)"),
    agrees_on_random("powers", lambda d: (d.int(1, 30),), title="powers(n) for n up to 30"),
]

CHECKERBOARD_TESTS = [
    agrees("checkerboard", lambda: [(1,), (2,), (3,)], title="checkerboard(1), (2) and (3)"),
    agrees_on_random("checkerboard", lambda d: (d.int(1, 12),), title="checkerboard(n) for n up to 12"),
]
