"""Snapshots of each step kind as a learner meets it, at 80x24 (and a few at 160x48, with the REPL
beside the step on a replayed kernel): prose with wrapped code, the code picker, choice, typed,
try, launch and exercise steps. The lesson is a fixed pack (tests/snapshots/step_kinds), and steps
are found by id, so the snapshots change when the screens do, not when the course grows."""

from __future__ import annotations

import pytest

from tests.snapshots.replayed_kernel import app_with_a_ready_kernel
from tests.on_screen import wholly_on_screen
from tests.waiting import wait_until
from tui.app import make_app

PACK = "tests.snapshots.step_kinds"
LESSON = "every-kind"


@pytest.fixture(autouse=True)
def shared_grader(grader_pool, monkeypatch):
    """One started grading process for the pack, shared by these tests: an exercise step warms the
    grader up as it opens, and each app starting (and closing) its own took seconds per snapshot."""
    import tui.app

    monkeypatch.setattr(tui.app, "Grader", grader_pool.make)


def app_on_the_pack(**options):
    """The app opened on the pack's lesson, with no kernel (at 80 columns the REPL is hidden)."""
    return make_app(package=PACK, start_lesson=LESSON, start_kernel=False, **options)


async def at_step(pilot, step_id: str):
    """Show the step with this id (a missing id fails here, rather than showing another step)."""
    screen = pilot.app.screen
    ids = [step.id for step in screen.lesson.steps]
    assert step_id in ids, f"the pack has no step {step_id!r} (it has {ids})"
    await screen.show_step(ids.index(step_id))
    await wait_until(pilot, lambda: screen.view is not None and screen.view.step.id == step_id, what=f"step {step_id}")
    await pilot.pause()
    return screen


def shows(step_id: str):
    """A run_before that shows one step and nothing more."""

    async def show(pilot):
        await at_step(pilot, step_id)

    return show


@pytest.mark.parametrize("step_id", ["wide-code", "make-ones", "open-the-stepper", "row-totals"])
def test_a_step_as_it_opens_at_80x24(snap_compare, step_id):
    """Prose whose code wraps with ↪, a try step, a launch step and an exercise (editor and footer)."""
    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=shows(step_id))


def test_x_on_a_step_with_two_code_blocks_asks_which(snap_compare):
    async def pick(pilot):
        from tui.screens.code_picker import CodePickerScreen

        await at_step(pilot, "two-blocks")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CodePickerScreen), what="the code picker")
        await pilot.pause()

    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=pick)


def test_a_choice_answered_right(snap_compare):
    async def answer(pilot):
        screen = await at_step(pilot, "pick-a-shape")
        step = screen.view.step
        await pilot.press(str(step.options.index(step.answer) + 1))
        await wait_until(pilot, lambda: "pick-a-shape" in pilot.app.store.answers(LESSON), what="the recorded answer")
        await pilot.pause()

    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=answer)


def test_a_choice_answered_wrong_says_why(snap_compare):
    async def answer(pilot):
        screen = await at_step(pilot, "pick-a-shape")
        step = screen.view.step
        wrong = next(option for option in step.options if option != step.answer and option in step.why)
        await pilot.press(str(step.options.index(wrong) + 1))
        await wait_until(pilot, lambda: "pick-a-shape" in pilot.app.store.answers(LESSON), what="the recorded answer")
        await pilot.pause()

    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=answer)


def test_an_exercise_after_a_failed_check(snap_compare):
    """Columns summed instead of rows: the one hidden test (fixed inputs, nothing drawn by hypothesis)
    fails with what differs, and the first hint appears."""

    async def check(pilot):
        from textual.widgets import TextArea

        screen = await at_step(pilot, "row-totals")
        view = screen.view
        view.query_one(TextArea).text = "def row_totals(x):\n    return x.sum(dim=0)\n"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: view.failures, what="the failed check")
        hints = view.query_one(".exercise-hints")
        # the page scrolls to the verdict a refresh or two later: snapshot what the learner then sees
        await wait_until(pilot, lambda: wholly_on_screen(hints), what="the verdict and hint scrolled into view")
        await pilot.pause()

    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=check)


def test_a_typed_step_ready_for_an_answer_shows_its_placeholder(snap_compare):
    async def engage(pilot):
        from textual.widgets import Input

        screen = await at_step(pilot, "type-a-dtype")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.focused, Input), what="the answer's input focused")
        pilot.app.focused.cursor_blink = False  # a blinking cursor is drawn or not by when the shot is taken
        await pilot.pause()

    assert snap_compare(app_on_the_pack(), terminal_size=(80, 24), run_before=engage)


def test_the_repl_over_a_step_at_80x24(snap_compare, recordings):
    """r on a narrow terminal: the REPL docked over the step, ready, its input focused."""

    async def open_repl(pilot):
        await at_step(pilot, "wide-code")
        await pilot.press("r")
        await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the replayed kernel")
        await pilot.pause()

    app = app_with_a_ready_kernel(recordings, package=PACK, start_lesson=LESSON)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_repl)


def test_a_try_step_run_and_judged_at_160x48(snap_compare, recordings):
    """The starting code run as it is (x): the REPL beside shows its output, the step says what is wrong."""

    async def run(pilot):
        await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the replayed kernel")
        await at_step(pilot, "make-ones")
        await pilot.press("x")
        await wait_until(pilot, lambda: "make-ones" in pilot.app.store.answers(LESSON) and pilot.app.repl.state == "ready",
                         what="the judged run")
        await pilot.pause()

    app = app_with_a_ready_kernel(recordings, package=PACK, start_lesson=LESSON)
    assert snap_compare(app, terminal_size=(160, 48), run_before=run)


def test_an_exercise_at_160x48(snap_compare, recordings):
    async def show(pilot):
        await wait_until(pilot, lambda: pilot.app.repl.state == "ready", what="the replayed kernel")
        await at_step(pilot, "row-totals")

    app = app_with_a_ready_kernel(recordings, package=PACK, start_lesson=LESSON)
    assert snap_compare(app, terminal_size=(160, 48), run_before=show)
