"""Lesson paths a learner takes that other tests skip: jumping to a step from the step list, and the
inspector launch steps (each opens the workbench on the inspector tab the step names)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.waiting import wait_until
from tui.app import make_app
from tui.core.course.loader import load_package
from tui.core.steps import Launch
from tui.screens.lesson import LessonScreen
from tui.screens.workbench import WorkbenchScreen
from tui.widgets.inspector import Inspector

SIZE = (120, 36)
INSPECTOR_STEPS = [(lesson.id, step.id, step.scenario) for lesson in load_package().lessons for step in lesson.steps
                   if isinstance(step, Launch) and step.tool == "inspector"]


async def test_enter_on_the_step_list_jumps_to_that_step():
    lesson = load_package().lessons[0]
    target = lesson.steps[-1].id
    app = make_app(start_lesson=lesson.id, start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == 0
        steps = screen.query_one("#step-list", OptionList)
        steps.focus()
        steps.highlighted = lesson.step_index(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == lesson.step_index(target), what="the jump to the last step")
        assert screen.lesson.steps[screen.index].id == target
        assert str(steps.get_option_at_index(screen.index).prompt).lstrip().startswith("▶")


def test_the_course_has_inspector_launch_steps():
    assert INSPECTOR_STEPS  # else the test below checks nothing


@pytest.mark.parametrize("lesson_id, step_id, tab", INSPECTOR_STEPS)
async def test_an_inspector_launch_step_opens_the_workbench_on_its_tab(lesson_id, step_id, tab):
    app = make_app(start_lesson=lesson_id, start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await screen.show_step(screen.lesson.step_index(step_id))
        await pilot.pause()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkbenchScreen), what="the workbench")
        await pilot.pause()
        tabs = app.screen.query_one(Inspector).query_one("#inspector-tabs")
        assert tabs.active == f"tab-{tab}"
        await pilot.press("escape")  # one escape, wherever the workbench put the focus, goes back
        await wait_until(pilot, lambda: app.screen is screen, what="the lesson again after escape")
        assert screen.lesson.steps[screen.index].id == step_id


@pytest.mark.parametrize("width", [80, 140])
async def test_one_escape_leaves_the_workbench_from_the_repl_input_and_the_inspector(width):
    lesson_id, step_id, _ = next(step for step in INSPECTOR_STEPS if step[2] != "broadcast")  # opens on the REPL
    app = make_app(start_lesson=lesson_id, start_kernel=False)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = app.screen
        await screen.show_step(screen.lesson.step_index(step_id))
        for focus in ("#repl-input", "#variables"):
            await pilot.pause()
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, WorkbenchScreen), what="the workbench")
            await pilot.pause()
            if focus == "#variables":
                await pilot.press("f2")
            await wait_until(pilot, lambda: app.focused is app.screen.query_one(focus), what=f"focus on {focus}")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, what=f"the lesson after escape from {focus}")


async def test_n_pressed_again_and_again_on_the_last_step_shows_one_almost_there_toast(lesson_pack):
    from tests.conftest import good_lesson

    name, _ = lesson_pack({"unanswered": good_lesson("unanswered")})
    app = make_app(package=name, start_lesson="unanswered", start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(len(screen.lesson.steps) - 1)
        await pilot.pause()
        for _ in range(4):
            await pilot.press("n")
            await pilot.pause()

        # The app's live notifications (Textual draws them as toasts; under Pilot they may not be drawn yet).
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1 and "To finish, answer" in messages[0], messages
        assert app.screen is screen  # unanswered questions keep the learner in the lesson
