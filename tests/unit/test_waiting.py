"""The shared wait helpers: they return what the awaited condition gave, and name a wait that hangs."""

from __future__ import annotations

import threading

import pytest

from tests.waiting import run_from_palette, wait_for, wait_until
from tui.app import make_app
from tui.screens.help import HelpScreen


def test_wait_for_returns_the_value_once_another_thread_makes_it_true():
    box: list[int] = []
    threading.Thread(target=lambda: box.append(7)).start()
    assert wait_for(lambda: box and box[0], what="the thread's value") == 7


def test_a_wait_that_never_ends_fails_naming_what_it_waited_for():
    with pytest.raises(AssertionError, match="the thing that never comes"):
        wait_for(lambda: False, what="the thing that never comes", guard=0.05)


async def test_wait_until_lets_the_app_run_and_the_palette_runs_the_highlighted_entry():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(100, 30)) as pilot:
        ticks: list[int] = []
        app.set_interval(0.01, lambda: ticks.append(1))
        await wait_until(pilot, lambda: len(ticks) > 3, what="the app's timer")  # only if the app runs
        with pytest.raises(AssertionError, match="the never"):
            await wait_until(pilot, lambda: False, what="the never", guard=0.05)
        await run_from_palette(pilot, "Help")
        assert isinstance(app.screen, HelpScreen)
