"""A REPL kernel for snapshots: what a real kernel answered to a few inputs, replayed in order.

:func:`record` runs the inputs once in a real kernel (the same ``KernelSession`` the app uses) and
keeps every event it passed on; :class:`ReplayedSession` stands in for the app's session and gives
those events back, at once and always the same, so a snapshot of the REPL, the inspector or a
lesson with the REPL open shows a kernel that is ready, with real output, on any machine.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tui.kernel.events import RunOutcome
from tui.kernel.session import KernelSession

INPUTS = (
    "x = torch.arange(6.).reshape(2, 3)",
    "model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))",
    "opt = torch.optim.SGD(model.parameters(), lr=0.1)",
    "model(x).shape",
    "x.sum(dim=0)",
    "print(x.shape, x.dtype)",
    "w = torch.arange(8.).reshape(2, 4)\ny = x @ w",
)
"""A tensor, a model and its optimizer, values, printed text, and a shape error with its traceback and
explanation. Nothing here shows a random value, an address or a time: the replies are the same on any
machine (the model's weights are random, but only its shapes and counts are ever shown)."""

DETAILS = ("w", "x", "model", "opt")
"""Variables whose detail the inspector may ask for after INPUTS."""


def key(code: str, expressions: dict[str, str] | None = None) -> str:
    """How a request is looked up: its code, and the expressions asked for with it."""
    return code if not expressions else f"{code}|{sorted(expressions.items())!r}"


def detail_request(name: str) -> dict[str, str]:
    """The expressions the inspector sends for one variable's detail (as ``ReplService`` does)."""
    return {"d": f"__tensordojo__.detail({name!r})"}


@dataclass
class Recording:
    """What the kernel passed on for one input, and how the run ended."""

    events: list
    outcome: RunOutcome


def try_step_runs() -> tuple[tuple[str, dict[str, str]], ...]:
    """The runs the step snapshots make: each try step of the step-kinds pack, its code as it starts,
    with the expressions the step asks for (read from the pack, so they follow its edits)."""
    from tests.snapshots.step_kinds.every_kind import LESSON

    return tuple((step.code, step.expressions()) for step in LESSON.steps if step.kind == "try")


def record(inputs: tuple[str, ...] = INPUTS) -> dict[str, Recording]:
    """Run ``inputs`` and :func:`try_step_runs` in a fresh real kernel; return each one's events and outcome."""

    async def run_all() -> dict[str, Recording]:
        session = KernelSession()
        await session.start()
        try:
            recordings = {}
            for code in inputs:
                events: list = []
                outcome = await session.execute(code, events.extend)
                recordings[key(code)] = Recording(events, outcome)
            for code, expressions in try_step_runs():
                events = []
                outcome = await session.execute(code, events.extend, expressions)
                recordings[key(code, expressions)] = Recording(events, outcome)
            for name in DETAILS:
                expressions = detail_request(name)
                outcome = await session.execute("", silent=True, expressions=expressions)
                recordings[key("", expressions)] = Recording([], outcome)
            return recordings
        finally:
            await session.shutdown()

    return asyncio.run(run_all())


def app_with_a_ready_kernel(recordings: dict[str, Recording], **options):
    """The app (``make_app(**options)``) with its REPL on a :class:`ReplayedSession` of ``recordings``."""
    from tui.app import make_app

    app = make_app(start_kernel=True, **options)
    session = ReplayedSession(recordings)
    session.on_late_output = app.repl.session.on_late_output
    app.repl.session = session
    return app


class ReplayedSession:
    """Stands in for :class:`~tui.kernel.session.KernelSession`: starts at once, replays recordings."""

    START_SECONDS = 1.0
    """The start-up time it reports (the REPL's state line shows it)."""

    def __init__(self, recordings: dict[str, Recording]) -> None:
        self.recordings = recordings
        self.started = False
        self.ready = False
        self.on_late_output = None
        self.runs = 0

    async def start(self) -> float:
        self.started = self.ready = True
        return self.START_SECONDS

    async def restart(self) -> float:
        return await self.start()

    async def execute(self, code, on_events=None, expressions=None, silent=False, store_history=None, label=None,
                      metadata=None):
        # Same parameters as KernelSession.execute (tests/snapshots/test_replayed_kernel.py checks it):
        # a call the replay cannot take raises in the app's run worker and the REPL stays busy forever.
        recording = self.recordings.get(key(code, expressions))
        if recording is None:  # the app's own quiet requests (the print width, say)
            return RunOutcome("ok", None, {name: None for name in expressions or {}})
        self.runs += 1
        if on_events is not None and recording.events:
            on_events(list(recording.events))
        return recording.outcome

    async def is_alive(self) -> bool:
        return self.started

    async def collect_late_output(self) -> None:
        return None

    def exit_description(self) -> str:
        return ""

    async def interrupt(self) -> None:
        return None

    async def complete(self, code, cursor):
        from tui.kernel.session import Completion

        return Completion([], cursor, cursor)

    async def shutdown(self) -> None:
        self.started = self.ready = False
