"""A banner that tells the learner the terminal is smaller than the app is laid out for."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Static

MINIMUM = Size(80, 24)


class SizeNotice(Static):
    """Shown only while the terminal is smaller than :data:`MINIMUM`; says how much room is needed."""

    DEFAULT_CSS = """
    SizeNotice {
        dock: top;
        height: auto;
        background: $warning;
        color: $text;
        padding: 0 1;
        display: none;
    }
    SizeNotice.-shown { display: block; }
    """

    def update_for(self, size: Size) -> None:
        """Show or hide the notice for a terminal of this size."""
        small = size.width < MINIMUM.width or size.height < MINIMUM.height
        self.set_class(small, "-shown")
        if small:
            self.update(
                f"This terminal is {size.width}x{size.height}; tensordojo needs at least "
                f"{MINIMUM.width}x{MINIMUM.height}. Enlarge the window or reduce the font size."
            )
