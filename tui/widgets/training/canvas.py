"""A fixed-size area showing one Rich renderable, repainted without a layout pass.

``Static.update()`` asks for a layout refresh; at 20 reports a second that recomputed the whole
screen's layout each frame and took the training thread's GIL time (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.widget import Widget


class Canvas(Widget):
    """Shows whatever it was last given; its height comes from CSS, not from the content."""

    DEFAULT_CSS = """
    Canvas { height: 8; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._renderable: RenderableType = ""

    def show(self, renderable: RenderableType) -> None:
        """Replace the content and repaint (no layout)."""
        self._renderable = renderable
        self.refresh()

    def render(self) -> RenderableType:
        return self._renderable
