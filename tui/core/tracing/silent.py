"""Silent shape bugs: code that runs, but not on the shapes the learner meant.

The classic is ``(N, 1)`` against ``(N,)`` in an element-wise op or a loss: it broadcasts to
``(N, N)`` and the loss quietly averages N * N wrong pairs. A broadcast the learner clearly meant
(both sides already carry their own singleton dims, as in pairwise distances) is left alone.
"""

from __future__ import annotations

from tui.core.explainers.broadcast import broadcast
from tui.core.tracing.shapes import format_shape
from tui.core.tracing.names import ELEMENTWISE, LOSSES

Shape = tuple[int, ...]


def broadcast_pair(op: str, inputs: list[Shape]) -> tuple[Shape, Shape] | None:
    """The two input shapes of an element-wise op when they differ (worth a broadcast diagram)."""
    if op.rstrip("_") in ELEMENTWISE and len(inputs) >= 2 and inputs[0] != inputs[1]:
        return inputs[0], inputs[1]
    return None


def _column_against_row(a: Shape, b: Shape) -> tuple[Shape, Shape] | None:
    """``(.., N, 1)`` with ``(.., N)``, in either order: the column and the row."""
    for col, row in ((a, b), (b, a)):
        if (len(col) >= 2 and col[-1] == 1 and len(row) == len(col) - 1 and row[-1] == col[-2] and row[-1] > 1
                and row[:-1] == col[:-2]):
            return col, row
    return None


def _meant(a: Shape, b: Shape) -> bool:
    """Both operands carry explicit singleton dims at different places, as in ``x[:, None] - y[None]``."""
    if len(a) != len(b):
        return False
    ones_a = {i for i, d in enumerate(a) if d == 1}
    ones_b = {i for i, d in enumerate(b) if d == 1}
    return bool(ones_a) and bool(ones_b) and not (ones_a & ones_b)


def silent_broadcast_note(op: str, inputs: list[Shape], output: Shape | None = None) -> str:
    """A warning for an op whose shapes point at a silent bug, or ``""``."""
    base = op.rstrip("_")
    if base == "gather":
        return ""
    if base not in ELEMENTWISE or len(inputs) < 2:
        return ""
    a, b = inputs[0], inputs[1]
    if a == b:
        return ""
    outcome = broadcast(a, b)
    if not outcome.ok or _meant(a, b):
        return ""
    pair = _column_against_row(a, b)
    if pair is not None:
        col, row = pair
        n = col[-2]
        grown = format_shape(outcome.result or ())
        where = (f": inside {op} they broadcast to {grown} before it reduces: {n * n} pairs where {n} were meant"
                 if base in LOSSES else f" broadcast to {grown}: {n * n} values where {n} were probably meant")
        return (f"{format_shape(a)} with {format_shape(b)}{where}. Make the shapes equal first: "
                f".squeeze(-1) on the {format_shape(col)} side or .unsqueeze(-1) on the {format_shape(row)} side.")
    if base in LOSSES:
        return (f"the loss compares {format_shape(a)} with {format_shape(b)}; they broadcast to "
                f"{format_shape(outcome.result or ())}, which is rarely what a loss means: give both the same shape.")
    return ""


def gather_note(inputs: list[Shape], dim: int | None) -> str:
    """``gather`` whose index has fewer rows than the input: the rows past it are silently skipped."""
    if dim is None or len(inputs) < 2:
        return ""
    source, index = inputs[0], inputs[1]
    if len(source) != len(index) or len(source) < 2:
        return ""
    dim = dim % len(source)
    short = [d for d in range(len(source)) if d != dim and index[d] < source[d]]
    if not short:
        return ""
    d = short[0]
    return (f"gather along dim {dim} with an index of shape {format_shape(index)} on an input of shape "
            f"{format_shape(source)}: the index covers only {index[d]} of the {source[d]} entries in dim {d}, "
            f"so the rest are silently left out. Give the index {source[d]} entries there (one per row).")
