"""Pilot tests of the REPL beside a lesson: try steps judged in the kernel, code sent with x, r and escape."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.app.repl_helpers import log_text, wait_until
from tests.conftest import good_lesson
from tui.app import make_app
from tui.screens.code_picker import CodePickerScreen
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.widgets.repl import ReplPanel
from tui.widgets.steps.quiz import Feedback

SIZE = (120, 32)


def feedback(screen) -> str:
    return str(screen.query_one(Feedback).render())


async def at_step(pilot, step: int | str, lesson: str = "tensors") -> LessonScreen:
    """Show a step, by index or by id (ids keep tests right when a lesson grows), once the kernel is ready."""
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson
    if isinstance(step, str):
        step = [s.id for s in screen.lesson.steps].index(step)
    await screen.show_step(step)
    await pilot.pause()
    await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the kernel")
    return screen


async def test_a_try_step_is_judged_in_the_kernel_wrong_then_right():
    app = make_app(start_lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await at_step(pilot, "make-a-4-x-5-tensor")
        editor = screen.query_one(".try-code", TextArea)
        assert not editor.has_focus and editor.text.startswith("z = torch.zeros(2, 3)")
        await pilot.press("ctrl+j")  # runs it from the page as from the editor
        await wait_until(pilot, lambda: "Not yet" in feedback(screen), what="the first verdict")
        assert "z.shape is (2, 3), but should be (4, 5)" in feedback(screen) and "`" not in feedback(screen)
        assert "shape (2, 3) · float32 · cpu" in log_text(screen.query_one(ReplPanel))
        editor.text = "z = torch.zeros(4, 5)\nz"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "Right" in feedback(screen), what="the second verdict")
        record = app.store.answers("tensors")["make-a-4-x-5-tensor"]
        assert record.correct and record.attempts == 2 and record.answer == "z = torch.zeros(4, 5)\nz"
        assert "make-a-4-x-5-tensor" in app.store.solved_steps("tensors")


async def test_x_sends_a_code_block_picked_by_number_to_the_repl(lesson_pack):
    source = good_lesson("numbered").replace(
        'Prose("# Last page\\nDone."),',
        'Prose("# Two blocks\\n```python\\nfirst = 1\\n```\\ntext\\n```python\\nm = [[1, 2, 3],\\n     [4, 5, 6]]\\nlen(m) * 21\\n```"),',
    )
    name, _ = lesson_pack({"numbered": source})
    app = make_app(package=name, start_lesson="numbered")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await at_step(pilot, 3, lesson="numbered")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, CodePickerScreen), what="the code picker")
        await pilot.press("2")
        panel = screen.query_one(ReplPanel)
        await wait_until(pilot, lambda: "42" in log_text(panel), what="the second block's result")
        assert "m = [[1, 2, 3]," in log_text(panel) and "first = 1" not in log_text(panel)
        assert "SyntaxError" not in log_text(panel)


async def test_x_with_several_code_blocks_asks_which(lesson_pack):
    source = good_lesson("blocks").replace(
        'Prose("# Last page\\nDone."),',
        'Prose("# Two blocks\\n```python\\nfirst = 1\\n```\\ntext\\n```python\\nsecond = 2\\nsecond * 21\\n```"),',
    )
    name, _ = lesson_pack({"blocks": source})
    app = make_app(package=name, start_lesson="blocks")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await at_step(pilot, 3, lesson="blocks")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerScreen)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: "42" in log_text(screen.query_one(ReplPanel)), what="the second block's result")


async def test_x_on_a_question_says_there_is_no_code():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.show_step(0)
        await pilot.press("x")
        assert any("no code to run" in n.message for n in app._notifications)


async def test_r_toggles_the_repl_and_escape_leaves_it_before_leaving_the_lesson():
    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=(90, 30)) as pilot:  # narrow: the REPL starts hidden
        await pilot.pause()
        screen = app.screen
        assert not screen.has_class("-repl-shown")
        await pilot.press("r")
        panel = screen.query_one(ReplPanel)
        assert screen.has_class("-repl-shown") and panel.input.has_focus
        assert not screen.query_one("#step-list").display  # room for the REPL at 90 columns
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen) and not panel.input.has_focus
        await pilot.press("r")
        assert not screen.has_class("-repl-shown")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_at_120_columns_the_repl_is_shown_from_the_start_and_not_below():
    from tui.screens.lesson import WIDE

    for width, shown in ((WIDE, True), (WIDE - 1, False)):
        app = make_app(start_lesson="tensors", start_kernel=False)
        async with app.run_test(size=(width, 32)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen), what="the lesson")
            await pilot.pause()
            screen = app.screen
            panel = screen.query_one(ReplPanel)
            assert screen.has_class("-repl-shown") is shown, width
            assert (panel.region.width > 0) is shown, width  # drawn beside the step, not only flagged
            assert not panel.input.has_focus  # the step keeps the keys
