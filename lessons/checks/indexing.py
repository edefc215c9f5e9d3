"""Hidden tests of the ``indexing`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _table(d: Draw) -> tuple:
    return (d.tensor(d.int(1, 6), d.int(1, 6)),)


def _rows(d: Draw) -> tuple:
    m = d.tensor(d.int(1, 6), d.int(1, 4))
    return m, [d.int(0, m.shape[0] - 1) for _ in range(d.int(1, 5))]


def _any_shape(d: Draw) -> tuple:
    return (d.tensor(*[d.int(1, 4) for _ in range(d.int(1, 4))]),)


FIRST_COLUMN_TESTS = [
    agrees("first_column", lambda: [(__import__("torch").arange(12.0).view(3, 4),)], title="a 3 x 4 table"),
    agrees_on_random("first_column", _table, title="random tables"),
]
PICK_ROWS_TESTS = [
    agrees("pick_rows", lambda: [(__import__("torch").arange(10.0).view(5, 2), [0, 2, 4]),
                                 (__import__("torch").arange(10.0).view(5, 2), [3, 3])],
           title="rows 0, 2, 4 and a repeated row"),
    agrees_on_random("pick_rows", _rows, title="random tables and row lists"),
]
LAST_VALUE_TESTS = [
    agrees("last_value", lambda: [(__import__("torch").tensor([[1.0, 2.0], [3.0, 4.5]]),)], title="a 2 x 2 tensor"),
    agrees_on_random("last_value", _any_shape, title="tensors of 1 to 4 dimensions"),
]
