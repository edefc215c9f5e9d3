"""The app's command palette: Enter runs what the learner typed, even in a burst of keys.

Textual's palette searches in a worker. An Enter that arrives while the search for the text typed
before it still runs (``ctrl+p stepper Enter`` pasted, or sent by tmux in one go) picked whatever the
list held at that moment, or nothing. Here such an Enter waits for the search, then picks its first
hit. The app holds the keys typed after the Enter meanwhile (:mod:`tui.palette_keys`); an Enter that
does not run a command tells it so, and the held keys go to the palette.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, WorkerState

TEXTUALS_OWN = ("_select_or_command", "_GATHER_COMMANDS_GROUP")
"""What of Textual's palette this one uses that Textual does not promise to keep (tested with 8.2)."""


def can_wait_for_search() -> bool:
    """Whether this Textual's palette has the parts used here; without them Enter is Textual's own."""
    return all(hasattr(CommandPalette, name) for name in TEXTUALS_OWN)


class DojoCommandPalette(CommandPalette):
    """A command palette whose Enter waits for the search typed before it."""

    class EnterLeftItOpen(Message):
        """An Enter ran no command (nothing matched yet): keys held for a new screen belong here."""

    enter_waiting = False
    """An Enter came while the search ran; it is acted on when the search ends."""

    def searching(self) -> bool:
        """Whether the palette's search for its text is still running."""
        if not can_wait_for_search():
            return False
        return any(worker.node is self and worker.group == self._GATHER_COMMANDS_GROUP
                   and worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in self.app.workers)

    def _will_run(self) -> bool:
        """Whether Textual's handling of Enter runs a command now (else it only highlights or does nothing)."""
        commands = self.query_one(CommandList)
        if getattr(self, "_list_visible", commands.option_count > 0):
            # "No matches found" is a disabled entry: Enter on it runs nothing.
            only = commands.option_count == 1 and not commands.get_option_at_index(0).disabled
            return commands.highlighted is not None or only
        return getattr(self, "_selected_command", None) is not None

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        # Handled here instead of by CommandPalette's own handler (prevent_default skips it), where
        # this Textual has what that takes; another Textual keeps its own Enter.
        if not can_wait_for_search():
            return
        event.stop()
        event.prevent_default()
        if self.searching():
            self.enter_waiting = True
        else:
            self._act_on_enter()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.enter_waiting and not self.searching():
            self.enter_waiting = False
            self._act_on_enter()

    def _act_on_enter(self) -> None:
        runs = self._will_run()
        self._select_or_command()
        if not runs:
            self.app.post_message(self.EnterLeftItOpen())
