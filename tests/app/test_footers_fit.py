"""At 80 columns every screen's footer shows all its keys whole, and always how to get out.

A key cut at the footer's edge (the stepper's ``r Reset`` was) reads as a different key or none.
Below 100 columns the stepper's footer leaves out ``^p palette`` (ctrl+p still works, the help names it).
"""

from __future__ import annotations

from textual.widgets import Footer

from tests.app.footers import drawn_footer_keys
from tests.app.kinds_pack import KINDS
from tests.waiting import wait_until
from tui.app import make_app
from tui.screens.stepper import StepperScreen
from tui.screens.training import TrainingScreen
from tui.screens.workbench import WorkbenchScreen

SIZE = (80, 24)
X_SAYS = {"prose": ["x Run"], "choice": [], "typed": [], "try": ["x Run"], "exercise": ["x Check"],
          "launch": ["x Open"]}
"""The x key each step kind of the kinds pack shows: its page has a code block, its questions none."""


async def footer_keys(pilot) -> list[str]:
    """The footer's keys as drawn, after checking that each lies whole inside the footer."""
    footer = pilot.app.screen.query_one(Footer)
    keys = await drawn_footer_keys(pilot)
    shown = []
    for key, after in zip(keys, [*keys[1:], None]):
        text = str(key.render()).strip()
        assert key.region.width > 0 and key.region.right <= footer.region.right, f"{text!r} is cut at 80 columns"
        assert after is None or key.region.right <= after.region.x, f"{text!r} is drawn under the next key"
        shown.append(text)
    assert shown, "the footer shows keys"
    return shown


def says_how_to_leave(keys: list[str]) -> bool:
    return any(key.startswith("esc ") for key in keys)


async def test_tool_screens_show_every_key_whole_and_escape_at_80_columns():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await footer_keys(pilot)
        for opener, screen_class in ((app.action_open_stepper, StepperScreen), (app.action_open_training, TrainingScreen),
                                     (app.action_open_workbench, WorkbenchScreen)):
            opener()
            await wait_until(pilot, lambda: isinstance(app.screen, screen_class), what=screen_class.__name__)
            await pilot.pause()
            keys = await footer_keys(pilot)
            assert says_how_to_leave(keys), f"{screen_class.__name__}: {keys}"
            if screen_class is StepperScreen:
                assert "r Reset" in keys
            if screen_class is WorkbenchScreen:
                await pilot.press("f2")  # the inspector, in place of the REPL at 80 columns
                await pilot.pause()
                assert says_how_to_leave(await footer_keys(pilot)), "the inspector's footer"
            app.screen.dismiss()
            await pilot.pause()


async def test_a_footer_fits_again_after_the_terminal_is_narrowed_to_80_columns():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(120, 30)) as pilot:
        app.action_open_stepper()
        await wait_until(pilot, lambda: isinstance(app.screen, StepperScreen), what="the stepper")
        await pilot.pause()
        assert any(key.startswith("^p") for key in await footer_keys(pilot))  # room for it at 120 columns
        await pilot.resize_terminal(*SIZE)
        await wait_until(pilot, lambda: not app.screen.query(".-command-palette"), what="the footer to drop ^p palette")
        keys = await footer_keys(pilot)
        assert says_how_to_leave(keys) and "r Reset" in keys, keys


async def test_lesson_footers_fit_on_every_step_kind_editing_or_not(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        for index, kind in enumerate(KINDS):
            await screen.show_step(index)
            await pilot.pause()
            keys = await footer_keys(pilot)
            assert says_how_to_leave(keys), kind
            # The footer names what x does on the step, and shows no x where it does nothing.
            x_keys = [key for key in keys if key.startswith("x ")]
            assert x_keys == X_SAYS[kind], (kind, keys)
            if screen.view.ENGAGE:
                await pilot.press("i")
                await pilot.pause()
                assert says_how_to_leave(await footer_keys(pilot)), f"{kind}, editing"
                await pilot.press("escape")
        await pilot.press("r")  # typing in the REPL
        await pilot.pause()
        keys = await footer_keys(pilot)
        # The footer names where escape goes: from the REPL back to the step, not out of the lesson.
        assert "esc Back to step" in keys and "esc Lessons" not in keys, keys
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.page_has_focus, what="focus back on the step's page")
        assert app.screen is screen
        assert "esc Lessons" in await footer_keys(pilot)


async def test_x_and_ctrl_j_from_an_exercise_page_check_the_code(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(KINDS.index("exercise"))
        await pilot.pause()
        checks = []
        screen.view.action_check = lambda: checks.append(screen.view.code)  # the grader is not the point here
        for key in ("x", "ctrl+j"):
            await pilot.press(key)
            await wait_until(pilot, lambda: len(checks) == ("x", "ctrl+j").index(key) + 1, what=f"{key} checks")
        assert screen.page_has_focus and checks == [screen.view.code] * 2
