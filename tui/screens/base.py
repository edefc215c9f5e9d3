"""What every screen of the app shares: the too-small-terminal notice, ``-narrow`` and ``-short``.

Textual runs each class's ``on_mount`` and ``on_resize`` along the MRO, so subclasses define their
own handlers without calling these (calling ``super()`` would run them twice).
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

from tui.widgets.size_notice import SizeNotice


class DojoScreen(Screen):
    """A screen that warns when the terminal is smaller than 80x24 (and still renders).

    A screen that lays out differently when narrow sets ``NARROW_BELOW`` (columns); it then has the
    CSS class ``-narrow`` whenever the terminal is narrower. Likewise ``SHORT_BELOW`` (lines) and
    the class ``-short``.
    """

    NARROW_BELOW = 0
    SHORT_BELOW = 0
    PALETTE_IN_FOOTER_FROM = 0
    """Columns from which the footer names ^p palette; below, its room goes to the screen's keys
    (ctrl+p still opens the palette, and the help says so). A screen whose keys need it sets it."""

    def on_mount(self) -> None:
        self.mount(SizeNotice())
        self._fit_size()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_size()

    def _fit_size(self) -> None:
        for notice in self.query(SizeNotice):
            notice.update_for(self.app.size)
        self.set_class(self.app.size.width < self.NARROW_BELOW, "-narrow")
        for footer in self.query(Footer):
            show = self.app.size.width >= self.PALETTE_IN_FOOTER_FROM
            if footer.show_command_palette != show:
                footer.show_command_palette = show
                # The reactive only repaints: the palette key is a child the footer must compose again,
                # or a terminal narrowed to 80 columns kept it and cut "esc Back" to "esc B".
                footer.call_next(footer.recompose)
        self.set_class(self.app.size.height < self.SHORT_BELOW, "-short")
