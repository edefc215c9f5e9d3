"""REPL benchmark: kernel ready after launch, 1 + 1 round trip, interrupt, crash recovery, a print flood.

The round trip is timed as the learner meets it: the app runs in a pseudo-terminal, Enter is
written to it, and the clock stops when the result is on the emulated screen
(:mod:`tui.bench.terminal`). The other latencies come from the app's own clocks under Pilot:
the panel notes when Enter was handled and the log when a result was refreshed onto the screen.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

_READY_PROBE = textwrap.dedent(
    """
    import asyncio, tempfile
    from pathlib import Path
    from tui.app import make_app

    async def main():
        app = make_app(home=Path(tempfile.mkdtemp()) / "progress.db")
        async with app.run_test(size=(100, 30)) as pilot:
            while app.repl.state != "ready":
                await pilot.pause(0.01)
            print("READY", flush=True)

    asyncio.run(main())
    """
)


def kernel_ready_after_launch() -> float:
    """Seconds from starting the app's process until its REPL kernel is ready."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", _READY_PROBE], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "READY":
            elapsed = time.perf_counter() - began
            child.wait(timeout=30)
            return elapsed
    raise RuntimeError("the probe ended without its kernel becoming ready")


def measure_in_terminal(figures: ReplFigures, round_trips: int, interrupts: int, warm_up: int = 3,
                        size: tuple[int, int] = (100, 30)) -> None:
    """Time, in a real terminal, Enter to ``1 + 1``'s result on screen and ctrl+c to
    ``KeyboardInterrupt`` on screen; fills ``figures.round_trips`` and ``figures.interrupts``.

    Each input is typed, then the benchmark waits 150 ms, as a person would before Enter
    (:meth:`TerminalApp.run`).
    """
    from tui.bench.first_paint import MARKER
    from tui.bench.terminal import TerminalApp

    app = TerminalApp(size)
    try:
        app.wait_for(re.escape(MARKER))
        app.send(b"w")
        app.wait_for(r"ready · In \[1\]", timeout=60)
        number = 0
        for _ in range(round_trips + warm_up):
            number += 1
            sent = app.run(b"1 + 1")
            # [^\n]*: the scrollbar's thumb may end the echo's row once the log is long.
            drawn = app.wait_for(rf"In \[{number}\]: 1 \+ 1[^\n]*\n *2 ")
            app.wait_for(rf"In \[{number + 1}\]")
            if number > warm_up:
                figures.round_trips.append(drawn - sent)
        for _ in range(interrupts):
            number += 1
            app.run(b"while True: pass")
            app.wait_for("running")
            app.settle(0.2)
            pressed = app.send(b"\x03")
            figures.interrupts.append(app.wait_for(rf"In \[{number}\](.|\n)*KeyboardInterrupt") - pressed)
            app.wait_for(rf"In \[{number + 1}\]")
    finally:
        app.close()


def bare_kernel_round_trips(count: int, pause: float = 0.15, warm_up: int = 20) -> list[float]:
    """``1 + 1`` on a plain ipykernel, request to value, with none of tensordojo's code on either side.

    jupyter_client's blocking client and an ipykernel started with no startup code and no
    extension, over the same ipc transport as the app's; each run waits ``pause`` seconds first,
    as the terminal benchmark does before Enter (an idle machine is slower to wake). This is the
    floor under the app's round trip: the issue asks for the REPL on this stack.
    """
    from jupyter_client.manager import KernelManager

    from tui.core.processes.temp_folders import owned_temp_folder
    from tui.kernel.session import SOCKET_FOLDER_PREFIX

    # Named after this process, as the app's are, so a killed benchmark's folder is swept up later.
    folder = str(owned_temp_folder(SOCKET_FOLDER_PREFIX))
    manager = KernelManager(transport="ipc", ip=os.path.join(folder, "ipc"))
    with open(os.devnull, "w") as quiet:
        manager.start_kernel(stdout=quiet, stderr=quiet)
    client = manager.client()
    client.start_channels()
    times: list[float] = []
    try:
        client.wait_for_ready(timeout=60)
        for index in range(warm_up + count):
            time.sleep(pause)
            began = time.perf_counter()
            msg_id = client.execute("1 + 1")
            while True:
                message = client.get_iopub_msg(timeout=10)
                if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "execute_result":
                    break
            if index >= warm_up:
                times.append(time.perf_counter() - began)
            client.get_shell_msg(timeout=10)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        shutil.rmtree(folder, ignore_errors=True)
    return times


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class ReplFigures:
    """What one benchmark run measured, in seconds."""

    ready_after_launch: list[float] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    session_round_trips: list[float] = field(default_factory=list)
    bare_kernel_round_trips: list[float] = field(default_factory=list)
    """A plain ipykernel's ``1 + 1``, request to value: the floor (:func:`bare_kernel_round_trips`)."""
    interrupts: list[float] = field(default_factory=list)
    crash_to_usable: list[float] = field(default_factory=list)
    flood_seconds: float = 0.0
    flood_worst_stall: float = 0.0
    flood_lines_kept: int = 0

    def report(self) -> str:
        """A human-readable summary (ms, medians and p95)."""
        ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
        rt = self.round_trips
        return "\n".join([
            f"kernel ready after launch: median {statistics.median(self.ready_after_launch):.2f} s "
            f"(runs: {', '.join(f'{s:.2f}' for s in self.ready_after_launch)})",
            f"1 + 1, Enter to result on a terminal's screen: p50 {ms(_p(rt, 0.5))}, p95 {ms(_p(rt, 0.95))}, "
            f"max {ms(max(rt))} ({len(rt)} runs)",
            f"1 + 1, kernel session alone (no UI), to the value: p50 {ms(_p(self.session_round_trips, 0.5))}, "
            f"p95 {ms(_p(self.session_round_trips, 0.95))}; app / kernel at p50 = "
            f"{_p(rt, 0.5) / _p(self.session_round_trips, 0.5):.1f}",
            f"1 + 1, a plain ipykernel (no tensordojo code, 150 ms pause before each): p50 "
            f"{ms(_p(self.bare_kernel_round_trips, 0.5))}, p95 {ms(_p(self.bare_kernel_round_trips, 0.95))}: the stack's floor",
            f"interrupt of while True: pass, ctrl+c to KeyboardInterrupt on a terminal's screen: median {ms(statistics.median(self.interrupts))}, "
            f"max {ms(max(self.interrupts))}",
            f"crash (os._exit) to a new kernel's result drawn: median {statistics.median(self.crash_to_usable):.2f} s, "
            f"max {max(self.crash_to_usable):.2f} s",
            f"printing 1,000,000 lines: {self.flood_seconds:.1f} s, worst event-loop stall {ms(self.flood_worst_stall)}, "
            f"{self.flood_lines_kept} lines kept in the log",
        ])


