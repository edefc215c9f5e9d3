"""A small tool: type two shapes, see how they broadcast."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from tui.core.course.answers import UnreadableAnswer, normalise_shape
from tui.core.explainers.broadcast import diagram, explain_failure


class BroadcastTool(Vertical):
    """Two shape inputs and the diagram, updated as the learner types."""

    DEFAULT_CSS = """
    BroadcastTool { height: auto; padding: 0 1; }
    BroadcastTool Horizontal { height: auto; }
    BroadcastTool Input { width: 1fr; }
    BroadcastTool #broadcast-diagram { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Type two shapes, like (5, 1, 4) and (3, 1):")
        with Horizontal():
            yield Input(value="(5, 1, 4)", placeholder="shape a", id="shape-a")
            yield Input(value="(3, 1)", placeholder="shape b", id="shape-b")
        yield Static(id="broadcast-diagram")

    def on_mount(self) -> None:
        self._redraw()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._redraw()

    def _redraw(self) -> None:
        out = self.query_one("#broadcast-diagram", Static)
        try:
            a = normalise_shape(self.query_one("#shape-a", Input).value)
            b = normalise_shape(self.query_one("#shape-b", Input).value)
        except UnreadableAnswer as error:
            out.update(f"{error}")
            return
        lines = diagram(a, b)
        reason = explain_failure(a, b)
        out.update("\n".join(lines + ([reason] if reason else [])))
