"""The REPL as a service the whole app shares: one kernel, one transcript, one history.

Screens come and go (the workbench, the lesson screen's docked REPL); the kernel and what it
printed stay. The service is plain asyncio, run in Textual async workers by the app; it never
touches widgets. Panels subscribe with a callback (which posts a Textual message) and replay
the transcript when they mount.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tui.core.repl.history import HistoryCursor
from tui.core.store.progress import ProgressStore
from tui.kernel.events import Event, Notice, Result, RunOutcome, Snapshot, StreamText
from tui.kernel.session import Completion, KernelDied, KernelRestarted, KernelSession, restart_notice

TRANSCRIPT_KEPT = 400
IDLE_WATCH_SECONDS = 0.5
ECHO_DELAY = 0.03
"""A run's echo and "busy" state are painted when its first output comes or after this long,
so a quick run (most take a few ms) is drawn in one frame with its result, not two or three."""
INTERRUPT_GRACE = 3.0
"""Seconds a run has to stop after ctrl+c (it usually takes 15 to 35 ms) before the log says it
did not and offers a restart: code can catch KeyboardInterrupt, ignore SIGINT or sit in C code."""
LATE_LINES = 500
"""Lines of output printed after their run ended that the log shows between two runs."""
EXIT_INPUT = re.compile(r"(exit|quit)\s*(\(\s*\d*\s*\))?")
"""``exit``, ``quit()``, ``exit(0)``: in a kernel they end it, and every variable with it."""
EXIT_NOTE = ("exit and quit would end the kernel and lose your variables, so this was not run. To leave "
             "the REPL press escape; for a fresh kernel use \"Restart kernel\" in the palette.")
EMPTY_SNAPSHOT = {"variables": [], "hidden": 0, "trace": {"ops": [], "dropped": 0, "layers": []}, "tracing": True}
"""What the inspector shows after a restart: the old kernel's variables are gone."""


@dataclass(frozen=True)
class InputEcho:
    """A run's source as it appears in the log, with its number."""

    number: int
    source: str


@dataclass(frozen=True)
class RunFinished:
    """A run ended; ``seconds`` from submit to the last output."""

    number: int
    outcome: RunOutcome
    seconds: float


@dataclass(frozen=True)
class LateOutput:
    """What a run sent after it ended (a thread it started printing), with the run's number."""

    number: int | None
    events: tuple[Event, ...]


@dataclass(frozen=True)
class StateChanged:
    """The kernel's state: ``starting``, ``ready``, ``busy``, ``restarting`` or ``failed``."""

    state: str
    detail: str = ""


@dataclass(frozen=True)
class LogCleared:
    """The learner cleared the REPL's log (ctrl+l): what came before is not shown again."""


Update = Event | InputEcho | RunFinished | StateChanged | LateOutput | LogCleared
Listener = Callable[[list[Update]], None]


