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


async def test_a_data_parallel_run_fits_80x24_every_number_on_screen_and_r_brings_the_form_back():
    from dataclasses import replace

    from tui.widgets.training.form import TrainingForm

    config = replace(CONFIG, hidden=(64, 64), nproc=4)
    reports = [replace(report, ranks=[(250.0 - rank, 16000.0, 0.3 + rank / 10) for rank in range(4)])
               for report in record(config)]
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(pilot, "Training")
        screen = pilot.app.screen
        screen.query_one("#form-hidden", Input).value = "64,64"
        screen.query_one("#form-processes", Input).value = "4"
        screen.query_one("#form-steps", Input).value = str(config.steps)
        replay(app, reports, device="cpu · 4 processes")
        await pilot.press("s")
        side, ranks = screen.query_one("#training-side"), screen.query_one("#training-ranks")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is reports[-1]
                         and ranks.size.height == 6, what="the replayed run and its ranks laid out")
        await pilot.pause()
        assert side.max_scroll_y == 0, "the side column needs scrolling"
        for name, wanted in (("settings", "hidden 64,64"), ("stats", "device     cpu · 4 processes"),
                             ("grads", "layer   4"), ("ranks", "   3 ")):
            canvas = screen.query_one(f"#training-{name}")
            drawn = canvas.plain.splitlines()
            assert any(line.startswith(wanted) or wanted in line for line in drawn), (name, drawn)
            assert len(drawn) <= canvas.size.height and canvas.region.bottom <= side.region.bottom, name
            assert all(len(line) <= canvas.size.width for line in drawn), f"{name} is cut: {drawn}"
        assert not screen.query_one(TrainingForm).display
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.query_one(TrainingForm).display
                         and screen.query_one("#form-processes", Input).value == "4", what="the form back after r")
