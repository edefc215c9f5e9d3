"""The REPL panel: log, status line, input, completion list and history search, on the app's ReplService."""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager

from textual import on
from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from tui.kernel import repl
from tui.kernel.repl import InputEcho, LogCleared, ReplService, StateChanged, Update
from tui.widgets.repl.input import ReplInput
from tui.widgets.repl.log import ReplLog

_STATE_TEXT = {
    "starting": "◌ starting the kernel…",
    "ready": "● ready",
    "busy": "◉ running · ctrl+c interrupts",
    "restarting": "◌ restarting the kernel…",
    "failed": "✗ no kernel",
}
MAX_COMPLETIONS = 60


class ReplPanel(Vertical):
    """A Python REPL on the app's shared kernel."""

    DEFAULT_CSS = """
    ReplPanel { height: 1fr; }
    ReplPanel #repl-status { height: 1; color: $text-muted; padding: 0 1; }
    ReplPanel #repl-search { display: none; }
    ReplPanel #repl-search.-shown { display: block; }
    ReplPanel #repl-completions { display: none; height: auto; max-height: 8; }
    ReplPanel #repl-completions.-shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+r", "search", "Search history"),
        Binding("escape", "cancel", "Cancel", show=False),
        # Priority: the input would take them to move its cursor a page, and the log was out of
        # reach of a learner without a mouse (over SSH, in tmux).
        Binding("ctrl+l", "clear_log", "Clear the log", show=False),
        Binding("pageup", "scroll_log(-1)", "Scroll the log up", show=False, priority=True),
        Binding("pagedown", "scroll_log(1)", "Scroll the log down", show=False, priority=True),
    ]

    class Updates(Message, bubble=False):
        """The REPL service has updates waiting (the panel takes them all when it handles this)."""

    def compose(self) -> ComposeResult:
        yield ReplLog(id="repl-log")
        yield Static(id="repl-status")
        yield OptionList(id="repl-completions")
        yield Input(id="repl-search", placeholder="search history · ctrl+r older · enter takes · esc cancels")
        yield ReplInput(id="repl-input")

    @property
    def service(self) -> ReplService:
        """The app's REPL service."""
        return self.app.repl  # type: ignore[attr-defined]

    @property
    def log_view(self) -> ReplLog:
        """The output log."""
        return self.query_one(ReplLog)

    @property
    def input(self) -> ReplInput:
        """The code input."""
        return self.query_one(ReplInput)

    submitted_at = 0.0
    """perf_counter() when the learner last pressed Enter to run (the benchmark reads it)."""

    def on_mount(self) -> None:
        self._waiting: list[Update] = []
        self._paint_hold: AbstractContextManager | None = None
        self._hold_timer: Timer | None = None
        self._search_from: int | None = None
        self._saved_text = ""
        transcript = list(self.service.transcript)
        cleared = max((index for index, update in enumerate(transcript) if isinstance(update, LogCleared)), default=-1)
        self.log_view.show(transcript[cleared + 1:])
        self._show_state(self.service.state, "")
        self.service.subscribe(self._listener)

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._listener)
        self._end_paint_hold()

    def on_resize(self) -> None:
        self._tell_print_width()

    def _tell_print_width(self) -> None:
        """The kernel prints tensors and arrays as wide as this panel's log can show."""
        columns = self.log_view.print_columns
        if columns > 0:
            self.service.set_print_width(columns)

    def _listener(self, updates: list[Update]) -> None:
        # The service runs on the app's event loop; what it emits in one go (a run's last
        # output, its end and the ready state) is drawn together, in one frame.
        if not self._waiting:
            self.post_message(self.Updates())
        self._waiting.extend(updates)

    @on(Updates)
    def _updates(self, message: Updates) -> None:
        updates, self._waiting = self._waiting, []
        echoed = any(isinstance(update, InputEcho) for update in updates)
        output = any(not isinstance(update, (InputEcho, StateChanged)) for update in updates)
        if echoed:
            if not output:
                self._hold_paint()
            self.input.take_pending_clear()
        self.log_view.show(updates)
        states = [update for update in updates if isinstance(update, StateChanged)]
        if states:
            self._show_state(states[-1].state, states[-1].detail)
        if output:
            self._end_paint_hold()

    def _hold_paint(self) -> None:
        """Paint nothing until the run's first output, or for :data:`~tui.kernel.repl.ECHO_DELAY`.

        The echo and the cleared input are made ready while the kernel works, and painted with
        a quick run's result in one frame: painting them first would cost the result that
        frame's work, and then a wait for the next frame (Textual paints at most 60 a second).
        """
        if self._paint_hold is None:
            self._paint_hold = self.app.batch_update()
            self._paint_hold.__enter__()
            self._hold_timer = self.set_timer(repl.ECHO_DELAY, self._end_paint_hold)

    def _end_paint_hold(self) -> None:
        if self._paint_hold is not None:
            hold, self._paint_hold = self._paint_hold, None
            if self._hold_timer is not None:
                self._hold_timer.stop()
            hold.__exit__(None, None, None)
            if self.is_attached:
                self.screen.check_idle()  # the screen saw its changes during the hold: paint them now

    def _show_state(self, state: str, detail: str) -> None:
        text = _STATE_TEXT.get(state, state)
        if state == "ready":
            text += f" · In [{self.service.number + 1}]"
        self.query_one("#repl-status", Static).update(layout=False, content=f"{text}{' · ' + detail if detail and state != 'busy' else ''}")

    # -- running -------------------------------------------------------------------------

    def run_source(self, source: str, expressions: dict[str, str] | None = None):
        """Run code in the REPL as if typed; returns the worker running it."""
        return self.run_worker(self.service.run(source, expressions), group="repl-run", exit_on_error=False)

    @on(ReplInput.Submitted)
    def _submitted(self, event: ReplInput.Submitted) -> None:
        event.stop()
        self.submitted_at = time.perf_counter()
        self._hide_completions()
        self._tell_print_width()  # of the panel that runs it (the workbench's and a lesson's differ)
        self.run_source(event.source)

    # -- history -------------------------------------------------------------------------

    @on(ReplInput.HistoryRequested)
    def _history(self, event: ReplInput.HistoryRequested) -> None:
        event.stop()
        history = self.service.history
        text = history.older(self.input.text) if event.older else history.newer()
        if text is not None:
            self.input.replace_all(text)

    def action_search(self) -> None:
        """ctrl+r: start a reverse history search; again: the next older match."""
        search = self.query_one("#repl-search", Input)
        if search.has_class("-shown"):
            self._search_step(search.value)
            return
        self._saved_text, self._search_from = self.input.text, None
        search.value = ""
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#repl-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search_from = None
        self._search_step(event.value)

    def _search_step(self, term: str) -> None:
        found = self.service.history.search(term, self._search_from) if term else None
        search = self.query_one("#repl-search", Input)
        if found is None:
            search.border_subtitle = "no match" if term else ""
            return
        search.border_subtitle = ""
        self._search_from, text = found
        self.input.replace_all(text)

    @on(Input.Submitted, "#repl-search")
    def _search_taken(self, event: Input.Submitted) -> None:
        event.stop()
        self._end_search()

    @property
    def popup_open(self) -> bool:
        """Whether the history search or the completions are open (escape closes them first)."""
        return any(self.query_one(f"#repl-{part}").has_class("-shown") for part in ("search", "completions"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scroll_log":  # the completion list pages through its own options
            return not self.query_one("#repl-completions").has_focus
        return True

    def action_clear_log(self) -> None:
        """ctrl+l: clear the log (as in a terminal); the kernel and its variables are kept."""
        self.service.clear_log()

    def action_scroll_log(self, pages: int) -> None:
        """pageup / pagedown: scroll the log a page; the input keeps its focus and its text."""
        log = self.log_view
        if pages < 0:
            log.scroll_page_up(animate=False)
        else:
            log.scroll_page_down(animate=False)

    def action_cancel(self) -> None:
        """Escape: cancel a search (restoring the input) or close the completions; else pass it on."""
        if self.query_one("#repl-search").has_class("-shown"):
            self.input.replace_all(self._saved_text)
            self._end_search()
        elif self.query_one("#repl-completions").has_class("-shown"):
            self._hide_completions()
            self.input.focus()
        else:
            raise SkipAction()  # the screen's escape (leave, stop typing) applies

    def _end_search(self) -> None:
        self.query_one("#repl-search").remove_class("-shown")
        self.input.focus()

    # -- completion ----------------------------------------------------------------------

    @on(ReplInput.CompletionRequested)
    def _complete_requested(self, event: ReplInput.CompletionRequested) -> None:
        event.stop()
        self.run_worker(self._complete(event.code, event.cursor), group="repl-complete", exclusive=True, exit_on_error=False)

    async def _complete(self, code: str, cursor: int) -> None:
        completion = await self.service.complete(code, cursor)
        if self.input.text != code:
            return  # the learner typed on; this answer is stale
        matches = completion.matches[:MAX_COMPLETIONS]
        typed = code[completion.start:cursor]
        common = os.path.commonprefix(matches) if matches else ""
        if len(matches) == 1 or len(common) > len(typed):
            self._apply_completion(common if len(matches) > 1 else matches[0], completion.start, completion.end)
        elif matches:
            self._completion_span = (completion.start, completion.end)
            options = self.query_one("#repl-completions", OptionList)
            options.clear_options()
            options.add_options(matches)
            options.add_class("-shown")
            options.highlighted = 0
            options.focus()
        else:
            self.app.bell()

    def _apply_completion(self, text: str, start: int, end: int) -> None:
        source = self.input.text
        self.input.text = source[:start] + text + source[end:]
        self.input.move_cursor(self.input.document.get_location_from_index(start + len(text)))

    @on(OptionList.OptionSelected, "#repl-completions")
    def _completion_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        start, end = self._completion_span
        self._apply_completion(str(event.option.prompt), start, end)
        self._hide_completions()
        self.input.focus()

    def _hide_completions(self) -> None:
        self.query_one("#repl-completions").remove_class("-shown")
