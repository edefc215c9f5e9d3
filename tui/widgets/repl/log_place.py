"""Where a learner is in the REPL log, kept across a redraw of the log at a new width.

The log is drawn again whenever the terminal's width changes. A learner who had scrolled up to
read an earlier result must find the same entry (the same echoed cell, the same printed line) at
the top afterwards, though every entry may now wrap to a different number of rows.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

from rich.console import Console, RenderableType
from rich.text import Text


@dataclass(frozen=True)
class Written:
    """One thing the log wrote, as it was written."""

    content: RenderableType
    lines: int
    """Lines of output it holds (the output limiter's count)."""
    rows: int
    """Rows it took in the log."""
    width: int | None
    """The width it was drawn at (None: measured, before the log had a size)."""


@dataclass(frozen=True)
class Place:
    """The entry at the top of the view, and how far into it the view starts."""

    entry: Written
    row: int
    """Rows of the entry above the top of the view."""


def top_place(written: Sequence[Written], line_count: int, top_row: int) -> Place | None:
    """The entry shown on row ``top_row`` of a log holding ``line_count`` rows.

    The last entries fill the log's last rows; the first may have lost rows to the log's limit,
    so rows are counted from the end.
    """
    start = line_count
    for entry in reversed(written):
        start -= entry.rows
        if start <= top_row:
            return Place(entry, top_row - start)
    return Place(written[0], 0) if written else None


def row_in_redrawn(place: Place, old: Iterable[Written], new: Sequence[Written], line_count: int,
                   console: Console) -> int | None:
    """The row to show at the top of the log redrawn as ``new`` (entry for entry, ``old`` redrawn),
    so that ``place`` is at the top again; None when its entry is no longer kept."""
    index = next((i for i, entry in enumerate(old) if entry is place.entry), None)
    if index is None or index >= len(new):
        return None
    start = line_count - sum(entry.rows for entry in new[index:])
    return max(0, start + _row_within(place, new[index], console))


def _row_within(place: Place, redrawn: Written, console: Console) -> int:
    """The row of the redrawn entry that shows what row ``place.row`` of the old one showed.

    Printed text keeps the line it showed (a line wraps to more or fewer rows at another
    width); anything else (a table, a tensor) keeps its share of the way down."""
    old, content = place.entry, place.entry.content
    if isinstance(content, Text) and old.width and redrawn.width:
        before, after = _line_starts(content, old.width, console), _line_starts(content, redrawn.width, console)
        if len(before) == len(after):
            return min(after[bisect_right(before, place.row) - 1], redrawn.rows - 1)
    return min(place.row * redrawn.rows // max(1, old.rows), redrawn.rows - 1)


def _line_starts(text: Text, width: int, console: Console) -> list[int]:
    """The row each line of ``text`` starts on when drawn ``width`` columns wide."""
    options = console.options.update_width(width)
    starts, row = [], 0
    for line in text.split("\n", allow_blank=True):
        starts.append(row)
        row += max(1, len(console.render_lines(line, options, pad=False)))
    return starts
