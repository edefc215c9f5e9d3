"""The workbench: the tensor REPL with the shape inspector beside it (or a key away when narrow)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, TextArea

from tui.screens.base import DojoScreen
from tui.widgets.inspector import Inspector
from tui.widgets.repl import ReplPanel
from tui.widgets.repl.input import ReplInput

SIDE_BY_SIDE = 110
"""From this width the REPL and the inspector share the screen; below it, F2 switches."""


class WorkbenchScreen(DojoScreen):
    """REPL and inspector; escape goes back."""

    CSS_PATH = "workbench.tcss"
    NARROW_BELOW = SIDE_BY_SIDE
    BINDINGS = [
        # Priority: the footer names it whatever has focus (the REPL panel's own escape would hide it),
        # and a key typed straight after it reaches the screen left to, not the REPL input.
        Binding("escape", "leave", "Back", priority=True),
        Binding("f2", "switch_pane", "REPL/Inspector"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, tab: str = "variables") -> None:
        super().__init__()
        self.tab = tab

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield ReplPanel(id="workbench-repl")
            yield Inspector(id="workbench-inspector")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Workbench"
        self.query_one(Inspector).show_tab(self.tab)
        self._fit_size()  # the base's handler may not have run yet, and -narrow decides the focus
        if self.tab == "broadcast":
            # Opened to try broadcasting: typing must reach the tool's shapes, not the hidden REPL input.
            self.set_class(self.has_class("-narrow"), "-inspecting")
            self.call_after_refresh(self.query_one(Inspector).focus_tab, "broadcast")
        else:
            self.query_one(ReplInput).focus()

    def action_switch_pane(self) -> None:
        """F2: on a narrow terminal show the inspector instead of the REPL, or back; else move focus."""
        if self.has_class("-narrow"):
            self.toggle_class("-inspecting")
        inspecting = self.has_class("-inspecting") or not self.has_class("-narrow")
        if inspecting and not self.query_one(Inspector).has_focus_within:
            self.query_one("#variables").focus()
        else:
            self.query_one(ReplInput).focus()

    def on_key(self, event: events.Key) -> None:
        """Code typed while the inspector's table or trace has focus goes to the REPL input.

        A learner who pressed f2 and typed on went on typing into a table: every key was lost
        (and ``t``, the inspector's tab key, switched tabs). Keys the inspector binds keep their
        meaning; the broadcast tool's fields keep their typing.
        """
        focused = self.focused
        if (not event.is_printable or not event.character or focused is None
                or isinstance(focused, (Input, TextArea)) or event.key in self.active_bindings
                or not self.query_one(Inspector).has_focus_within):
            return
        event.stop()
        event.prevent_default()
        self.remove_class("-inspecting")  # on a narrow terminal, the REPL comes back into view
        repl_input = self.query_one(ReplInput)
        repl_input.focus()
        repl_input.insert(event.character)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":  # escape in the REPL's history search or completions closes them first
            return not self.query_one(ReplPanel).popup_open
        return True

    def action_leave(self) -> None:
        """Back to where the learner came from (the REPL keeps running)."""
        self.dismiss()
