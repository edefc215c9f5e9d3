"""How a child process ended, in words a learner can act on (the REPL kernel, the training process)."""

from __future__ import annotations

_SIGNALS = {9: "it was killed, often for lack of memory", 11: "it crashed with a segmentation fault", 6: "it aborted"}


def describe_exit(code: int) -> str:
    """``it exited with status 1``, ``it was killed, often for lack of memory``... from a return code
    (negative for a signal, as :mod:`subprocess` gives it)."""
    if code < 0:
        return _SIGNALS.get(-code, f"it ended with signal {-code}")
    return f"it exited with status {code}"
