"""Helpers for Pilot tests that drive the REPL: wait on conditions, never on fixed sleeps."""

from __future__ import annotations

import time
from typing import Callable

from tui.widgets.repl import ReplPanel


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


def log_text(panel: ReplPanel) -> str:
    """Everything the REPL log shows, as plain text."""
    return "\n".join(line.text for line in panel.log_view.lines)


async def open_workbench_ready(pilot) -> ReplPanel:
    """Open the workbench and wait for the kernel."""
    await pilot.press("w")
    panel = pilot.app.screen.query_one(ReplPanel)
    await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the kernel")
    return panel


async def run_in_panel(pilot, panel: ReplPanel, source: str) -> None:
    """Type ``source`` into the REPL, press Enter, and wait for the run to end."""
    runs = len([u for u in pilot.app.repl.transcript if type(u).__name__ == "RunFinished"])
    panel.input.replace_all(source)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: len([u for u in pilot.app.repl.transcript if type(u).__name__ == "RunFinished"]) > runs
        and pilot.app.repl.state == "ready",
        what=f"the run of {source!r}",
    )
    await pilot.pause()
