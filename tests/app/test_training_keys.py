"""The training view's other keys: F5-F7 as s/p/x, + and - for the learning rate, l for a log scale,
r to reset; and NaN and out-of-memory runs shown as they end."""

from __future__ import annotations

from tests.app.training_view import SIZE, open_training
from tests.waiting import wait_until


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_function_keys_plus_minus_and_l_drive_a_run(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, hidden="8")
        await pilot.press("f5")
        await wait_until(pilot, lambda: len(screen.losses) > 10, what="the run started by F5")
        first_lr = screen.last_report.lr
        await pilot.press("plus")
        await wait_until(pilot, lambda: screen.last_report.lr == 2 * first_lr, what="the doubled learning rate")
        await pilot.press("minus")
        await wait_until(pilot, lambda: screen.last_report.lr == first_lr, what="the learning rate halved")
        await pilot.press("minus")
        await wait_until(pilot, lambda: screen.last_report.lr == first_lr / 2, what="the learning rate halved again")
        assert f"learning rate -> {first_lr / 2:g}" in notices(app)
        await pilot.press("f6")
        await wait_until(pilot, lambda: screen.last_report.paused, what="the pause from F6")
        await pilot.press("f6")
        held = screen.last_report.step_count
        await wait_until(pilot, lambda: len(screen.losses) > held, what="the resume from F6")
        assert "(log scale)" not in screen.query_one("#training-curve").plain
        await pilot.press("l")
        assert screen.log_scale and "(log scale)" in screen.query_one("#training-curve").plain
        await pilot.press("f7")
        await wait_until(pilot, lambda: screen.control is None, what="the stop from F7")
        assert screen.last_report.reason == "stopped"


async def test_r_after_a_run_clears_the_view(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot, steps="200", hidden="8")
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.control is None and screen.last_report is not None, what="the run's end")
        assert screen.losses and "steps 1 to 200" in screen.query_one("#training-curve").plain
        await pilot.press("r")
        await pilot.pause()
        assert screen.losses == [] and not screen.query_one("#training-spark").data
        assert screen.query_one("#training-stats").plain.strip() == "Reset. Press s to start."
        assert screen.query_one("#training-curve").plain.strip() == "" == screen.query_one("#training-boundary").plain.strip()


async def test_two_lr_presses_within_one_report_both_count(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: len(screen.losses) > 10, what="the run started")
        first_lr = screen.last_report.lr
        screen.action_lr(2.0)  # two presses with no report between them
        screen.action_lr(2.0)
        assert screen.lr_asked == 4 * first_lr
        await wait_until(pilot, lambda: screen.last_report.lr == 4 * first_lr, what="the rate doubled twice, in use")
        screen.action_lr(0.5)
        await wait_until(pilot, lambda: screen.last_report.lr == 2 * first_lr, what="then halved from there")
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the stop")


async def test_r_during_a_run_is_not_refilled_by_reports_still_in_flight(training_app):
    app = training_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: len(screen.losses) > 10, what="the run started")
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.control is None, what="the reset run's last report")
        await pilot.pause()
        assert screen.losses == [] and screen.last_report is None
        assert screen.query_one("#training-stats").plain.strip() == "Reset. Press s to start."
        await pilot.press("s")  # and the next run starts from nothing
        await wait_until(pilot, lambda: screen.last_report is not None and len(screen.losses) > 10, what="a new run")
        assert len(screen.losses) <= screen.last_report.step_count, "no loss of the reset run came back"
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.control is None, what="the stop")
