"""The stepper's footer shows only keys that work in the scenario shown.

The micro-batch and two-rank scenarios refuse ``f`` (their ``b`` runs forward and backward), and
scalar and vector have no optimizer for ``s``: a footer that lists them sends a learner to keys
that only ever answer "press something else". Every key the footer shows is pressed here and must
do something (from some state reached with the footer's own keys); the others must do nothing.
"""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Footer

from tests.app.footers import drawn_as_bound
from tests.waiting import wait_until
from tui.app import make_app
from tui.core.stepper import SCENARIOS
from tui.screens.stepper import ACTION_KEYS, SCENARIO_KEYS, StepperScreen

ACTION_OF = {letter: action for action, letter in ACTION_KEYS.items()}


async def shown_keys(pilot) -> dict[str, str]:
    """The footer's keys as drawn now (key to action), once the footer draws the current bindings."""
    app = pilot.app
    footer = app.screen.query_one(Footer)
    await wait_until(pilot, lambda: drawn_as_bound(app, footer), what="the footer drawing the current bindings")
    return {key.key: key.action for key in footer.query("FooterKey") if key.key != app.COMMAND_PALETTE_BINDING}


async def loaded(pilot, screen: StepperScreen, key: str) -> None:
    await wait_until(pilot, lambda: screen.stepper is not None and screen.stepper.scenario.key == key,
                     what=f"the {key} scenario to load")


async def works_from_some_state(pilot, screen: StepperScreen, letter: str, letters: list[str]) -> bool:
    """Whether ``letter``'s action succeeds after some short run of the footer's own action keys."""
    for length in range(3):
        for before in itertools.product(letters, repeat=length):
            await pilot.press("r", *before, letter)
            last = screen.stepper.timeline[-1]
            if last.label == ACTION_OF[letter] and last.error is None:
                return True
    return False


@pytest.mark.parametrize("key", SCENARIO_KEYS)
async def test_every_key_the_footer_shows_does_something_and_refused_keys_are_not_shown(key):
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open_stepper("scalar")
        await wait_until(pilot, lambda: isinstance(app.screen, StepperScreen), what="the stepper")
        screen = app.screen
        await loaded(pilot, screen, "scalar")
        await pilot.press(str(SCENARIO_KEYS.index(key) + 1))  # reached by a switch: the footer follows it
        await loaded(pilot, screen, key)
        shown = await shown_keys(pilot)
        letters = [letter for letter in shown if letter in ACTION_OF]
        assert letters, "the footer shows the scenario's actions"
        for letter in letters:
            assert await works_from_some_state(pilot, screen, letter, letters), f"{letter} is shown but never works"
        for letter in set(ACTION_OF) - set(letters):  # not shown: pressing it changes nothing
            before = list(screen.stepper.timeline)
            await pilot.press(letter)
            assert screen.stepper.timeline == before, f"{letter} is not in the footer but acts"
        # The moving keys and reset the footer shows work too, from a moment with something to undo.
        await pilot.press("r", letters[0])
        assert len(screen.stepper.timeline) == 2
        assert {"left", "r", "escape"} <= set(shown)
        await pilot.press("left")
        assert screen.stepper.index == 0
        await pilot.press("r")
        assert len(screen.stepper.timeline) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, StepperScreen), what="escape to leave")


async def test_a_scenario_that_cannot_load_shows_no_action_keys():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open_stepper("no-such-scenario")
        await wait_until(pilot, lambda: isinstance(app.screen, StepperScreen) and app.screen.failed,
                         what="the load failure")
        shown = await shown_keys(pilot)
        assert not set(shown) & {*ACTION_OF, "r"} and "escape" in shown
        await pilot.press("2")
        await loaded(pilot, app.screen, "vector")
        assert set(await shown_keys(pilot)) >= {"f", "b", "z", "r"}


def test_each_scenario_names_its_keys():
    for scenario in SCENARIOS.values():
        assert set(scenario.actions) <= set(ACTION_OF), scenario.key
