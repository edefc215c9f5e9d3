"""Keeping the REPL responsive when code prints without end: show the start, then only a tail.

A run may print a million lines. The first :attr:`OutputLimiter.budget` lines go to the log as
they come; after that, lines are only counted and the last :attr:`OutputLimiter.tail` kept,
and :meth:`OutputLimiter.finish` returns them with a note of how many were not shown.
"""

from __future__ import annotations

from collections import deque

MAX_LINE_CHARS = 5000


def clip_line(line: str) -> str:
    """Cut one very long line, saying how much was cut."""
    if len(line) <= MAX_LINE_CHARS:
        return line
    return f"{line[:MAX_LINE_CHARS]}… [{len(line) - MAX_LINE_CHARS:,} more characters]"


class OutputLimiter:
    """Decides which printed lines of one run reach the log.

    Args:
        budget: lines shown live before switching to counting.
        tail: lines kept for the end once over budget.
    """

    def __init__(self, budget: int = 2000, tail: int = 200) -> None:
        self.budget = budget
        self.shown = 0
        self.hidden = 0
        self._tail: deque[str] = deque(maxlen=tail)

    def feed(self, text: str) -> str:
        """Return the part of ``text`` to show now ('' once over budget)."""
        lines = text.splitlines(keepends=True)
        room = max(0, self.budget - self.shown)
        now = lines[:room]
        self.shown += len(now)
        if len(lines) > room:  # only the last lines can end up in the tail: skip copying the rest
            self._tail.extend(lines[max(room, len(lines) - (self._tail.maxlen or 0)):])
            self.hidden += len(lines) - room
        return "".join(clip_line(line) for line in now)

    def finish(self) -> tuple[str, str]:
        """The note about cut lines and the kept tail ('' and '' when nothing was cut)."""
        if not self.hidden:
            return "", ""
        cut = self.hidden - len(self._tail)
        note = f"… {cut:,} lines not shown (the first {self.shown:,} and the last {len(self._tail):,} are) …"
        tail = "".join(clip_line(line) for line in self._tail)
        self._tail.clear()
        self.hidden = 0
        return (note if cut > 0 else ""), tail
