"""Pilot tests of the stepper screen: the done-when keys, branching, scenarios, refusals."""

from __future__ import annotations

from tests.waiting import run_from_palette, wait_until
from tui.app import make_app
from tui.screens.stepper import StepperScreen

SIZE = (110, 32)


async def open_stepper(pilot, via_palette: bool = True) -> StepperScreen:
    if via_palette:
        await run_from_palette(pilot, "Stepper")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StepperScreen) and pilot.app.screen.stepper is not None,
                     what="the stepper to load")
    return pilot.app.screen


def x_grad(screen: StepperScreen) -> str:
    return screen.stepper.current.row("x").grad


async def test_palette_stepper_b_b_z_left():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stepper(pilot)
        assert screen.stepper.scenario.key == "scalar"
        await pilot.press("b")
        assert x_grad(screen) == "tensor([12.])"
        await pilot.press("b")
        assert x_grad(screen) == "tensor([24.])"
        await pilot.press("z")
        assert x_grad(screen) == "tensor([0.])"
        await pilot.press("left")
        assert x_grad(screen) == "tensor([24.])"
        await pilot.press("right")
        assert x_grad(screen) == "tensor([0.])"
        await pilot.press("left", "left", "b")  # from 12, a new branch
        assert x_grad(screen) == "tensor([24.])" and len(screen.stepper.timeline) == 3
        assert screen.query_one("#timeline").option_count == 3


async def test_a_refusal_is_shown_and_reset_starts_over():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_stepper("training")
        screen = await open_stepper(pilot, via_palette=False)
        await pilot.press("s")
        assert "no parameter has a .grad" in screen.stepper.current.error
        await pilot.press("f", "b", "b")
        assert "second time" in screen.stepper.current.error
        await pilot.press("r")
        assert len(screen.stepper.timeline) == 1


async def test_number_keys_switch_scenario():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stepper(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: screen.stepper.scenario.key == "micro", what="the micro-batch scenario")
        await pilot.press("b", "b", "b", "b")
        numbers = screen.stepper.current.view.numbers
        assert numbers["scaled_diff"] < 1e-6 and abs(numbers["unscaled_ratio"] - 4) < 1e-4


async def test_a_launch_step_opens_the_stepper_on_its_scenario_and_escape_returns(lesson_pack):
    from tests.conftest import app_on_a_launch_lesson
    from tui.screens.lesson import LessonScreen

    launch = 'Launch(title="Watch it add up", prompt="Step through micro-batches.", scenario="micro")'
    async with app_on_a_launch_lesson(lesson_pack, launch, SIZE) as (app, pilot):
        await app.screen.show_step(3)
        await pilot.press("x")
        screen = await open_stepper(pilot, via_palette=False)
        assert screen.stepper.scenario.key == "micro"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.index == 3


async def test_enter_on_a_timeline_entry_jumps_to_that_moment():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_stepper("scalar")
        screen = await open_stepper(pilot, via_palette=False)
        await pilot.press("b", "b", "z")
        assert screen.stepper.index == 3 and x_grad(screen) == "tensor([0.])"
        timeline = screen.query_one("#timeline")
        assert timeline.has_focus
        await pilot.press("up", "up")  # the highlight moves; the moment shown does not until enter
        assert screen.stepper.index == 3
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.stepper.index == 1, what="the jump to the first backward")
        assert x_grad(screen) == "tensor([12.])" and timeline.highlighted == 1
