"""The view of a graded exercise: task, code editor, a verdict per hidden test, hints, solution.

ctrl+j (or x outside the editor) asks the screen to grade the code; the screen runs the grader
in a worker and sends back :class:`ExerciseView.Graded`. One more hint shows after each failed
attempt; the reference solution shows after a pass, or after ctrl+g and a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static, TextArea

from tui.core.grading.exercise import Exercise
from tui.core.grading.report import Report
from tui.core.store.progress import ExerciseState
from tui.core.steps import Verdict
from tui.widgets.code_editor import CodeEditor
from tui.widgets.steps.base import StepView, shows, with_code_spans
from tui.widgets.wrapped_code import StepMarkdown, WrappedCode, highlighted


def report_text(report: Report) -> Text:
    """The verdict: one line per hidden test (✓ or ✗, name, what differs), then a summary."""
    text = Text()
    for result in report.results:
        text.append("✓ " if result.passed else "✗ ", style="bold green" if result.passed else "bold red")
        text.append(result.name, style="bold")
        if result.message:
            text.append("\n    ")
            text.append_text(with_code_spans(result.message))
        text.append("\n")
    head = "✓ All tests pass." if report.passed else "✗ Not yet."
    text.append(head, style="bold green" if report.passed else "bold red")
    text.append(" ")
    count = len(report.results)
    text.append_text(with_code_spans(f"{count} hidden test{'' if count == 1 else 's'}, {report.elapsed_s:.1f} s."
                                     if report.passed else report.summary()))
    if not report.passed and not report.earns_a_hint:
        text.append("\nNot counted as an attempt, and no hint used: fix it and check again.", style="dim")
    if report.passed:
        text.append("\nn for the next step.", style="dim")
    if report.output.strip():
        shown = report.output.strip().splitlines()[:6]
        text.append("\nYour code printed:\n", style="dim")
        text.append("\n".join(f"  {line}" for line in shown), style="dim")
    return text


@shows(Exercise)
class ExerciseView(StepView):
    """Shows the task and an editor; grades on ctrl+j; hints grow with each failed attempt."""

    DEFAULT_CSS = """
    ExerciseView .exercise-code { height: auto; max-height: 20; margin-top: 1; }
    ExerciseView .exercise-keys { color: $text-muted; }
    ExerciseView .exercise-verdict { margin-top: 1; height: auto; }
    ExerciseView .exercise-hints { margin-top: 1; height: auto; color: $warning; }
    ExerciseView .exercise-solution { margin-top: 1; height: auto; border: round $success; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+j,ctrl+enter", "check", "Check"),
        Binding("ctrl+g", "give_up", "Solution"),
    ]

    step: Exercise
    ENGAGE = "Edit code"
    saved: ExerciseState = ExerciseState()
    """The draft and give-up flag, set by the screen before mounting."""
    failures: int = 0
    """Failed attempts since the last pass; one hint shows per failure."""

    @dataclass
    class CheckRequested(Message):
        """Grade this code against the exercise's hidden tests."""

        view: "ExerciseView"
        code: str

    @dataclass
    class Graded(Message):
        """The grader's report (posted by the screen's worker)."""

        report: Report

    @dataclass
    class GiveUpAsked(Message):
        """The learner asked to see the solution: the screen confirms, then calls :meth:`give_up`."""

        view: "ExerciseView"

    def compose(self) -> ComposeResult:
        yield StepMarkdown(self.step.prompt, classes="prompt")
        yield CodeEditor(self.starting_code(), classes="exercise-code")
        yield Static("enter or i edits the code · ctrl+j (or x) checks it against hidden tests · ctrl+e edits "
                     "it in your $EDITOR · ctrl+g shows the solution · escape stops editing", classes="exercise-keys")
        yield Static(classes="exercise-verdict")
        yield Static(classes="exercise-hints")
        yield Static(classes="exercise-solution")

    def work(self) -> str:
        return self.code

    def fresh_work(self) -> str:
        return self.starting_code()

    def starting_code(self) -> str:
        """The draft if there is one, else the last attempt, else the starter."""
        if self.saved.draft is not None:
            return self.saved.draft
        if self.previous is not None:
            return self.previous.answer
        return self.step.starter

    def on_mount(self) -> None:
        self.query_one(".exercise-solution").display = False
        if self.previous is not None and self.previous.correct:
            self.query_one(".exercise-verdict", Static).update(Text("✓ You passed this exercise before.", style="bold green"))
            self.show_solution()
        elif self.saved.revealed:
            self.show_solution()
        self.failures = 0 if self.previous is None or self.previous.correct else self.previous.attempts
        self.show_hints(self.failures)

    @property
    def code(self) -> str:
        """The code in the editor."""
        return self.query_one(TextArea).text

    def set_code(self, code: str) -> None:
        """Replace the code in the editor (it came back from the learner's own editor)."""
        self.query_one(TextArea).text = code

    def focus_first(self) -> bool:
        self.screen.set_focus(self.query_one(TextArea))  # now, not after the next refresh: keys typed next go in
        return True

    def x_does(self) -> str:
        return "Check"

    def perform(self) -> bool:
        self.action_check()
        return True

    def action_check(self) -> None:
        """Ask the screen to grade the code."""
        self.query_one(".exercise-verdict", Static).update(Text("Checking… (the hidden tests run in a separate process)", style="dim"))
        self.post_message(self.CheckRequested(self, self.code))

    def action_give_up(self) -> None:
        """Ask the screen to confirm showing the reference solution (a widget never opens screens)."""
        self.post_message(self.GiveUpAsked(self))

    def give_up(self) -> None:
        """Show the reference solution, once the learner has confirmed, and scroll to it: in a short
        terminal it lands below the verdict and hints, where nothing would say it appeared."""
        self.show_solution()
        solution = self.query_one(".exercise-solution")
        self.call_after_refresh(solution.scroll_visible, animate=False, top=True)

    def on_exercise_view_graded(self, message: Graded) -> None:
        """Show the verdict and the hints earned; record the attempt through the screen."""
        report = message.report
        self.query_one(".exercise-verdict", Static).update(report_text(report))
        if report.passed:
            self.failures = 0
            self.show_solution(mine_passed=True)
        elif report.earns_a_hint:
            self.failures += 1
        self.show_hints(self.failures)
        self.call_after_refresh(self.query_one(".exercise-verdict").scroll_visible, animate=False, top=True)
        if report.passed or report.earns_a_hint:  # a syntax error is not an attempt: no hint used, none recorded
            self.post_message(self.Answered(self.step, self.code, Verdict(report.passed, report.summary())))

    def show_hints(self, failures: int) -> None:
        """Show one hint per failed attempt, the most specific last."""
        hints = self.step.hints_after(failures)
        widget = self.query_one(".exercise-hints", Static)
        widget.display = bool(hints)
        if not hints:
            return
        text = Text()
        for number, hint in enumerate(hints, 1):
            text.append(f"Hint {number} of {len(self.step.hints)}: ", style="bold")
            text.append_text(with_code_spans(hint))
            text.append("\n")
        widget.update(text)

    def show_solution(self, mine_passed: bool = False) -> None:
        """Show the reference solution below the verdict."""
        widget = self.query_one(".exercise-solution", Static)
        label = "Your code passed. One reference solution, to compare:" if mine_passed else "A reference solution:"
        widget.update(Group(Text(label, style="bold"), WrappedCode(highlighted(self.step.reference))))
        widget.display = True
