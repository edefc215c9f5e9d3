"""Hidden tests of the ``reductions`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _table(d: Draw) -> tuple:
    # Square tables included: there, reducing over the wrong dim still gives the right shape.
    rows = d.int(1, 6)
    return (d.tensor(rows, d.choice([rows, d.int(1, 6)])),)


def _worked() -> list[tuple]:
    import torch

    return [(torch.tensor([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0]]),), (torch.tensor([[1.0, 2.0], [3.0, 4.0]]),),
            (torch.arange(35.0).reshape(5, 7),)]


ROW_MEANS_TESTS = [
    agrees("row_means", _worked, title="worked examples (2 x 3, 2 x 2, 5 x 7)"),
    agrees_on_random("row_means", _table, title="random tables, square ones included"),
]
COLUMN_SUMS_TESTS = [
    agrees("column_sums", _worked, title="worked examples (2 x 3, 2 x 2, 5 x 7)", atol=1e-4),
    agrees_on_random("column_sums", _table, title="random tables, square ones included", atol=1e-4),
]
BEST_CLASS_TESTS = [
    agrees("best_class", lambda: [(__import__("torch").tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 1.0]]),)],
           title="two samples of three scores"),
    agrees_on_random("best_class", _table, title="random score tables"),
]
