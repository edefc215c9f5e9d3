"""Python indentation as an editor applies it: indent after a colon, dedent on backspace.

Pure functions on the text of one line, shared by the exercise and try-step editors and the
REPL's input, so every code box in the app indents the same way.
"""

from __future__ import annotations

import re

INDENT = 4
"""Spaces per level (PEP 8)."""

_BLOCK_ENDERS = re.compile(r"^(return|pass|break|continue|raise)\b")
_COMMENT = re.compile(r"\s+#[^'\"]*$|^#.*$")


def leading_spaces(line: str) -> int:
    """How many columns of indentation ``line`` starts with (a tab counts as one level)."""
    stripped = line.lstrip(" \t")
    prefix = line[: len(line) - len(stripped)]
    return prefix.count(" ") + INDENT * prefix.count("\t")


def indent_after(line: str) -> int:
    """The indentation for a new line typed after ``line`` (the text before the cursor).

    The same as ``line``'s; one level more after a colon (``def f():``, ``for ...:``, ``else:``,
    a trailing comment allowed); one level less after ``return``, ``pass``, ``break``,
    ``continue`` or ``raise``, which end a block.
    """
    current = leading_spaces(line)
    code = _COMMENT.sub("", line).rstrip()
    if not code.strip():
        return current
    if code.endswith(":"):
        return current + INDENT
    if _BLOCK_ENDERS.match(code.strip()):
        return max(0, current - INDENT)
    return current


def dedent_target(before_cursor: str) -> int | None:
    """Where backspace should take the cursor: the previous indentation level.

    Only when the text before the cursor is spaces alone (at least one); otherwise ``None``
    and backspace deletes one character as usual.
    """
    if not before_cursor or before_cursor.strip(" "):
        return None
    return (len(before_cursor) - 1) // INDENT * INDENT
