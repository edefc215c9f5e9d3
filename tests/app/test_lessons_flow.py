"""Pilot tests: browse, open a lesson, answer right and wrong, quit and resume, finish."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tests.conftest import good_lesson
from tests.waiting import resize_to, run_from_palette, wait_until
from tui.app import make_app
from tui.core.course.loader import load_package
from tui.core.paths import progress_db_path
from tui.core.store.progress import DONE, ProgressStore
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.widgets.steps.quiz import Feedback

SIZE = (100, 30)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_first_lesson(pilot) -> LessonScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonScreen)
    return pilot.app.screen


async def test_the_browser_lists_every_lesson_with_time_and_status():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one("#lessons", OptionList)
        assert options.option_count == len(app.catalogue.entries) >= 2
        first = options.get_option_at_index(0)
        assert first.id == "tensors"
        rendered = app.screen.query_one("#lessons").render_line(0).text + app.screen.query_one("#lessons").render_line(1).text
        assert "Tensors and dtypes" in rendered and "15 min" in rendered and "not started" in rendered


async def test_open_move_and_answer_a_choice_wrong_then_right():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_lesson(pilot)
        assert f"Step 1 of {len(screen.lesson.steps)}" in text_of(screen.query_one("#step-heading"))
        await pilot.press("n")
        assert screen.index == screen.lesson.step_index("shape-of-an-image-batch")
        await pilot.press("2")  # (16, 64, 48, 1): channels-last, wrong
        feedback = screen.query_one(Feedback)
        assert "✗ Not yet." in text_of(feedback) and "channels-last" in text_of(feedback)
        await pilot.press("1")
        assert "✓ Right." in text_of(feedback) and "N x C x H x W" in text_of(feedback)
        answers = app.store.answers("tensors")["shape-of-an-image-batch"]
        assert (answers.correct, answers.attempts) == (True, 2)
        await pilot.press("p")
        assert screen.index == 0


async def test_a_typed_answer_accepts_any_spelling_and_explains_a_wrong_one():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(screen.lesson.step_index("shape-from-a-list"))  # answer (4, 2)
        await pilot.pause()
        await pilot.press("enter")  # start answering
        assert isinstance(app.focused, Input)
        await pilot.press(*"2,4", "enter")
        assert "four inner lists" in text_of(screen.query_one(Feedback))
        app.focused.value = ""
        await pilot.press(*"torch.Size([4, 2])", "enter")
        assert "✓ Right." in text_of(screen.query_one(Feedback))
        assert "shape-from-a-list" in app.store.solved_steps("tensors")


async def test_escape_stops_typing_then_n_moves_on():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        typed = screen.lesson.step_index("shape-from-a-list")
        await screen.show_step(typed)
        await pilot.press("i", "n")  # i starts answering: n is typed into the input, not a move
        assert screen.index == typed and app.focused.value == "n"
        await pilot.press("escape", "n")
        assert screen.index == typed + 1


async def test_quit_and_resume_at_the_same_step_with_answers_shown():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_lesson(pilot)
        typed = app.screen.lesson.step_index("shape-from-a-list")
        await pilot.press("n", "1", "n", "n")  # the second step is a choice: 1 answers it
        assert app.screen.index == typed
        await pilot.press("ctrl+q")
    again = make_app(start_kernel=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lessons = again.screen.query_one("#lessons")
        assert "in progress" in lessons.render_line(0).text
        screen = await open_first_lesson(pilot)
        assert screen.index == typed and again.focused is screen.query_one("#step-pane")  # keys move, never type
        await pilot.press("p", "p")
        assert "✓ Right." in text_of(screen.query_one(Feedback))  # the earlier answer is shown
        step_list = screen.query_one("#step-list", OptionList)
        assert str(step_list.get_option_at_index(1).prompt).startswith("▶✓")


async def test_finishing_needs_every_question_then_marks_the_lesson_done(tmp_path: Path):
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_lesson(pilot)
        await screen.show_step(screen.step_count - 1)
        await pilot.press("n")
        assert isinstance(app.screen, LessonScreen)  # not finished: questions left
        assert any("To finish, answer" in n.message for n in app._notifications)
        for step in screen.lesson.steps:
            if step.needs_answer:
                app.store.record_answer("tensors", step.id, "x", True)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store.status("tensors") == DONE
        assert "✓ done" in app.screen.query_one("#lessons").render_line(0).text
        lessons = app.screen.query_one("#lessons", OptionList)
        assert lessons.get_option_at_index(lessons.highlighted).id == app.catalogue.entries[1].id  # the next one


async def test_leaving_a_lesson_midway_highlights_it_so_enter_goes_back():
    app = make_app(start_lesson="autograd", start_kernel=False)  # opened straight from the command line
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        lessons = app.screen.query_one("#lessons", OptionList)
        assert lessons.get_option_at_index(lessons.highlighted).id == "autograd"  # not the first unfinished
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "autograd"


async def test_a_broken_lesson_is_listed_with_its_error_and_cannot_open(lesson_pack):
    name, folder = lesson_pack({"good": good_lesson("good"), "bad": "LESSON = 1 / 0\n"})
    app = make_app(package=name, start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        lessons = app.screen.query_one("#lessons")

        def drawn() -> str:  # every row of the list: how many the error takes depends on its file's path
            return "\n".join(lessons.render_line(y).text.strip() for y in range(lessons.size.height))

        await wait_until(pilot, lambda: "broken" in drawn(), what="the broken lesson's row")
        unwrapped = drawn().replace("\n", "")  # a path longer than the row is folded onto the next
        assert "ZeroDivisionError" in unwrapped and "bad.py:1" in unwrapped
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("is broken" in (n.title or "") for n in app._notifications)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "good"


async def test_help_opens_with_question_mark_and_closes_with_escape():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_command_palette_opens_a_lesson_by_name():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, "Matmul and", entry=f"Lesson: {app.catalogue.get('matmul-broadcasting').title}")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "matmul-broadcasting"


async def test_reset_this_lesson_from_the_palette_after_confirming():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1", "n")
        assert app.store.answers("tensors")
        await run_from_palette(pilot, "Reset this lesson")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.answers("tensors") == {}
        assert app.screen.index == 0


@pytest.mark.parametrize("size, shown", [((60, 20), True), ((80, 24), False)])
async def test_a_small_terminal_still_renders_and_says_what_it_needs(size, shown):
    app = make_app(start_kernel=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("SizeNotice")
        assert notice.display is shown
        if shown:
            assert "60x20" in text_of(notice) and "at least 80x24" in text_of(notice)
        assert app.screen.query_one("#lessons").option_count >= 2


async def test_a_corrupt_progress_file_is_announced_once_and_the_app_works():
    db = progress_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_text("not a database at all")
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Progress file"]
        await open_first_lesson(pilot)
    assert ProgressStore(db).notice is None


def colours_and_text(app) -> tuple[set, str]:
    """Every colour the screen is drawn with (foreground and background) and its text."""
    strips = app.screen._compositor.render_strips()
    colours = {colour for strip in strips for segment in strip for colour in
               ((segment.style.color, segment.style.bgcolor) if segment.style else ()) if colour is not None}
    return colours, "\n".join(strip.text for strip in strips)


def is_grey(colour) -> bool:
    red, green, blue = colour.get_truecolor()
    return red == green == blue


@pytest.mark.parametrize("no_color", [False, True])
async def test_no_color_draws_in_greys_and_the_marks_still_say_what_is_done(monkeypatch, tmp_path, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    store = ProgressStore(tmp_path / "progress.db")
    first = load_package().lessons[0]
    store.mark_done(first.id, first.steps[-1].id)
    store.close()
    app = make_app(home=tmp_path / "progress.db", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        colours, text = colours_and_text(app)
        assert "✓ done" in text  # the meaning is in the mark, not only in its green
        # Without NO_COLOR the screen has colours (so the check below can tell the difference).
        assert all(is_grey(c) for c in colours) is no_color and colours


async def test_a_broken_lesson_whose_error_looks_like_markup_is_shown_literally(lesson_pack):
    name, _ = lesson_pack({"odd": "raise ValueError('bad [bold]thing[/] here')\n"})
    app = make_app(package=name, start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = [n for n in app._notifications if "[bold]thing[/]" in n.message]
        assert shown and shown[0].markup is False  # drawn literally, not as bold


async def test_every_screen_has_one_size_notice_and_narrow_screens_know_it():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        assert len(app.screen.query("SizeNotice")) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen.query("SizeNotice")) == 1 and app.screen.has_class("-narrow")
        await pilot.press("escape", "w")
        await pilot.pause()
        assert len(app.screen.query("SizeNotice")) == 1 and app.screen.has_class("-narrow")
        await resize_to(pilot, 130, 30)  # waits for the layout and the screen's size classes
        assert not app.screen.has_class("-narrow")