@dataclass
class ReplService:
    """Owns the kernel session, the transcript and the history cursor."""

    store: ProgressStore
    log_path: Path | None = None
    session: KernelSession = field(init=False)
    state: str = "starting"
    number: int = 0
    transcript: deque = field(default_factory=lambda: deque(maxlen=TRANSCRIPT_KEPT))
    history: HistoryCursor = field(init=False)
    _listeners: list[Listener] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    snapshot: dict | None = None
    """The latest variables-and-trace snapshot (the inspector shows it)."""
    failure: str = ""
    """Why the kernel is not available, when the state is ``failed``."""
    _late_lines: int = 0
    print_width: int | None = None
    """The REPL log's width in columns: torch and NumPy print at most this wide in the kernel."""
    _stuck: int | None = None
    """The run that ctrl+c did not stop: another ctrl+c restarts the kernel."""

    def __post_init__(self) -> None:
        self.session = KernelSession(self.log_path)
        self.session.on_late_output = self._late_output
        self.history = HistoryCursor(self.store.history())

    def set_print_width(self, columns: int) -> None:
        """The log is now ``columns`` wide: the kernel prints at that width from the next run on."""
        self.print_width = max(20, columns)

    def _run_metadata(self) -> dict | None:
        """What each run's request carries for the kernel extension: the log's width (no extra request)."""
        return {"tensordojo": {"width": self.print_width}} if self.print_width else None

    def _late_output(self, number: int | None, events: list[Event]) -> None:
        """Output of a run that already ended: shown, up to :data:`LATE_LINES` between two runs."""
        lines = sum(max(1, event.text.count("\n")) if isinstance(event, StreamText) else 1 for event in events)
        before, self._late_lines = self._late_lines, self._late_lines + lines
        if self._late_lines <= LATE_LINES:
            self._emit([LateOutput(number, tuple(events))])
        elif before <= LATE_LINES:
            self._emit([Notice(f"In [{number}] goes on printing after it ended; the log shows no more of it "
                               "until the next run (restart the kernel to stop its threads).", "warning")])

    # -- listeners ---------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Receive every update from now on."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop receiving updates."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, updates: list[Update]) -> None:
        if not updates:
            return
        for update in updates:
            if isinstance(update, Snapshot):
                self.snapshot = update.record
            elif not isinstance(update, StateChanged):
                self.transcript.append(update)
        for listener in list(self._listeners):
            listener(updates)

    def clear_log(self) -> None:
        """Clear the log of every REPL panel; one opened later starts from here too."""
        self._emit([LogCleared()])

    def _set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        if state == "failed":
            self.failure = detail
        if state in ("ready", "failed"):  # waiting runs wake up; a failed state makes them say why
            self._ready.set()
        else:
            self._ready.clear()
        self._emit([StateChanged(state, detail)])

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start the kernel, then watch it while idle (run this in a worker)."""
        self._set_state("starting", "importing torch…")  # the status line already says "starting the kernel"
        try:
            seconds = await self.session.start()
        except Exception as error:  # the app must keep working without a REPL
            self._set_state("failed", f"the kernel could not start ({type(error).__name__}: {error})")
            return
        self._set_state("ready", f"kernel ready in {seconds:.1f} s")
        await self._watch()

    async def _watch(self) -> None:
        """Notice a kernel that dies while idle (a crash in a background thread, say)."""
        while True:
            await asyncio.sleep(IDLE_WATCH_SECONDS)
            if self.state != "ready":
                continue
            if not await self.session.is_alive():
                await self._recover("The kernel stopped while idle.")
            else:
                await self.session.collect_late_output()

    async def _recover(self, reason: str) -> None:
        """The kernel died: say how, then start a new one."""
        self._emit([Notice(f"{reason} {self.session.exit_description()}".strip(), "error")])
        await self._fresh_kernel("starting a new kernel…", "")

    async def restart(self) -> None:
        """Restart on the learner's request: variables are cleared, and the log says so."""
        if self.state in ("starting", "restarting"):
            return
        await self._fresh_kernel("restarting the kernel…", "Kernel restarted as you asked.")

    async def _fresh_kernel(self, doing: str, reason: str) -> None:
        # The "restarting" state also keeps _watch from starting a second recovery meanwhile.
        self._set_state("restarting", doing)
        try:
            seconds = await (self.session.restart() if self.session.started else self.session.start())
        except Exception as error:
            self._set_state("failed", f"the kernel could not restart: {error}")
            return
        self.number = 0
        self._stuck = None
        self._emit([restart_notice(seconds, reason), Snapshot(EMPTY_SNAPSHOT)])
        self._set_state("ready", f"kernel ready in {seconds:.1f} s")

    async def shutdown(self) -> None:
        """Stop the kernel (when the app quits)."""
        await self.session.shutdown()

    # -- running -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether code is running now."""
        return self.state == "busy"

    async def run(self, source: str, expressions: dict[str, str] | None = None) -> RunOutcome:
        """Run one input: echo it, stream its output, keep it in history (saved after the run,
        off the path from Enter to the result)."""
        self.history.add(source)
        try:
            return await self._run(source, expressions)
        finally:
            self.store.add_history(source)

    async def _run(self, source: str, expressions: dict[str, str] | None) -> RunOutcome:
        if EXIT_INPUT.fullmatch(source.strip()):
            self._emit([InputEcho(self.number + 1, source), Notice(EXIT_NOTE, "warning")])
            return RunOutcome("aborted")
        if self.state == "failed":
            self._emit([InputEcho(self.number + 1, source),
                        Notice(f"Nothing ran: {self.failure}. Try the command palette's 'Restart kernel'.", "error")])
            return RunOutcome("failed")
        if self.state != "ready":
            # Busy: the learner's own code is still running, which is not the kernel starting up.
            waiting = (f"In [{self.number}] is still running; this runs when it ends (ctrl+c interrupts it)…"
                       if self.state == "busy" else "Waiting for the kernel to be ready…")
            self._emit([Notice(waiting)])
            await self._ready.wait()
            if self.state == "failed":
                return await self._run(source, expressions)
        self.number += 1
        number = self.number
        self._late_lines = 0
        self.state = "busy"
        self._ready.clear()
        # The echo goes out now: panels write it while the kernel works and paint it with the
        # run's first output (see ReplPanel). The "busy" state waits for that output a moment.
        self._emit([InputEcho(number, source)])
        held: list[Update] = [StateChanged("busy", f"running In [{number}] · ctrl+c interrupts")]

        def release(events: list[Update]) -> None:
            if held:
                if not any(isinstance(event, Result) and event.final for event in events):
                    events = held + events  # a value ends the run: no "busy" flash before "ready"
                held.clear()
                announce.cancel()
            self._emit(events)

        announce = asyncio.get_running_loop().call_later(ECHO_DELAY, lambda: release([]))
        began = time.perf_counter()
        try:
            outcome = await self.session.execute(source, release, expressions, label=number, metadata=self._run_metadata())
        except KernelRestarted:  # the restart says so and sets the state when the new kernel is ready
            outcome = RunOutcome("restarted", number)
            release([Notice(f"In [{number}] was stopped by the restart.", "warning"),
                     RunFinished(number, outcome, time.perf_counter() - began)])
            return outcome
        except KernelDied:
            outcome = RunOutcome("died", number)
            release([RunFinished(number, outcome, time.perf_counter() - began)])
            await self._recover(f"The kernel died while running In [{number}].")
            return outcome
        release([RunFinished(number, outcome, time.perf_counter() - began)])
        self._set_state("ready")
        return outcome

    async def interrupt(self) -> None:
        """Interrupt the running input; if it does not stop, say so, and a second ctrl+c restarts."""
        if not self.running:
            return
        number = self.number
        if self._stuck == number:
            await self._fresh_kernel("restarting the kernel…", f"In [{number}] would not stop, so the kernel was restarted.")
            return
        await self.session.interrupt()
        try:
            await asyncio.wait_for(self._ready.wait(), INTERRUPT_GRACE)
        except asyncio.TimeoutError:
            if self.running and self.number == number:
                self._stuck = number
                self._emit([Notice(f"In [{number}] did not stop {INTERRUPT_GRACE:g} s after ctrl+c (it may catch "
                                   "KeyboardInterrupt, ignore SIGINT or be busy inside C code). Press ctrl+c again "
                                   "to restart the kernel (its variables are lost), or wait.", "warning")])

    async def inspect(self, name: str) -> dict:
        """The detail pane's data for one variable, asked of the kernel (it waits while code runs)."""
        import ast
        import json

        if self.state not in ("ready", "busy"):
            return {"name": name, "note": "no kernel yet"}
        outcome = await self.session.execute("", silent=True, expressions={"d": f"__tensordojo__.detail({name!r})"})
        text = outcome.expressions.get("d")
        if text is None:
            error = outcome.expression_errors.get("d")
            return {"name": name, "note": f"the kernel could not describe it ({error}); run any cell, or restart "
                    "the kernel if this stays" if error else "the kernel could not describe it"}
        return json.loads(ast.literal_eval(text))

    async def complete(self, code: str, cursor: int) -> Completion:
        """Completions from the kernel (none while it is busy or not started)."""
        if self.state != "ready":
            return Completion([], cursor, cursor)
        return await self.session.complete(code, cursor)
