"""Measuring the path to the first screen: time to first paint, and whether torch was imported.

Used by ``tensordojo bench``, ``benchmarks/bench_first_paint.py`` and the tests. The launch is
real: the console script runs in a pseudo-terminal and the clock stops when the lesson list's
text appears in what the app wrote.
"""

from __future__ import annotations

import os
import re
import select
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field

from tui.bench.terminal import launch_in_pty, quit_in_pty

MARKER = "Enter opens one"
"""Text that the home screen shows once the lesson list is painted."""

_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@dataclass
class PaintTimes:
    """Seconds from process start to first paint, one per launch."""

    seconds: list[float] = field(default_factory=list)
    torch_imported: bool | None = None

    @property
    def median(self) -> float:
        """The median time."""
        return statistics.median(self.seconds)

    def report(self) -> str:
        """A short human-readable report."""
        times = ", ".join(f"{s * 1000:.0f}" for s in self.seconds)
        torch = {True: "yes (too early!)", False: "no", None: "not checked"}[self.torch_imported]
        return (
            f"first paint: median {self.median * 1000:.0f} ms over {len(self.seconds)} launches "
            f"(min {min(self.seconds) * 1000:.0f}, max {max(self.seconds) * 1000:.0f}; all: {times} ms)\n"
            f"torch imported before the first screen: {torch}"
        )


APP_COMMAND = ["-m", "tui"]


def time_one_launch(size: tuple[int, int] = (100, 30), timeout: float = 20.0, args: list[str] = APP_COMMAND) -> float:
    """Launch a program in a pseudo-terminal; return seconds until :data:`MARKER` is on screen.

    Args:
        size: the terminal's columns and lines.
        timeout: give up after this many seconds.
        args: the Python arguments (the app by default; the benchmark also times a bare app).
    """
    start = time.perf_counter()
    pid, fd = launch_in_pty(size, args)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if MARKER.encode() in _ESCAPES.sub(b"", seen):
                    return time.perf_counter() - start
        raise TimeoutError(f"the lesson list did not appear within {timeout} s")
    finally:
        quit_in_pty(pid, fd)


_PROBE = textwrap.dedent(
    """
    import asyncio, sys, tempfile
    from pathlib import Path
    from tui.app import make_app
    from tui.screens.home import HomeScreen

    async def main():
        app = make_app(home=Path(tempfile.mkdtemp()) / "progress.db", start_kernel=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), app.screen
            print("torch" in sys.modules)

    asyncio.run(main())
    """
)


def torch_imported_by_first_screen() -> bool:
    """Start the app headless in a fresh interpreter; True when torch was imported by its first screen."""
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"the probe failed: {result.stderr.strip().splitlines()[-1:]}")
    return result.stdout.strip().splitlines()[-1] == "True"


def measure_first_paint(runs: int = 7) -> PaintTimes:
    """Time ``runs`` launches (after one warm-up that fills the OS file cache)."""
    time_one_launch()
    times = PaintTimes([time_one_launch() for _ in range(runs)])
    times.torch_imported = torch_imported_by_first_screen()
    return times
