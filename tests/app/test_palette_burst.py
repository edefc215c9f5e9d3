"""A key typed straight after the command palette's Enter reaches the screen the command opens.

The keys are posted all at once, as a terminal delivers ``tmux send-keys C-p 'stepper' Enter b``:
``pilot.press`` lets the app go idle between two keys, which hid the fault. Before, the ``b`` went
into the palette's search (``stepperb`` opened the micro-batch scenario instead) and was lost.
"""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from tests.app.test_key_bursts import burst, keys_of
from tests.waiting import wait_until
from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.stepper import StepperScreen
from tui.widgets.repl import ReplPanel

SIZE = (80, 24)


def no_matches_shown(app) -> bool:
    """Whether the palette lists only its disabled "No matches found" entry."""
    if not isinstance(app.screen, CommandPalette):
        return False
    commands = app.screen.query_one(CommandList)
    return commands.option_count == 1 and commands.get_option_at_index(0).disabled


async def stepper_loaded(pilot) -> StepperScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, StepperScreen) and app.screen.stepper is not None,
                     what="the stepper to load")
    return app.screen


async def test_palette_enter_and_the_next_key_in_one_burst_reach_the_stepper():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+p", *keys_of("stepper"), "enter", "b", "b"])
        screen = await stepper_loaded(pilot)
        await wait_until(pilot, lambda: len(screen.stepper.timeline) == 3, what="both b to run")
        assert screen.stepper.scenario.key == "scalar"  # "Stepper", not what "stepperb" would find
        assert screen.stepper.current.row("x").grad == "tensor([24.])"


async def test_keys_after_the_enter_go_on_across_screens(monkeypatch):
    """palette -> stepper -> escape -> the lesson browser, all in one burst. The b reaches the stepper
    (it runs there, or waits for PyTorch to load: escape leaves at once and drops it, so which of the
    two happens is a race with the loading thread, and the test does not ask)."""
    reached: list[tuple[str, tuple]] = []
    run = StepperScreen._run
    monkeypatch.setattr(StepperScreen, "_run", lambda screen, method, *argument: (
        reached.append((method, argument)), run(screen, method, *argument)))
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lessons = app.screen.query_one("#lessons")
        first = lessons.highlighted
        burst(app, ["ctrl+p", *keys_of("stepper"), "enter", "b", "escape", "down"])
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and lessons.highlighted != first,
                         what="the burst to end on the lesson browser, one lesson down")
        assert reached == [("act", ("backward",))]
        assert not any(isinstance(screen, (StepperScreen, CommandPalette)) for screen in app.screen_stack)


async def test_code_typed_after_opening_the_workbench_lands_in_the_repl():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+p", *keys_of("workbench"), "enter", *keys_of("x = 41")])
        await wait_until(pilot, lambda: app.screen.query(ReplPanel) and app._held_keys is None, what="the workbench")
        panel = app.screen.query_one(ReplPanel)
        await wait_until(pilot, lambda: panel.input.text == "x = 41", what="the code in the REPL input")


async def test_an_enter_that_runs_nothing_leaves_the_next_keys_to_the_palette():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+p", *keys_of("zzqq"), "enter", "b"])
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette)
                         and app.screen.query_one(CommandInput).value == "zzqqb", what="b in the palette's search")
        assert app._held_keys is None


async def test_an_enter_on_no_matches_hands_the_next_keys_back_at_once(monkeypatch):
    import tui.palette_keys

    monkeypatch.setattr(tui.palette_keys, "GUARD_SECONDS", 10_000.0)  # only the Enter's outcome releases them
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"zzqq")
        await wait_until(pilot, lambda: no_matches_shown(app), what="'No matches found' in the palette")
        burst(app, ["enter", "b"])
        await wait_until(pilot, lambda: app.screen.query_one(CommandInput).value == "zzqqb", what="b in the search")


async def test_a_textual_without_the_parts_used_keeps_its_own_palette_enter(monkeypatch):
    """The waiting Enter uses parts of Textual's palette Textual does not promise to keep; without them
    (another Textual version) the palette's Enter is Textual's own, and a command typed then run opens."""
    import tui.screens.command_palette as palette

    monkeypatch.setattr(palette, "TEXTUALS_OWN", ("_a_part_this_textual_lacks",))
    ours: list[str] = []
    monkeypatch.setattr(palette.DojoCommandPalette, "_act_on_enter", lambda self: ours.append("enter"))
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *keys_of("stepper"))
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0, what="the search")
        await pilot.press("enter")
        await stepper_loaded(pilot)
        assert ours == []  # Textual's Enter ran the command, not this palette's
