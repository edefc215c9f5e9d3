"""The training view under Pilot, for tests/app/test_training_*.py: one way to open it, and one training
process that the apps of a whole test session train in.

Each app used to start its own training process on the first ``s``, and each start imports torch:
seconds of CPU, and far more on a loaded machine. A test that is about the view gets an app whose
training goes to the shared process (``training_app`` in tests/app/conftest.py); a test about the
process's own life (started by a lesson step, ended when the app quits) keeps ``make_app``'s own.
"""

from __future__ import annotations

import threading
from typing import Any

from textual.widgets import Input

from tests.waiting import HANG_GUARD, run_from_palette
from tui.screens.training import TrainingScreen

SIZE = (120, 36)


async def open_training(pilot, steps: str = "100000", hidden: str | None = None) -> TrainingScreen:
    """Open the training view from the palette with ``steps`` (and ``hidden``) in its form."""
    await run_from_palette(pilot, "Training")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    screen.query_one("#form-steps", Input).value = steps
    if hidden is not None:
        screen.query_one("#form-hidden", Input).value = hidden
    return screen


class KeptTraining:
    """The shared process as one app sees it.

    Runs go to the process. The app's ``shutdown()`` on quitting ends the app's run in flight (as
    closing the process did) and waits until that run has read its last report, so nothing of it is
    left for the next app's run; the process itself stays.
    """

    def __init__(self, process: Any) -> None:
        self._shared = process
        self._idle = threading.Event()
        self._idle.set()

    def run(self, config, control, on_report, on_started=None):
        """A run in the shared process."""
        self._idle.clear()
        try:
            return self._shared.run(config, control, on_report, on_started)
        finally:
            self._idle.set()

    def shutdown(self, timeout: float = 3.0) -> None:
        """Stop this app's run, if one is in flight, and wait for its end (a paused run ends too)."""
        if not self._idle.is_set():
            self._shared.send(("stop",))
            if not self._idle.wait(HANG_GUARD):
                raise AssertionError(f"the shared training process did not end a run within {HANG_GUARD:g} s")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._shared, name)