async def _wait(pilot, condition, timeout: float = 30.0) -> None:
    # A plain sleep, not pilot.pause(): each pause posts a callback to every widget of the screen
    # and waits for them all, which at this polling rate loaded the event loop being measured
    # (35,000 callbacks during the print flood).
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the REPL did not answer in time")
        await asyncio.sleep(0.005)


async def _submit(pilot, panel, source: str) -> None:
    panel.input.replace_all(source)
    await pilot.press("enter")


async def _drawn_after(pilot, panel, since: float) -> float:
    await _wait(pilot, lambda: panel.log_view.drawn_at > since)
    return panel.log_view.drawn_at - since


async def _measure_in_app(figures: ReplFigures, round_trips: int, crashes: int) -> None:
    from tui.app import make_app
    from tui.widgets.repl import ReplPanel

    app = make_app(home=Path(tempfile.mkdtemp()) / "progress.db")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        panel = app.screen.query_one(ReplPanel)
        await _wait(pilot, lambda: app.repl.state == "ready")
        for _ in range(round_trips):
            valued: list[float] = []  # when the value was passed on (the reader then waits a moment)
            began = time.perf_counter()
            await app.repl.session.execute("1 + 1", lambda events: valued or valued.append(time.perf_counter()))
            figures.session_round_trips.append(valued[0] - began)
        for _ in range(crashes):
            await _submit(pilot, panel, "import os; os._exit(1)")
            crashed = panel.submitted_at
            await _wait(pilot, lambda: app.repl.state == "restarting")
            await _wait(pilot, lambda: app.repl.state == "ready")
            await _submit(pilot, panel, "1 + 1")
            await _drawn_after(pilot, panel, panel.submitted_at)
            figures.crash_to_usable.append(panel.log_view.drawn_at - crashed)
        await _measure_flood(figures, pilot, app, panel)


async def _measure_flood(figures: ReplFigures, pilot, app, panel) -> None:
    stalls = [0.0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        stalls.append(now - last[0] - 0.01)
        last[0] = now

    timer = app.set_interval(0.01, tick)
    began = time.perf_counter()
    await _submit(pilot, panel, "for i in range(10**6): print(i)")
    await _wait(pilot, lambda: app.repl.state == "busy", timeout=5)
    await _wait(pilot, lambda: app.repl.state == "ready", timeout=120)
    figures.flood_seconds = time.perf_counter() - began
    timer.stop()
    figures.flood_worst_stall = max(stalls)
    figures.flood_lines_kept = len(panel.log_view.lines)


def measure_repl(round_trips: int = 50, interrupts: int = 5, crashes: int = 3, launches: int = 3) -> ReplFigures:
    """Run the whole REPL benchmark."""
    figures = ReplFigures(ready_after_launch=[kernel_ready_after_launch() for _ in range(launches)])
    measure_in_terminal(figures, round_trips, interrupts)
    figures.bare_kernel_round_trips = bare_kernel_round_trips(round_trips)
    asyncio.run(_measure_in_app(figures, round_trips, crashes))
    return figures
