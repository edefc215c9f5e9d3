"""The REPL log's vertical scrollbar: Textual's own, drawing each kind of row once.

A scrollbar has few kinds of row (track above the thumb, thumb, track below, the two partial
ends), yet each move of the thumb (every new line at the end of the log) restyled all of its
rows again: 0.8 ms of the frame that shows a REPL result. This one keeps each row it drew by the
segment that row shows, so a move draws only rows of a kind it has not drawn before.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip


class RowKeptScrollBar(ScrollBar):
    """A vertical :class:`ScrollBar` that reuses drawn rows; anything else draws as usual."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rows: dict[Segment, Strip] = {}
        self._rows_key: tuple = ()

    def row_segments(self, height: int) -> list[Segment] | None:
        """The segment of each row, as Textual's renderer would draw them (None: not known)."""
        renderable = self.render()
        if not self.vertical or not isinstance(renderable, ScrollBarRender):
            return None
        style = renderable.style
        if isinstance(style, str) or style.bgcolor is None or style.color is None:
            return None
        bar = renderable.render_bar(
            size=height, virtual_size=renderable.virtual_size, window_size=renderable.window_size,
            position=renderable.position, thickness=self.region.width, vertical=True,
            back_color=style.bgcolor, bar_color=style.color,
        )
        segments = list(bar.segments)
        return segments if len(segments) == height else None

    def render_lines(self, crop: Region) -> list[Strip]:
        segments = self.row_segments(self.region.height)
        if segments is None:
            return super().render_lines(crop)
        width = self.region.width
        key = (self.region.size, self.background_colors, tuple(self.get_line_filters()))
        if key != self._rows_key:
            self._rows, self._rows_key = {}, key
        strips: list[Strip] = []
        for y in crop.line_range:
            strip = self._rows.get(segments[y])
            if strip is None:
                strip = self._rows[segments[y]] = super().render_lines(Region(0, y, width, 1))[0]
            strips.append(strip)
        if crop.column_span != (0, width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips
