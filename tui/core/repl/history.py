"""Moving through REPL history with up and down, and searching it backwards (ctrl+r).

Pure logic: the input widget asks a :class:`HistoryCursor` for the text to show.
"""

from __future__ import annotations


class HistoryCursor:
    """A position in a list of past inputs, oldest first, plus the draft being typed.

    Going up from the draft remembers it; coming back down past the newest entry restores it.
    """

    def __init__(self, entries: list[str] | None = None) -> None:
        self.entries: list[str] = list(entries or [])
        self.position = len(self.entries)
        self.draft = ""

    def add(self, source: str) -> None:
        """Record a run input and go back to a fresh draft."""
        if source.strip() and (not self.entries or self.entries[-1] != source):
            self.entries.append(source)
        self.position = len(self.entries)
        self.draft = ""

    def older(self, current: str) -> str | None:
        """The previous entry, or None at the oldest."""
        if self.position == 0:
            return None
        if self.position == len(self.entries):
            self.draft = current
        self.position -= 1
        return self.entries[self.position]

    def newer(self) -> str | None:
        """The next entry, the draft after the newest, or None when already at the draft."""
        if self.position >= len(self.entries):
            return None
        self.position += 1
        return self.draft if self.position == len(self.entries) else self.entries[self.position]

    def search(self, term: str, before: int | None = None) -> tuple[int, str] | None:
        """The newest entry containing ``term`` older than index ``before`` (default: all)."""
        start = len(self.entries) if before is None else before
        for index in range(start - 1, -1, -1):
            if term in self.entries[index]:
                return index, self.entries[index]
        return None
