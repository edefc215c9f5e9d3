"""Helpers for Pilot tests that drive the REPL: wait on conditions, never on fixed sleeps."""

from __future__ import annotations

from tests.waiting import wait_until
from tui.widgets.repl import ReplPanel

__all__ = ["wait_until", "log_text", "open_workbench_ready", "run_in_panel"]


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
