"""The views of question steps: multiple choice and typed answers, with feedback."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.steps import Choice, Quiz, Typed, Verdict
from tui.widgets.steps.base import StepView, shows, with_code_spans
from tui.widgets.wrapped_code import StepMarkdown


class Feedback(Static):
    """Says whether the last answer was right and why; the mark and word carry the meaning without colour."""

    DEFAULT_CSS = """
    Feedback { margin: 1 0 0 0; height: auto; }
    Feedback.-right { color: $success; }
    Feedback.-wrong { color: $error; }
    """

    def show(self, verdict: Verdict) -> None:
        """Display a verdict."""
        self.set_class(verdict.correct, "-right")
        self.set_class(not verdict.correct, "-wrong")
        head = "✓ Right." if verdict.correct else "✗ Not yet."
        after = ("\nPress n for the next step.", "dim") if verdict.correct else ""
        self.update(Text.assemble((head, "bold"), " ", with_code_spans(verdict.feedback), after))


class QuizView(StepView):
    """Common parts: the prompt, feedback, and restoring an earlier answer."""

    step: Quiz

    def compose_prompt(self) -> ComposeResult:
        """The question and, below the answer widget, the feedback line."""
        yield StepMarkdown(self.step.prompt, classes="prompt")

    def on_mount(self) -> None:
        if self.previous is not None:
            self.query_one(Feedback).show(self.step.check(self.previous.answer))

    def submit(self, answer: str) -> None:
        """Check an answer, show why it is right or wrong, and tell the screen (an empty one is no attempt)."""
        verdict = self.step.check(answer)
        self.query_one(Feedback).show(verdict)
        if answer.strip():
            self.post_message(self.Answered(self.step, answer, verdict))


@shows(Choice)
class ChoiceView(QuizView):
    """Options in a list: arrows and Enter, or the option's number."""

    step: Choice
    ENGAGE = "Answer"

    def compose(self) -> ComposeResult:
        yield from self.compose_prompt()
        yield OptionList(
            *[Option(f"{n}. {text}", id=str(n)) for n, text in enumerate(self.step.options, 1)],
            classes="choices",
        )
        yield Feedback()

    def on_mount(self) -> None:
        if self.previous is not None and self.previous.answer in self.step.options:
            self.query_one(OptionList).highlighted = self.step.options.index(self.previous.answer)

    def focus_first(self) -> bool:
        self.screen.set_focus(self.query_one(OptionList))
        return True

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit(self.step.options[event.option_index])

    def pick(self, number: int) -> None:
        """Answer with the option at this 1-based number (ignored when there is none)."""
        if 1 <= number <= len(self.step.options):
            self.query_one(OptionList).highlighted = number - 1
            self.submit(self.step.options[number - 1])


@shows(Typed)
class TypedView(QuizView):
    """A one-line input; Enter checks the answer, Escape stops typing so n and p move again."""

    BINDINGS = [Binding("escape", "stop_editing", "Stop typing")]

    step: Typed
    ENGAGE = "Answer"

    def compose(self) -> ComposeResult:
        yield from self.compose_prompt()
        value = self.draft if self.draft is not None else self.fresh_work()
        yield Input(value=value, placeholder=f"type your answer, e.g. {self.step.example}", classes="answer")
        yield Feedback()

    def focus_first(self) -> bool:
        self.screen.set_focus(self.query_one(Input))  # now: keys typed right after i go in
        return True

    def work(self) -> str:
        return self.query_one(Input).value

    def fresh_work(self) -> str:
        return self.previous.answer if self.previous else ""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)
