"""What every screen of the app shares: header, footer and the too-small-terminal notice."""

from __future__ import annotations

from textual import events
from textual.screen import Screen

from tui.widgets.size_notice import SizeNotice


class DojoScreen(Screen):
    """A screen that warns when the terminal is smaller than 80x24 (and still renders)."""

    def on_mount(self) -> None:
        self.mount(SizeNotice())
        self.query_one(SizeNotice).update_for(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        for notice in self.query(SizeNotice):
            notice.update_for(self.app.size)
