"""Pilot tests of a graded exercise in the lesson screen: check, hints, pass, solution, drafts, give-up."""

from __future__ import annotations

import io
import sys
import threading

from textual.widgets import Static, TextArea

from tests.app.repl_helpers import wait_until
from tests.on_screen import on_screen, scroller
from tests.waiting import HANG_GUARD
from tui.app import make_app
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore
from tui.screens.confirm import ConfirmScreen
from tui.screens.lesson import LessonScreen
from tui.widgets.steps.exercise import ExerciseView

SIZE = (120, 40)
WRONG = "def row_means(x):\n    return x.mean(dim=0)\n"
RIGHT = "def row_means(x):\n    return x.mean(dim=1)\n"


def shown(view: ExerciseView, part: str) -> str:
    """The text a part of the view shows (rendered through Rich, so a Group of Text and Syntax reads too)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(view.query_one(f".exercise-{part}", Static).content)
    return console.export_text().strip()


async def open_exercise(pilot, step_id: str = "row-means") -> ExerciseView:
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    await screen.show_step(screen.lesson.step_index(step_id))
    await pilot.pause()
    return screen.query_one(ExerciseView)


async def test_fail_then_pass_shows_a_verdict_per_test_a_hint_then_the_solution():
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        assert view.query_one(TextArea).text == view.step.starter
        assert shown(view, "hints") == "" and not view.query_one(".exercise-solution").display
        view.query_one(TextArea).text = WRONG
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "Not yet" in shown(view, "verdict"), what="a failing verdict")
        verdict = shown(view, "verdict")
        assert "✗ worked examples (2 x 3, 2 x 2, 5 x 7)" in verdict and "has shape (3,) but should have shape (2,)" in verdict
        assert "Hint 1 of 2" in shown(view, "hints") and "Hint 2" not in shown(view, "hints")
        view.query_one(TextArea).text = RIGHT
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "All tests pass" in shown(view, "verdict"), what="a pass")
        assert view.query_one(".exercise-solution").display
        assert "x.mean(dim=1)" in shown(view, "solution")
        store = ProgressStore(progress_db_path())
        record = store.answers("reductions")["row-means"]
        assert (record.answer, record.correct, record.attempts) == (RIGHT, True, 2)
        store.close()


async def test_a_draft_survives_leaving_the_step_and_the_app():
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "column-sums")
        view.query_one(TextArea).text = "def column_sums(x):\n    # half done\n"
        await pilot.press("p")
        await pilot.pause()
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "column-sums")
        assert view.query_one(TextArea).text == "def column_sums(x):\n    # half done\n"


async def test_giving_up_asks_then_shows_the_solution_and_remembers():
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "best-class")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not view.query_one(".exercise-solution").display
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert view.query_one(".exercise-solution").display and "argmax" in shown(view, "solution")
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "best-class")
        assert view.query_one(".exercise-solution").display
        assert "best-class" not in app.store.solved_steps("reductions")  # seeing it is not passing it


def test_the_summary_counts_one_passed_test_in_the_singular():
    from tui.core.grading.report import Report, TestResult

    one = Report("passed", results=[TestResult("it works", True)])
    two = Report("passed", results=[TestResult("it works", True), TestResult("it still works", True)])
    assert one.summary() == "All 1 test passed." and two.summary() == "All 2 tests passed."


def test_hints_show_code_spans_without_backticks():
    from tui.widgets.steps.exercise import with_code_spans

    text = with_code_spans("Use `x.mean(dim=1)` here.")
    assert text.plain == "Use x.mean(dim=1) here."
    assert [text.plain[s.start:s.end] for s in text.spans if s.style == "bold"] == ["x.mean(dim=1)"]


async def test_ctrl_e_edits_in_the_learners_editor_then_checks_on_the_same_step(tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\nopen(sys.argv[1], 'w').write({RIGHT!r})\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        index = app.screen.index
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "All tests pass" in shown(view, "verdict"), what="the edited code to pass")
        assert view.query_one(TextArea).text == RIGHT and app.screen.index == index
        await wait_until(pilot, lambda: app.store.answers("reductions").get("row-means"), what="the recorded pass")
        assert app.store.answers("reductions")["row-means"].correct


async def test_ctrl_e_without_an_editor_says_how_to_set_one_and_keeps_the_code(monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        await pilot.press("ctrl+e")
        assert any("set $EDITOR" in n.message for n in app._notifications)
        assert view.query_one(TextArea).text == view.step.starter


async def test_a_syntax_error_uses_no_hint_and_is_not_an_attempt():
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        view.query_one(TextArea).text = "def row_means(x)\n    return x\n"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "SyntaxError" in shown(view, "verdict"), what="the syntax error's verdict")
        assert "no hint used" in shown(view, "verdict") and shown(view, "hints") == ""
        assert "row-means" not in app.store.answers("reductions")
        view.query_one(TextArea).text = WRONG
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "Hint 1 of" in shown(view, "hints"), what="the first hint")
        # the screen records the attempt when it handles the view's message, a turn after the hint shows;
        # once the wrong code's attempt is in, an attempt counted for the syntax error would show as 2
        def wrong_attempt_recorded():
            record = app.store.answers("reductions").get("row-means")
            return record is not None and record.answer == WRONG

        await wait_until(pilot, wrong_attempt_recorded, what="the wrong code's attempt recorded")
        assert app.store.answers("reductions")["row-means"].attempts == 1


async def test_ctrl_e_with_an_editor_that_is_not_installed_says_so_and_keeps_the_code(monkeypatch):
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        await pilot.press("ctrl+e")
        assert any("'no-such-editor-here'" in n.message and "not installed" in n.message for n in app._notifications)
        assert view.query_one(TextArea).text == view.step.starter


async def test_at_80x24_checking_and_a_revealed_solution_scroll_into_view():
    # At 80x24 the verdict and the solution are below the editor: the learner who presses ctrl+j or gives
    # up must see what happened without scrolling.
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_exercise(pilot, "best-class")
        solution, verdict = view.query_one(".exercise-solution"), view.query_one(".exercise-verdict")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirm dialog")
        await pilot.press("y")
        await wait_until(pilot, lambda: solution.display and on_screen(solution), what="the solution scrolled into view")
        scroller(verdict).scroll_home(animate=False)
        await wait_until(pilot, lambda: not on_screen(solution), what="the solution scrolled away")
        # The grade waits until the test has seen "Checking…": a warm grader's verdict could replace it
        # before the first look (a loaded run failed so), and the point is that it shows from the start.
        looked = threading.Event()
        app.grader = HeldGrader(app.grader, looked)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: on_screen(verdict) and "Checking" in shown(view, "verdict"),
                         what="Checking… in view while the tests run")
        looked.set()
        await wait_until(pilot, lambda: on_screen(verdict) and "Not yet" in shown(view, "verdict"),
                         what="the verdict in view")


class HeldGrader:
    """The app's grader, whose grades wait until ``go`` is set."""

    def __init__(self, grader, go: threading.Event) -> None:
        self._grader, self._go = grader, go

    def grade_or_explain(self, *args, **kwargs):
        self._go.wait(HANG_GUARD)
        return self._grader.grade_or_explain(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._grader, name)


