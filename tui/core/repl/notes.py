"""Plain-words notes for the REPL errors that puzzle learners who are not after a traceback."""

from __future__ import annotations

_NOTES = {
    "StdinNotImplementedError": "input() is not supported in the REPL, which has no prompt to answer it. "
    "Assign the value directly instead, e.g. name = 'Ada'.",
    "SystemExit": "sys.exit() ends a script; here it only stopped this input. The REPL and your variables are still there.",
    "KeyboardInterrupt": "Interrupted. Your variables are kept.",
    "RecursionError": "A function called itself too many times (Python stops at about 1000 nested calls). "
    "Check that it reaches a case where it stops calling itself.",
}


def note_for(ename: str) -> str | None:
    """A sentence explaining a special error, or None for ordinary ones."""
    return _NOTES.get(ename)
