"""The training view on recorded runs (tests/app/recorded_training.py): a loss that turns NaN and a
GPU that runs out of memory end the run with the reason on screen and the curve kept."""

from __future__ import annotations

import math

from textual.widgets import Input

from tests.app.recorded_training import nan_after, out_of_memory_after, record, replay
from tests.app.training_view import SIZE
from tests.waiting import run_from_palette, wait_until
from tui.app import make_app
from tui.core.training.config import TrainConfig
from tui.screens.training import TrainingScreen
CONFIG = TrainConfig(hidden=(8,), batch_size=64, steps=40, device="cpu")


async def run_recorded(pilot, reports) -> TrainingScreen:
    await run_from_palette(pilot, "Training")
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    screen.query_one("#form-steps", Input).value = str(CONFIG.steps)
    screen.query_one("#form-batch-size", Input).value = str(CONFIG.batch_size)
    replay(pilot.app, reports)
    await pilot.press("s")
    await wait_until(pilot, lambda: screen.control is None and screen.last_report is reports[-1], what="the replayed run")
    await pilot.pause()
    return screen


def error_notices(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_a_loss_that_turns_nan_ends_the_run_and_says_what_to_do():
    reports = record(CONFIG, nan_after(5))
    assert reports[-1].reason == "nan"
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_recorded(pilot, reports)
        assert error_notices(app) == [reports[-1].message]
        assert "step 6" in reports[-1].message and "Lower the learning rate" in reports[-1].message
        finite = [x for x in screen.losses if math.isfinite(x)]
        assert len(finite) == 5 and screen.best == min(finite)  # the NaN does not become the best loss
        assert "steps 1 to" in screen.query_one("#training-curve").plain  # the curve so far is still drawn


async def test_running_out_of_memory_ends_the_run_with_a_smaller_batch_to_try():
    reports = record(CONFIG, out_of_memory_after(10))
    assert reports[-1].reason == "oom"
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_recorded(pilot, reports)
        assert error_notices(app) == [reports[-1].message]
        assert "--batch-size 32" in reports[-1].message
        assert len(screen.losses) == 10 and screen.control is None  # the steps before it stay; s starts anew
