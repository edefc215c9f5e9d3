"""Work a learner typed on a step and never sent is kept: a try step's edited code, a half-typed answer.

A walk found both thrown away by n then p (exercise drafts were already kept): the step came back
showing its original code, or an empty answer box.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.app.kinds_pack import KINDS
from tests.waiting import wait_until
from tui.app import make_app

SIZE = (100, 30)


async def open_step(pilot, kind: str):
    screen = pilot.app.screen
    await screen.show_step(KINDS.index(kind))
    await pilot.pause()
    return screen


async def test_edited_try_code_survives_moving_away_and_a_relaunch(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(pilot, "try")
        original = screen.view.query_one(TextArea).text
        await pilot.press("i", *"# mine ", "escape", "n", "p")  # typed at the start of the code
        await wait_until(pilot, lambda: screen.index == KINDS.index("try") and screen.view.step.kind == "try",
                         what="back on the try step")
        assert screen.view.query_one(TextArea).text == "# mine " + original
        assert screen.view.step.id not in app.store.answers("kinds")  # kept, not run
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(pilot, "try")
        assert screen.view.query_one(TextArea).text == "# mine " + original


async def test_a_half_typed_answer_comes_back_and_is_not_an_attempt(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(pilot, "typed")
        step_id = screen.view.step.id
        await pilot.press("i", *"(3,", "escape", "n", "p")
        await wait_until(pilot, lambda: screen.index == KINDS.index("typed") and screen.view.step.kind == "typed",
                         what="back on the typed step")
        assert screen.view.query_one(Input).value == "(3,"
        assert step_id not in app.store.answers("kinds")  # kept as typed, never sent: no attempt counted
        await pilot.press("i", "end", *" 4)", "enter")
        await wait_until(pilot, lambda: step_id in app.store.answers("kinds"), what="the answer recorded")
        assert app.store.answers("kinds")[step_id].answer == "(3, 4)" and app.store.answers("kinds")[step_id].correct
