"""Shape errors in plain words: the entry point kept for callers (the kernel, the trace command).

The explainers live in :mod:`tui.core.explainers`, one module per op family.
"""

from __future__ import annotations

from tui.core.explainers import Explanation, FailedCall, explain_call, explain_shape_error

__all__ = ["Explanation", "FailedCall", "explain_call", "explain_shape_error"]
