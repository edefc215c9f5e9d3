"""A fixed-size area showing one renderable, repainted without a layout pass.

``Static.update()`` asks for a layout refresh; at 20 reports a second that recomputed the whole
screen's layout each frame (see benchmarks/RESULTS.md).
The panels redrawn while training are :class:`~tui.widgets.training.render.Lines`, already laid
out in styled runs: they become strips directly, without Rich's wrapping and span resolution
(about 0.5 ms a panel per frame, time the training thread waits for). Anything else (the
messages shown before a run) goes through Rich and is wrapped to the width.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.training.render import Lines


class Canvas(Widget):
    """Shows whatever it was last given; its height comes from CSS, not from the content."""

    DEFAULT_CSS = """
    Canvas { height: 8; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._renderable: RenderableType = ""
        self._strips: list[Strip] | None = None
        self._width = -1

    def show(self, renderable: RenderableType) -> None:
        """Replace the content and repaint (no layout)."""
        self._renderable = renderable
        self._strips = None
        self.refresh()

    @property
    def plain(self) -> str:
        """What the canvas shows, without styles, one line per row (for tests)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines(max(1, self.size.width)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None  # the theme or CSS changed: lay out again in the new colours

    def _lines(self, width: int) -> list[Strip]:
        if self._strips is None or self._width != width:
            self._strips, self._width = self._lay_out(width), width
        return self._strips

    def _lay_out(self, width: int) -> list[Strip]:
        base = self.rich_style  # the widget's own colours, beneath the lines' styles
        return [strip.extend_cell_length(width).crop(0, width).apply_style(base) for strip in self._strips_for(width)]

    def _strips_for(self, width: int) -> list[Strip]:
        if isinstance(self._renderable, Lines):
            strips = []
            for row in range(len(self._renderable.rows)):
                strip = Strip(self._renderable.segments(row))
                cuts = list(range(width, strip.cell_length, width))
                strips += strip.divide(cuts + [strip.cell_length]) if cuts else [strip]  # long rows wrap
            return strips
        console = self.app.console
        options = console.options.update(width=width, height=self.size.height, highlight=False)
        return [Strip(line) for line in console.render_lines(self._renderable, options, pad=False)]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)
