"""The recent-loss sparkline: Textual's ``Sparkline``, drawn with fewer, shared styles.

Textual's own renderable gives every bar its own blended colour, a fresh Rich style per cell
(about 200 per frame at 70 columns and 3 rows), and each of those then goes through the
colour filters uncached: 1.6 ms of a 6.5 ms frame while training, time the training thread
waits for. Here the blend is rounded to one of :data:`SHADES` colours, made once, and a run of
cells with the same glyph and colour is one segment. The bars and their heights are the same.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from rich.color import Color as RichColor
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.renderables._blend_colors import blend_colors
from textual.strip import Strip
from textual.widgets import Sparkline

SHADES = 8
_BLANK = Style()
"""The style of blank cells: a real (empty) style, never None, which NO_COLOR's monochrome filter cannot read."""
_BARS = "▁▂▃▄▅▆▇█"


def columns(data: Sequence[float], width: int) -> list[float]:
    """``data`` split into ``width`` consecutive buckets (fewer when there are fewer values), the
    largest value of each, as Textual's sparkline summarises them."""
    n = len(data)
    if n <= width:
        return list(data)
    return [max(data[i * n // width:(i + 1) * n // width]) for i in range(width)]


class Bars:
    """A Rich renderable: ``height`` rows of bars for ``values``, coloured from low to high."""

    def __init__(self, values: Sequence[float], width: int, height: int, low: RichColor, high: RichColor) -> None:
        self.values, self.width, self.height = values, width, max(1, height)
        self.styles = [Style(color=blend_colors(low, high, i / (SHADES - 1))) for i in range(SHADES)]

    def rows(self) -> Iterable[list[tuple[str, int]]]:
        """Each row, top first, as (glyph, shade) cells; shade -1 is blank."""
        values = columns(self.values, self.width)
        finite = [v for v in self.values if math.isfinite(v)]  # a run that diverged ends in NaN or inf
        if not finite:
            yield from ([] for _ in range(self.height - 1))
            yield [("▁", 0)] * self.width
            return
        low, high = min(finite), max(finite)  # of all the data, as Textual's does
        extent = (high - low) or 1
        levels = 8 * self.height - 1
        step = self.width / len(values)
        bars = []  # (bar level, shade) of each column: the same in every row
        for i in range(self.width):
            value = values[min(len(values) - 1, int(i / step))]
            if not math.isfinite(value):
                bars.append((-1, -1))  # no bar: the column is left blank
                continue
            ratio = (value - low) / extent
            bars.append((int(ratio * levels), round(ratio * (SHADES - 1))) if len(values) > 1 else (levels, SHADES - 1))
        for row in reversed(range(self.height)):
            cells = []
            for index, shade in bars:
                if index < row * 8:
                    cells.append((" ", -1))
                elif index >= (row + 1) * 8:
                    cells.append(("█", shade))
                else:
                    cells.append((_BARS[index % 8], shade))
            yield cells

    def lines(self) -> list[list[Segment]]:
        """Each row, top first, as segments: one per run of cells with the same shade."""
        lines = []
        for cells in self.rows():
            line: list[Segment] = []
            run, shade = "", -1
            for glyph, cell_shade in cells:
                if cell_shade != shade and run:
                    line.append(Segment(run, self.styles[shade] if shade >= 0 else _BLANK))
                    run = ""
                run, shade = run + glyph, cell_shade
            if run:
                line.append(Segment(run, self.styles[shade] if shade >= 0 else _BLANK))
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for index, line in enumerate(self.lines()):
            if index:
                yield Segment.line()
            yield from line


class LossSparkline(Sparkline):
    """A ``Sparkline`` drawn from :class:`Bars`, line by line, laid out once per change of data."""

    _drawn: tuple[object, tuple[int, int], list[Strip]] | None = None

    def render(self) -> Bars:
        _, base = self.background_colors
        low = base + (self.min_color or self.get_component_styles("sparkline--min-color").color)
        high = base + (self.max_color or self.get_component_styles("sparkline--max-color").color)
        return Bars(self.data or [], self.size.width, self.size.height, low.rich_color, high.rich_color)

    def render_line(self, y: int) -> Strip:
        size = (self.size.width, self.size.height)
        if self._drawn is None or self._drawn[0] is not self.data or self._drawn[1] != size:
            strips = [Strip(line).extend_cell_length(size[0], _BLANK) for line in self.render().lines()]
            self._drawn = (self.data, size, strips)
        strips = self._drawn[2]
        return strips[y] if y < len(strips) else Strip.blank(size[0], _BLANK)
