"""Writing shapes and tensor summaries the way a learner reads them: ``(2, 3)``, ``(5,)``, ``()``."""

from __future__ import annotations

from typing import Any, Sequence


def format_shape(shape: Sequence[int]) -> str:
    """A shape as a Python tuple: ``(2, 3)``, ``(5,)``, ``()``."""
    dims = [int(d) for d in shape]
    if len(dims) == 1:
        return f"({dims[0]},)"
    return "(" + ", ".join(map(str, dims)) + ")"


def tensor_header(meta: dict[str, Any]) -> str:
    """One line before a tensor's values: ``shape (2, 3) · int64 · cpu`` (+ grad facts when set)."""
    parts = [f"shape {format_shape(meta['shape'])}", meta["dtype"], meta["device"]]
    if meta.get("parameter"):
        parts.append("Parameter")
    if meta.get("requires_grad"):
        parts.append("requires_grad")
    if meta.get("grad_fn"):
        parts.append(f"grad_fn={meta['grad_fn']}")
    return " · ".join(parts)
