"""How the training view and ``tensordojo train`` write a loss: three significant figures.

A fixed ``.4f`` showed ``0.0000`` for a loss of 3e-4 and hid the digits that still move late in a
run; three significant figures keep them, in scientific notation when the value is very small or
very large.
"""

from __future__ import annotations

import math


def format_loss(value: float | None) -> str:
    """``0.693``, ``24.6``, ``0.0123``, ``3.00e-04``, ``1.23e+04``; ``—`` for no value, ``nan``/``inf`` as such."""
    if value is None:
        return "—"
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e4:
        return f"{value:.2e}"
    text = f"{value:#.3g}"  # '#' keeps the trailing zeros of 0.500
    return text.rstrip(".")
