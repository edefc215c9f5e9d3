"""Snapshots of what a learner sees with a ready kernel (replayed: tests/snapshots/replayed_kernel.py),
a training run (replayed reports: tests/app/recorded_training.py), the confirm dialog, and the wide
layout, at 80x24 and 160x48 (update with --snapshot-update; look at the SVGs before landing them)."""

from __future__ import annotations

import pytest

from tests.app.recorded_training import record as record_training
from tests.app.recorded_training import replay
from tests.snapshots.replayed_kernel import INPUTS, app_with_a_ready_kernel
from tests.waiting import run_from_palette, wait_until
from tui.app import make_app
from tui.core.training.config import TrainConfig

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


async def wait_for_the_kernel(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the replayed kernel")
    await pilot.pause()


async def run_the_inputs(pilot) -> None:
    """Run INPUTS in the REPL, then wait for the inspector (when shown) to show the detail it asked for."""
    from tests.app.repl_helpers import run_in_panel
    from tui.widgets.repl import ReplPanel

    panel = pilot.app.screen.query_one(ReplPanel)
    for code in INPUTS:
        await run_in_panel(pilot, panel, code)
    await pilot.pause()
    await wait_for_the_detail(pilot)


async def wait_for_the_detail(pilot) -> None:
    """When the inspector is on screen, wait until it shows the detail it asked the kernel for."""
    from textual.worker import WorkerState

    from tui.widgets.inspector import Inspector

    inspector = pilot.app.screen.query_one(Inspector)
    if not (inspector.display and inspector.region.width):
        return  # a narrow screen: the hidden inspector asks for nothing

    def detail_shown() -> bool:
        asking = any(w.group == "inspector-detail" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                     for w in inspector.workers)
        return not asking and inspector.last_detail is not None

    await wait_until(pilot, detail_shown, what="the inspector's detail")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_workbench_with_the_kernel_ready(snap_compare, recordings, size):
    async def ready(pilot):
        await pilot.press("w")
        await wait_for_the_kernel(pilot)

    assert snap_compare(app_with_a_ready_kernel(recordings), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_repl_with_output_and_a_shape_error(snap_compare, recordings, size):
    async def runs(pilot):
        await pilot.press("w")
        await wait_for_the_kernel(pilot)
        await run_the_inputs(pilot)

    assert snap_compare(app_with_a_ready_kernel(recordings), terminal_size=size, run_before=runs)


@pytest.mark.parametrize("size", SIZES)
def test_inspector_with_a_model_selected(snap_compare, recordings, size):
    """The variables table (tensors, a module, an optimizer) and the detail of the model a learner
    moved the cursor to: its layers, their parameters and the output shapes of the last call."""

    async def inspect(pilot):
        from textual.widgets import DataTable

        from tui.widgets.inspector import Inspector

        await pilot.press("w")
        await wait_for_the_kernel(pilot)
        await run_the_inputs(pilot)
        pilot.app.action_open_workbench("variables")
        if size[0] < 100:  # narrow: the inspector is a key away
            await pilot.press("f2")
            await pilot.pause()
            await wait_for_the_detail(pilot)
        inspector = pilot.app.screen.query_one(Inspector)
        table = inspector.query_one("#variables", DataTable)
        table.focus()
        target = [row.value for row in table.rows].index("model")
        await pilot.press(*["up"] * (table.cursor_row - target))
        await wait_until(pilot, lambda: (inspector.last_detail or {}).get("name") == "model", what="the model's detail")
        await wait_for_the_detail(pilot)

    assert snap_compare(app_with_a_ready_kernel(recordings), terminal_size=size, run_before=inspect)


@pytest.mark.parametrize("size", SIZES)
def test_training_run_from_recorded_reports(snap_compare, size):
    from textual.widgets import Input

    config = TrainConfig(hidden=(16,), batch_size=64, steps=300, device="cpu")
    reports = record_training(config)

    async def train(pilot):
        await run_from_palette(pilot, "Training")
        screen = pilot.app.screen
        for field, value in (("steps", config.steps), ("batch-size", config.batch_size), ("hidden", "16")):
            screen.query_one(f"#form-{field}", Input).value = str(value)
        replay(pilot.app, reports)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is reports[-1], what="the run")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=size, run_before=train)


def test_the_confirm_dialog_before_forgetting_all_progress(snap_compare):
    async def ask(pilot):
        await run_from_palette(pilot, "Reset all progress")
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), run_before=ask)


def test_home_screen_at_160x48(snap_compare):
    assert snap_compare(make_app(start_kernel=False), terminal_size=(160, 48))
