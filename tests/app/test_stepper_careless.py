"""The stepper as a careless learner meets it: keys pressed before PyTorch loads, every scenario
reachable, and nothing on screen printed twice or cut (timeline entries, the values table).

What a widget shows is read from its rendered lines, so a cut (``…``) or a lost word is seen as a
learner would see it.
"""

from __future__ import annotations

import threading

import pytest
from textual.geometry import Region

from tests.waiting import wait_until
from tui.app import make_app
from tui.core.stepper import SCENARIOS
from tui.screens.stepper import StepperScreen


def drawn(widget) -> str:
    """Every line the widget draws (all of it, not only what its scroll area shows)."""
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


def squeezed(text: str) -> str:
    """The text without any whitespace: a value wrapped over lines reads the same as on one."""
    return "".join(text.split())


@pytest.fixture
def gated(monkeypatch):
    """Scenarios wait to be built until the test opens the gate: the learner is faster than PyTorch."""
    import tui.core.stepper

    gate = threading.Event()
    make_scenario = tui.core.stepper.make_scenario

    def slow(key):
        gate.wait()
        return make_scenario(key)

    monkeypatch.setattr(tui.core.stepper, "make_scenario", slow)
    return gate


async def opened(pilot, scenario: str = "scalar") -> StepperScreen:
    pilot.app.action_open_stepper(scenario)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StepperScreen) and pilot.app.screen.query("#timeline"),
                     what="the stepper screen")
    return pilot.app.screen


async def loaded(pilot, screen: StepperScreen, key: str) -> None:
    await wait_until(pilot, lambda: screen.stepper is not None and screen.stepper.scenario.key == key,
                     what=f"the {key} scenario to load")


async def test_keys_pressed_while_pytorch_loads_wait_say_so_and_then_run(gated):
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            screen = await opened(pilot)
            await pilot.press("b", "b", "z", "left")
            await pilot.pause()
            state = drawn(screen.query_one("#stepper-state"))
            assert "Loading PyTorch" in state and squeezed("run once it is ready: b b z ←") in squeezed(state)
        finally:
            gated.set()  # else the loading thread (and the test's end) waits for ever
        await loaded(pilot, screen, "scalar")
        assert [snap.label for snap in screen.stepper.timeline] == ["start", "backward", "backward", "zero_grad"]
        assert screen.stepper.index == 2 and screen.stepper.current.row("x").grad == "tensor([24.])"


async def test_keys_after_a_switch_mid_load_go_to_the_new_scenario_only(gated):
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            screen = await opened(pilot)
            await pilot.press("b", "4", "b")  # the first b was for the scalar scenario, left before it loaded
            assert screen.pending == [("act", ("backward",))] and screen.scenario_key == "micro"
        finally:
            gated.set()
        await loaded(pilot, screen, "micro")
        assert screen.stepper.current.view.numbers["done"] == 1.0 and len(screen.stepper.timeline) == 2
        await pilot.press("1", "b")  # torch is loaded now: a switch and a key in one burst
        await loaded(pilot, screen, "scalar")
        assert screen.stepper.current.row("x").grad == "tensor([12.])"


async def test_a_scenario_that_cannot_load_is_said_and_keys_do_not_pile_up():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, "no-such-scenario")
        state = screen.query_one("#stepper-state")
        await wait_until(pilot, lambda: "could not load" in drawn(state), what="the load failure")
        assert "no-such-scenario" in drawn(state) and "escape" in drawn(state)
        await pilot.press("b")
        assert not screen.pending
        await pilot.press("2")
        await loaded(pilot, screen, "vector")


@pytest.mark.parametrize("key", list(SCENARIOS))
async def test_the_description_is_shown_once(key):
    app = make_app(start_kernel=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, key)
        await loaded(pilot, screen, key)
        main = squeezed(drawn(screen.query_one("#stepper-about")) + drawn(screen.query_one("#stepper-state")))
        assert main.count(squeezed(SCENARIOS[key].about)) == 1


async def test_every_scenario_is_listed_with_its_key_and_in_the_palette():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await loaded(pilot, screen, "scalar")
        choices = squeezed(drawn(screen.query_one("#stepper-choices")))
        for number, scenario in enumerate(SCENARIOS.values(), 1):
            assert squeezed(f"{number} {scenario.label}") in choices
        await pilot.press(str(list(SCENARIOS).index("two-ranks") + 1))
        await loaded(pilot, screen, "two-ranks")
        names = [command.title for command in app.get_system_commands(screen)]
        assert "Stepper: two ranks" in names
        assert all(f"Stepper: {scenario.label}" in names for scenario in list(SCENARIOS.values())[1:])


def entry(snap) -> str:
    """What a timeline entry must show whole (whitespace aside): the action and its code's first line."""
    return squeezed(snap.label + (snap.code.splitlines()[0] if snap.code else ""))


ACTIONS = {"scalar": "bbz", "vector": "bb", "training": "fbbsz", "micro": "bbbb", "two-ranks": "bbs"}


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)], ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("key", list(SCENARIOS))
async def test_timeline_entries_and_every_value_and_grad_are_drawn_whole(key, size):
    app = make_app(start_kernel=False)
    async with app.run_test(size=size) as pilot:
        screen = await opened(pilot, key)
        await loaded(pilot, screen, key)
        await pilot.press(*ACTIONS[key])
        await wait_until(pilot, lambda: len(screen.stepper.timeline) == len(ACTIONS[key]) + 1, what="the actions")
        await pilot.pause()
        timeline = screen.query_one("#timeline")
        # Scrolled to the moment shown: the last. A dotted name wider than the column goes on after ↪.
        views = [drawn(timeline).replace("↪", "")]
        current = screen.stepper.current
        assert entry(current) in squeezed(views[0]), "the moment shown is scrolled out of the timeline"
        for scroll in (timeline.scroll_home, timeline.scroll_end):  # at 80x24 the entries are taller than the list
            scroll(animate=False)
            await pilot.pause()
            views.append(drawn(timeline).replace("↪", ""))
        assert not any("…" in view for view in views)
        for snap in screen.stepper.timeline:
            assert any(entry(snap) in squeezed(view) for view in views), f"timeline entry cut: {snap.code}"
        state = drawn(screen.query_one("#stepper-state"))
        assert "…" not in state
        for row in screen.stepper.current.view.rows:
            for value in (row.value, *row.grad.split("  ·  ")):
                assert squeezed(value) in squeezed(state), f"{row.name}: {value} is not drawn whole at {size}"


async def test_a_long_code_line_goes_on_after_a_marker_under_its_indent_at_80_columns():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, "two-ranks")
        await loaded(pilot, screen, "two-ranks")
        await pilot.press("b", "b", "s")
        await wait_until(pilot, lambda: screen.stepper.current.label == "step", what="the all-reduce step")
        await pilot.pause()
        lines = drawn(screen.query_one("#stepper-state")).splitlines()
        code = screen.stepper.current.code
        assert squeezed(code) in squeezed("".join(lines).replace("↪", ""))
        continued = [line for line in lines if line.strip().startswith("↪")]
        assert continued and all(line.startswith("    ↪") for line in continued[1:])  # the loop body's indent
