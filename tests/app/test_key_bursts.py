"""Keys that arrive in one burst (tmux send-keys, a paste into the terminal, a fast typist over SSH).

The driver queues every key of a burst before the app handles the first one. A key that moves the
focus (``i``, ``enter``, ``r``, ``n``, ``escape``) must have moved it before the next key of the
burst is handed on, so what follows lands where the learner now types, and nothing else changes.
These tests post all keys at once, as the terminal driver does, then wait for the app to settle.
"""

from __future__ import annotations

import unicodedata

import pytest
from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input, TextArea

from tests.app.kinds_pack import KINDS, learner_state
from tests.waiting import wait_until
from tui.app import make_app
from tui.screens.lesson import LessonScreen
from tui.widgets.repl import ReplPanel

SIZE = (100, 30)


def keys_of(text: str) -> list[str]:
    """The key names a terminal reports for typing ``text``."""
    return [_character_to_key(char) if not char.isalnum() else char for char in text]


def burst(app, keys: list[str]) -> None:
    """Queue ``keys`` on the app all at once, as the terminal driver does with a burst of input."""
    for key in keys:
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(key))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)


async def settle(pilot) -> None:
    """Let the app handle every queued key and what the keys started."""
    for _ in range(3):
        await pilot.pause()


async def open_step(app, pilot, kind: str) -> LessonScreen:
    screen = app.screen
    await screen.show_step(KINDS.index(kind))
    await pilot.pause()
    return screen


@pytest.mark.parametrize("kind, engage", [("try", "i"), ("exercise", "enter"), ("exercise", "i")])
async def test_code_typed_straight_after_i_or_enter_lands_in_the_editor(kinds_pack, kind, engage):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(app, pilot, kind)
        code_before = screen.view.query_one(TextArea).text
        answers_before = dict(app.store.answers("kinds"))
        burst(app, [engage, *keys_of("x = 1 # n p 1")])
        await wait_until(pilot, lambda: "x = 1 # n p 1" in screen.view.query_one(TextArea).text, what="the typed code")
        await settle(pilot)
        assert screen.view.query_one(TextArea).text == "x = 1 # n p 1" + code_before, "every key went in, in order"
        assert screen.index == KINDS.index(kind), "n and p typed into the code did not move the lesson"
        assert dict(app.store.answers("kinds")) == answers_before


async def test_an_answer_typed_straight_after_i_lands_in_the_answer_and_enter_checks_it(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(app, pilot, "typed")
        burst(app, ["i", *keys_of("(3, 4)"), "enter"])
        await wait_until(pilot, lambda: "type" in app.store.answers("kinds"), what="the answer recorded")
        record = app.store.answers("kinds")["type"]
        assert record.answer == "(3, 4)" and record.correct
        assert screen.index == KINDS.index("typed")


async def test_moving_then_editing_in_one_burst_edits_the_step_moved_to(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(app, pilot, "typed")
        burst(app, ["n", "i", *keys_of("q = 2")])  # typed -> try, then edit the try step's code
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea), what="the try step's editor focused")
        await settle(pilot)
        assert screen.lesson.steps[screen.index].kind == "try"
        assert screen.view.query_one(TextArea).text.startswith("q = 2z = 1")


async def test_escape_then_step_keys_in_one_burst_move_on_and_leave_the_code_alone(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(app, pilot, "try")
        await pilot.press("i")
        before = learner_state(app, screen)
        burst(app, ["escape", "n", "p"])  # stop editing, then next and back
        await wait_until(pilot, lambda: app.focused is screen.query_one("#step-pane"), what="focus on the page")
        await settle(pilot)
        assert screen.index == KINDS.index("try")
        assert learner_state(app, screen) == before, "n and p after escape did not type into the code"


async def test_repl_code_typed_straight_after_r_lands_in_the_repl_input(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_step(app, pilot, "try")
        before = learner_state(app, screen)
        burst(app, ["r", *keys_of("y = 2 # x i n")])
        repl_input = screen.query_one(ReplPanel).input
        await wait_until(pilot, lambda: repl_input.text == "y = 2 # x i n", what="the REPL input to hold the code")
        await settle(pilot)
        assert repl_input.text == "y = 2 # x i n"
        assert learner_state(app, screen) == before and screen.index == KINDS.index("try")
        burst(app, ["escape", "n"])  # out of the REPL to the page, then the next step
        await wait_until(pilot, lambda: screen.index == KINDS.index("exercise"), what="the next step")
        assert repl_input.text == "y = 2 # x i n", "n after escape was not typed into the REPL"
        assert not isinstance(app.focused, (Input, TextArea))