def test_a_pass_counts_its_hidden_tests_in_the_singular_and_the_plural():
    from tui.core.grading.report import Report, TestResult
    from tui.widgets.steps.exercise import report_text

    one = Report("passed", results=[TestResult("counts", True)], elapsed_s=0.8)
    two = Report("passed", results=[TestResult("a", True), TestResult("b", True)], elapsed_s=0.8)
    assert "1 hidden test, 0.8 s." in report_text(one).plain
    assert "2 hidden tests, 0.8 s." in report_text(two).plain


async def test_a_grader_that_cannot_start_says_why_and_keeps_the_code(monkeypatch):
    """No grading process (here one that writes why to stderr and exits): the verdict names the
    cause and what to do, the code stays in the editor and in the draft, and no attempt is counted."""
    import tui.app
    from tui.core.grading.client import Grader

    class Broken(Grader):
        def _command(self) -> list[str]:
            return [sys.executable, "-c", "import sys; sys.stderr.write('torch is not installed\\n')"]

    monkeypatch.setattr(tui.app, "Grader", Broken)
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        view.query_one(TextArea).text = WRONG
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "did not start" in shown(view, "verdict"), what="the grader's failure")
        verdict = shown(view, "verdict")
        assert "torch is not installed" in verdict and "try again with ctrl+j" in verdict
        assert view.query_one(TextArea).text == WRONG
        store = ProgressStore(progress_db_path())
        assert "row-means" not in store.answers("reductions")
        assert store.exercise_state("reductions", "row-means").draft == WRONG
        store.close()
