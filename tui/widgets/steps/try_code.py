"""The view of a try step: the task, editable code, and the verdict after it runs in the REPL."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static, TextArea

from tui.core.steps import Try, Verdict
from tui.widgets.code_editor import CodeEditor
from tui.widgets.steps.base import StepView, shows
from tui.widgets.steps.quiz import Feedback
from tui.widgets.wrapped_code import StepMarkdown


@shows(Try)
class TryView(StepView):
    """Shows the code in an editor; ctrl+j (or x) runs it in the REPL and the step checks the result."""

    DEFAULT_CSS = """
    TryView .try-code { height: auto; max-height: 14; margin-top: 1; }
    TryView .try-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+j,ctrl+enter", "run", "Run in REPL"),
    ]

    step: Try
    ENGAGE = "Edit code"

    @dataclass
    class RunRequested(Message):
        """Run this code in the lesson's REPL and judge it."""

        view: "TryView"
        code: str

    @dataclass
    class Judged(Message):
        """The run finished and was judged (posted by the screen's worker)."""

        verdict: Verdict

    def compose(self) -> ComposeResult:
        yield StepMarkdown(self.step.prompt, classes="prompt")
        yield CodeEditor(self.step.code, classes="try-code")
        yield Static("enter or i edits the code · ctrl+j (or x) runs it in the REPL · escape stops editing",
                     classes="try-keys")
        yield Feedback()

    def on_mount(self) -> None:
        if self.draft is not None or self.previous is not None:
            self.query_one(TextArea).text = self.draft if self.draft is not None else self.fresh_work()
        if self.previous is not None and self.previous.correct:
            self.query_one(Feedback).show(Verdict(True, self.step.explain or "You ran this before."))

    def focus_first(self) -> bool:
        self.screen.set_focus(self.query_one(TextArea))  # now, not after the next refresh: keys typed next go in
        return True

    @property
    def code(self) -> str:
        """The code as the learner left it."""
        return self.query_one(TextArea).text

    def work(self) -> str:
        return self.code

    def fresh_work(self) -> str:
        return self.previous.answer if self.previous is not None else self.step.code

    def action_run(self) -> None:
        """Ask the screen to run the code."""
        self.post_message(self.RunRequested(self, self.code))

    def x_does(self) -> str:
        return "Run"

    def perform(self) -> bool:
        self.action_run()
        return True

    def on_try_view_judged(self, message: Judged) -> None:
        """Show how the run went, and tell the screen (which records it)."""
        self.query_one(Feedback).show(message.verdict)
        self.post_message(self.Answered(self.step, self.code, message.verdict))
