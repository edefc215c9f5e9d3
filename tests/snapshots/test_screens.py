"""Snapshot tests of each screen at the 80x24 a learner on SSH gets (update with --snapshot-update)."""

from __future__ import annotations

from tests.waiting import wait_until
from tui.app import make_app


def test_home_screen(snap_compare):
    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24))


def test_lesson_screen_after_a_wrong_answer(snap_compare):
    async def answer_wrong(pilot):
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n", "2")
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), run_before=answer_wrong)


def test_lesson_screen_prose_with_code(snap_compare):
    async def go_to_code(pilot):
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n", "1", "n")
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), run_before=go_to_code)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), press=["question_mark"])


def test_too_small_terminal(snap_compare):
    assert snap_compare(make_app(start_kernel=False), terminal_size=(60, 18))


def test_stepper_screen_after_two_backwards(snap_compare):
    async def two_backwards(pilot):
        pilot.app.action_open_stepper("scalar")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "stepper", None) is not None, what="the stepper")
        await pilot.press("b", "b")
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), run_before=two_backwards)


def test_training_screen_before_a_run(snap_compare):
    async def open_training(pilot):
        pilot.app.action_open_training()
        await pilot.pause()

    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24), run_before=open_training)


def test_exercise_after_a_failed_check(snap_compare):
    async def check_wrong_code(pilot):
        from textual.widgets import Static, TextArea

        from tui.widgets.steps.exercise import ExerciseView

        screen = pilot.app.screen
        await screen.show_step(screen.lesson.step_index("column-sums"))
        await pilot.pause()
        view = screen.query_one(ExerciseView)
        # A misspelt name fails every test before any input is drawn: the snapshot shows no value
        # that hypothesis drew (a failing input, shrunk within a time cap, can differ between runs).
        view.query_one(TextArea).text = "def column_sum(x):\n    return x.sum(dim=0)\n"
        await pilot.press("ctrl+j")
        verdict = view.query_one(".exercise-verdict", Static)

        def checked() -> bool:
            text = str(verdict.render())
            return bool(text) and not text.startswith("Checking")

        await wait_until(pilot, checked, what="the check's verdict")
        await pilot.pause()

    app = make_app(start_kernel=False, start_lesson="reductions")
    assert snap_compare(app, terminal_size=(80, 24), run_before=check_wrong_code)
