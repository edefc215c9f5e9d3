"""The help page: every key a footer shows is explained there, and ? opens it from any screen."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from tests.waiting import wait_until
from tui.app import make_app
from tui.core.paths import assets_dir
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.screens.stepper import StepperScreen
from tui.screens.training import TrainingScreen
from tui.screens.workbench import WorkbenchScreen

SHOWN_AS = {"question_mark": "?", "plus": "+", "minus": "-"}


def documented(key: str, text: str) -> bool:
    key = SHOWN_AS.get(key, key)
    return f"`{key}`" in text or f"`{key} " in text or f" {key}`" in text


@pytest.mark.parametrize("screen", [HomeScreen, LessonScreen, StepperScreen, TrainingScreen, WorkbenchScreen])
def test_every_key_a_footer_shows_is_in_the_help(screen):
    text = (assets_dir() / "help.md").read_text(encoding="utf-8")
    shown = [b for b in screen.BINDINGS if isinstance(b, Binding) and b.show and b.description]
    assert shown
    missing = [f"{b.key} ({b.description})" for b in shown if not any(documented(k, text) for k in b.key.split(","))]
    assert missing == []


async def test_question_mark_opens_the_help_on_a_lesson_and_escape_closes_it():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen), what="the lesson")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen), what="the lesson again")
