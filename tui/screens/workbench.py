"""The workbench: the tensor REPL with room beside it (the shape inspector's place)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Markdown

from tui.screens.base import DojoScreen
from tui.widgets.repl import ReplPanel
from tui.widgets.repl.input import ReplInput

REPL_KEYS = """\
### REPL keys

| key | does |
|---|---|
| `enter` | run a complete statement; else a new line |
| `ctrl+j` | run now |
| `up` / `down` | history (first / last line) |
| `ctrl+r` | search history |
| `tab` | complete |
| `ctrl+c` | interrupt running code |
| `obj?` | help on `obj` |

`torch`, `nn`, `F` and `np` are imported.
"""
SIDEBAR_MIN_WIDTH = 110


class WorkbenchScreen(DojoScreen):
    """A full-size REPL; escape goes back."""

    CSS_PATH = "workbench.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield ReplPanel(id="workbench-repl")
            with VerticalScroll(id="workbench-side"):
                yield Markdown(REPL_KEYS)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Workbench"
        self.query_one(ReplInput).focus()
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#workbench-side").display = width >= SIDEBAR_MIN_WIDTH

    def action_leave(self) -> None:
        """Back to where the learner came from (the REPL keeps running)."""
        self.dismiss()
