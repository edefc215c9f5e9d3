"""Pilot tests of the training view: start, live sparkline, pause, stop, leave mid-run, bad input, export."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Sparkline

from tests.app.training_view import SIZE, open_training
from tests.unit.test_training_ranks import children
from tests.waiting import run_from_palette, wait_for, wait_until
from tui.app import make_app
from tui.core.training.readout import format_loss
from tui.screens.home import HomeScreen
from tui.screens.training import TrainingScreen


async def test_start_the_sparkline_moves_pause_and_stop(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        spark = screen.query_one("#training-spark", Sparkline)
        await wait_until(pilot, lambda: len(spark.data or []) > 10, what="the sparkline to fill")
        await pilot.press("p")
        assert screen.control.paused
        await wait_until(pilot, lambda: screen.last_report.paused, what="the paused report")
        frozen = len(screen.losses)
        assert frozen == screen.last_report.step_count  # every step until the hold is drawn
        await pilot.press("p")
        await wait_until(pilot, lambda: len(screen.losses) > frozen, what="training to resume")
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the run to stop")
        steps = screen.last_report.step_count
        assert steps > 10 and steps == len(screen.losses)  # no loss value dropped on the way
        assert any("stopped" in n.message for n in app._notifications)


async def test_at_80x24_the_curve_and_the_boundary_map_fit_on_the_screen(training_app):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot, steps="300")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        screen._boundary_new = True
        screen._redraw()
        await pilot.pause()
        for name in ("curve", "boundary"):
            canvas = screen.query_one(f"#training-{name}")
            assert canvas.region.bottom <= 23  # above the footer, not cut off below the screen
            assert len(canvas.plain.splitlines()) <= canvas.size.height
        assert "steps 1 to 300" in screen.query_one("#training-curve").plain
        assert screen.query_one("#training-boundary").plain.splitlines()[-1] == "predicted class over the plane"


async def test_leaving_mid_run_stops_the_worker():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.device_name is not None and len(screen.losses) > 5, what="training")
        control = screen.control
        worker = next(w for w in screen.workers if w.group == "training")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and control.stop_requested
        await wait_until(pilot, lambda: worker.is_finished, what="the worker to end")
        assert worker.result is None and worker.error is None
        process = app.training._process
        assert process.poll() is None  # kept for the next run
    assert process.poll() is not None  # quitting the app ends the training process


async def test_bad_form_input_is_named_inline_and_nothing_starts(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        screen.query_one("#form-hidden", Input).value = "64,,x"
        await pilot.press("s")
        error = str(screen.query_one("#form-error").render())
        assert "hidden '64,,x'" in error and screen.control is None
        screen.query_one("#form-hidden", Input).value = "16"
        screen.query_one("#form-lr", Input).value = "-1"
        await pilot.press("s")
        assert "lr -1.0" in str(screen.query_one("#form-error").render()) and screen.control is None


async def test_export_writes_the_loss_csv_and_a_checkpoint(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps="200")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.losses, what="the run to finish")
        await pilot.press("e")
        await wait_until(pilot, lambda: screen.exported_to is not None, what="the export")
        rows = (screen.exported_to / "loss.csv").read_text().splitlines()
        assert rows[0] == "step,loss" and len(rows) == 201
        from tui.core.training.checkpoint import load

        saved = load(screen.exported_to / "checkpoint.pt")
        assert saved.step == 200 and saved.config == screen.config
        assert tuple(saved.model["0.weight"].shape) == (64, 2)


async def test_the_plots_and_the_numbers_are_redrawn_in_turn_and_both_at_the_end(training_app):
    """One column per frame: a frame with both repainted the whole screen, form included."""
    from tui.core.training.engine import Report

    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps="200")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        shown: list[str] = []
        for name in ("stats", "grads", "curve", "boundary"):
            canvas = screen.query_one(f"#training-{name}")
            canvas.show = lambda renderable, name=name: shown.append(name)
        spark = screen.query_one("#training-spark", Sparkline)
        screen._boundary_new = True

        def report(done: bool = False) -> None:
            shown.clear()
            screen._drawn_at = 0.0  # due for a redraw
            # Tagged with the current run: a report of another run is stale and dropped.
            screen._progress(TrainingScreen.Progress(Report([201], [0.5], 1.0, 1.0, 1.0, 0.01, done=done), screen.run_number))

        report()
        first = frozenset(shown)
        report()
        second = frozenset(shown)
        assert {first, second} == {frozenset({"curve", "boundary"}), frozenset({"stats", "grads"})}
        assert spark.data[-1] == 0.5
        report(done=True)
        assert {"curve", "stats", "grads"} <= set(shown)


async def test_a_run_stopped_while_paused_still_shows_its_step_and_loss(training_app):
    """The last report of such a run holds no steps; the numbers come from the whole run."""
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: len(screen.losses) > 50, what="training")
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.last_report.paused, what="the paused report")
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the run to stop")
        assert screen.last_report.steps == []  # nothing ran after the pause
        stats = screen.query_one("#training-stats").plain
        assert f"step       {len(screen.losses):,} of 100,000" in stats
        assert f"loss       {format_loss(screen.losses[-1])}" in stats and "0.0 s left" in stats


async def test_a_lesson_step_that_launches_training_starts_the_training_process_before_x(lesson_pack):
    """So that by the time the learner presses x and then s, torch is loaded there."""
    from tests.conftest import app_on_a_launch_lesson

    launch = 'Launch(title="Train it", prompt="Watch the loss.", tool="training", scenario="accumulation")'
    async with app_on_a_launch_lesson(lesson_pack, launch, SIZE) as (app, pilot):
        assert app._training is None  # nothing starts it before such a step is shown
        await app.screen.show_step(3)
        await wait_until(pilot, lambda: app._training is not None and app.training.alive, what="the training process")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)


async def test_paused_is_said_on_screen_until_resumed(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: len(screen.losses) > 5, what="training")
        label = screen.query_one("#training-state")
        assert "PAUSED" not in str(label.render())
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.last_report.paused, what="the paused report")
        await pilot.pause()
        assert "PAUSED" in str(label.render()) and "PAUSED" in screen.sub_title
        await pilot.press("p")
        assert "PAUSED" not in str(label.render()) and "PAUSED" not in screen.sub_title
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the run to stop")


async def test_the_default_run_is_long_enough_to_try_the_controls(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "Training")
        await pilot.pause()
        assert int(pilot.app.screen.query_one("#form-steps", Input).value) >= 20000


async def test_at_200x50_the_decision_map_fills_its_room_with_data_points(training_app):
    app = training_app()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_training(pilot, steps="300")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        screen._boundary_new = True
        screen._redraw()
        await pilot.pause()
        canvas = screen.query_one("#training-boundary")
        lines = canvas.plain.splitlines()
        assert canvas.size.height > 20 and len(lines) == canvas.size.height  # every row of its room used
        assert all(len(line) == canvas.size.width for line in lines[:-1])  # and every column
        assert canvas.region.bottom <= 49
        drawn = "".join(lines[:-1])
        assert drawn.count("0") + drawn.count("1") > 50  # the data points, as their class numbers


async def test_at_80x24_the_footer_and_the_last_gradient_norm_are_whole(training_app):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot, steps="300")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        await pilot.pause()
        grads = screen.query_one("#training-grads")
        rows = [line for line in grads.plain.splitlines() if line.startswith("layer")]
        assert [row.split()[1] for row in rows] == ["0", "2", "4"]  # hidden 64,64: three weights
        side = screen.query_one("#training-side")
        assert grads.region.y + len(grads.plain.splitlines()) <= side.region.bottom  # the last one on screen
        from textual.widgets import Footer
        from textual.widgets._footer import FooterKey

        keys = list(screen.query_one(Footer).query(FooterKey))
        palette = next(key for key in keys if key.has_class("-command-palette"))
        shown = [key for key in keys if key is not palette]
        assert "Back" in {key.description for key in shown}
        assert all(key.region.width > 0 and key.region.right <= palette.region.x for key in shown)  # none cut


async def test_no_color_draws_the_training_view_without_error(training_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = training_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_training(pilot, steps="200")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        screen._boundary_new = True
        screen._redraw()
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, TrainingScreen)
        assert "predicted class over the plane" in screen.query_one("#training-boundary").plain


async def test_two_processes_train_together_and_the_view_shows_each_rank(training_app):
    app = training_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_training(pilot)
        screen.query_one("#form-processes", Input).value = "2"
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.last_report is not None and screen.last_report.ranks
                         and len(screen.losses) > 20, what="reports of two ranks")
        assert "2 processes" in (screen.device_name or "")
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.last_report.paused, what="the paused report")
        assert len(screen.losses) == screen.last_report.step_count  # every step's mean loss, once
        table = screen.query_one("#training-ranks").plain.splitlines()
        assert table[0].startswith("2 processes") and [row.split()[0] for row in table[2:4]] == ["0", "1"]
        # The table's text is set before the next layout gives it its rows: wait for that layout.
        await wait_until(pilot, lambda: screen.query_one("#training-ranks").size.height == 4, what="the ranks table laid out")
        ranks = children(app.training._process.pid)
        assert len(ranks) == 2
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the run to stop")
        assert screen.last_report.reason == "stopped"
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in ranks), what="the ranks to end")


async def test_a_rank_that_dies_ends_the_run_in_the_view_naming_it(training_app):
    import os
    import signal

    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        screen.query_one("#form-processes", Input).value = "2"
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.last_report is not None and screen.last_report.ranks, what="two ranks")
        ranks = children(app.training._process.pid)
        assert len(ranks) == 2
        os.kill(ranks[1], signal.SIGKILL)
        await wait_until(pilot, lambda: screen.control is None, what="the run to end")
        final = screen.last_report
        assert final.reason == "error" and "rank 1 ended: it was killed" in final.message
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in ranks), what="both ranks to be gone")
        assert app.training.alive  # the training process itself carries on: the next s starts a new run


async def test_the_field_being_edited_stands_out_and_an_open_list_covers_the_labels_beside_it(training_app):
    from textual.widgets import Label, Select
    from textual.widgets._select import SelectOverlay

    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot)
        lr, steps = screen.query_one("#form-lr", Input), screen.query_one("#form-steps", Input)
        lr.focus()
        await pilot.pause()
        assert lr.styles.background != steps.styles.background  # the focused field is highlighted
        dataset = screen.query_one("#form-dataset", Select)
        dataset.focus()
        await pilot.press("enter")
        overlay = dataset.query_one(SelectOverlay)
        await wait_until(pilot, lambda: overlay.display and overlay.region.height > 0, what="the open list")
        label = [widget for widget in screen.query(Label) if str(widget.render()) == "activation"][0]
        assert overlay.region.x <= label.region.x and overlay.region.contains_region(label.region)  # covered whole
        await pilot.press("escape")
