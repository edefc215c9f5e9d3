"""The lesson's focus model: step keys never type into a learner's code or answer, on any step kind.

A step opens with focus on the page; enter or i starts editing or answering; escape stops; a
second escape leaves the lesson. Each test goes over one step of every kind.
"""

from __future__ import annotations

from textual.widgets import Input, OptionList, TextArea

from tests.app.footers import footer_texts
from tests.app.kinds_pack import KINDS, learner_state
from tests.waiting import wait_until
from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.widgets.steps.quiz import Feedback

SIZE = (100, 30)

STEP_KEYS = ["n", "p", "a", "space", "backspace", "down"]
"""Keys a learner presses on a step (n then p come back to it); none may change code or answers."""


async def press_step_keys(pilot, screen: LessonScreen, index: int) -> None:
    for key in STEP_KEYS:
        await pilot.press(key)
        if screen.index != index:  # n moved on (or p back): return to the step
            await screen.show_step(index)
            await pilot.pause()


async def test_step_keys_never_change_code_or_answers_on_any_step_kind(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        for index, kind in enumerate(KINDS):
            await screen.show_step(index)
            await pilot.pause()
            assert screen.lesson.steps[index].kind == kind
            assert app.focused is screen.query_one("#step-pane"), f"{kind}: the step opens focused on the page"
            before = learner_state(app, screen)
            await press_step_keys(pilot, screen, index)
            assert learner_state(app, screen) == before, f"{kind}: keys on the page changed the learner's work"
            if screen.view.ENGAGE:
                await pilot.press("enter")  # start editing or answering ...
                assert app.focused is not screen.query_one("#step-pane") and app.focused in screen.view.walk_children()
                # the footer composes again a refresh or two after focus moves: read it once it has
                assert "esc Stop editing" in await footer_texts(pilot), f"{kind}: a footer saying how to stop"
                await pilot.press("escape")  # ... and stop again
            assert app.focused is screen.query_one("#step-pane") and isinstance(app.screen, LessonScreen)
            assert "esc Lessons" in await footer_texts(pilot), f"{kind}: a footer saying how to leave"
            await press_step_keys(pilot, screen, index)
            assert learner_state(app, screen) == before, f"{kind}: keys after editing changed the learner's work"


async def test_editing_then_escape_twice_leaves_the_lesson_keeping_the_work(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for index, kind in enumerate(KINDS):
            app.open_lesson("kinds")
            await pilot.pause()
            screen = app.screen
            await screen.show_step(index)
            await pilot.pause()
            await pilot.press("i")
            if isinstance(app.focused, (TextArea, Input)):
                await pilot.press("end", *"xy")
            typed = learner_state(app, screen)[0]
            await pilot.press("escape", "escape")
            assert isinstance(app.screen, HomeScreen), f"{kind}: two escapes leave the lesson"
            app.open_lesson("kinds")
            await pilot.pause()
            again = app.screen
            assert again.index == index
            if kind in ("exercise",):
                assert learner_state(app, again)[0] == typed, "the draft came back"


async def test_a_choice_answers_by_number_from_the_page_and_enter_focuses_its_options(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(1)
        await pilot.pause()
        await pilot.press("2")
        assert app.store.answers("kinds")["pick"].answer == "wrong"
        feedback = str(screen.query_one(Feedback).render())
        assert "It is the wrong one." in feedback and "`" not in feedback  # code spans drawn, not backticks
        await pilot.press("enter")
        assert isinstance(app.focused, OptionList) and app.focused in screen.view.walk_children()
        await pilot.press("home", "enter")
        assert app.store.answers("kinds")["pick"].correct


async def test_enter_on_an_empty_answer_says_what_to_type_and_records_no_attempt(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(KINDS.index("typed"))
        await pilot.pause()
        await pilot.press("enter", "enter")
        assert "Type an answer first" in str(screen.query_one(Feedback).render())
        assert "type" not in app.store.answers("kinds")



async def test_a_launch_step_opening_the_broadcast_tool_puts_typing_in_its_first_shape():
    from textual.widgets import Input

    from tui.core.steps import Launch
    from tui.screens.workbench import WorkbenchScreen

    for width in (80, 140):  # narrow: the inspector replaces the REPL; wide: beside it
        app = make_app(start_lesson="matmul-broadcasting", start_kernel=False)
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            index = next(i for i, s in enumerate(screen.lesson.steps)
                         if isinstance(s, Launch) and s.scenario == "broadcast")
            await screen.show_step(index)
            await pilot.pause()
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, WorkbenchScreen), what="the workbench")
            await wait_until(pilot, lambda: isinstance(app.focused, Input), what="focus in the broadcast tool")
            await pilot.press(*"(2, 3)")
            assert app.screen.query_one("#shape-a", Input).value.endswith("(2, 3)")



async def test_escape_after_a_right_answer_moved_focus_stays_and_a_second_one_leaves(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(KINDS.index("typed"))
        await pilot.pause()
        await pilot.press("i", *"(3, 4)", "enter")  # right: focus goes back to the page, so n goes on
        assert app.store.answers("kinds")["type"].correct
        assert app.focused is screen.query_one("#step-pane")
        await pilot.press("escape")  # meant as "stop editing": the learner stays on the step
        assert app.screen is screen and screen.index == KINDS.index("typed")
        assert any("Escape again leaves" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_escape_after_answering_from_the_page_leaves_at_once(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(KINDS.index("choice"))
        await pilot.pause()
        await pilot.press("1")  # answered by number from the page: nothing was being edited
        assert app.store.answers("kinds")["pick"].correct
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
