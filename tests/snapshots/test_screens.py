"""Snapshot tests of each screen at the 80x24 a learner on SSH gets (update with --snapshot-update).

Steps of a lesson, a wrong answer and a failed check are in test_step_kinds.py, on a fixed pack."""

from __future__ import annotations

from tests.waiting import wait_until
from tui.app import make_app


def test_home_screen(snap_compare):
    assert snap_compare(make_app(start_kernel=False), terminal_size=(80, 24))


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
