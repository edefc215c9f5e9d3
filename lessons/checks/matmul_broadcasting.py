"""Hidden tests of the ``matmul-broadcasting`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _outer_cases() -> list[tuple]:
    import torch

    return [
        (torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 4.0, 5.0]])),
        (torch.arange(6.0).reshape(2, 3), torch.arange(4.0).reshape(2, 2)),
        (torch.ones(3, 1), torch.full((3, 1), 2.0)),
    ]


def _outer(d: Draw) -> tuple:
    b = d.int(1, 5)
    return d.tensor(b, d.int(1, 6)), d.tensor(b, d.int(1, 6))


def _dist(d: Draw) -> tuple:
    features = d.int(1, 5)
    return d.tensor(d.int(1, 6), features), d.tensor(d.int(1, 6), features)


def _scale(d: Draw) -> tuple:
    rows = d.int(1, 6)
    # Square inputs included on purpose: X * s broadcasts silently there, scaling columns.
    return d.tensor(rows, d.choice([rows, d.int(1, 6)])), d.tensor(rows)


OUTER_TESTS = [
    agrees("batched_outer", _outer_cases, title="worked examples"),
    agrees_on_random("batched_outer", _outer, title="random batch sizes, m and n"),
]

DIST_TESTS = [
    agrees("pairwise_sq_dists",
           lambda: [(__import__("torch").tensor([[0.0, 0.0], [1.0, 1.0]]), __import__("torch").tensor([[3.0, 4.0]]))],
           title="two points against (3, 4)", atol=1e-4),
    agrees_on_random("pairwise_sq_dists", _dist, title="random point sets", atol=1e-4),
]

SCALE_TESTS = [
    agrees("scale_rows",
           lambda: [(__import__("torch").ones(2, 3), __import__("torch").tensor([2.0, 3.0]))],
           title="a 2 x 3 batch of ones"),
    agrees_on_random("scale_rows", _scale, title="random batches, square ones included"),
]
