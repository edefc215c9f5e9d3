"""The base of step views, their registry, and the message a view posts when answered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message

from tui.core.store.progress import AnswerRecord
from tui.core.steps import Step, Verdict

_VIEWS: dict[type[Step], type["StepView"]] = {}

V = TypeVar("V", bound="type[StepView]")


def shows(step_class: type[Step]) -> Callable[[V], V]:
    """Class decorator: register a view class for a step class."""

    def register(view_class: V) -> V:
        _VIEWS[step_class] = view_class
        return view_class

    return register


def with_code_spans(text: str, style: str = "") -> Text:
    """Markdown-style `code` spans as bold text, the backticks dropped (feedback and hints are one-liners)."""
    out = Text()
    if text.count("`") % 2:  # an odd backtick is not a span: show the text as it is
        return Text(text, style=style)
    for index, part in enumerate(text.split("`")):
        out.append(part, style=f"{style} bold".strip() if index % 2 else style)
    return out


def view_for(step: Step, previous: AnswerRecord | None) -> "StepView":
    """Build the view for a step, given the learner's earlier answer to it (if any)."""
    for cls in type(step).__mro__:
        if cls in _VIEWS:
            return _VIEWS[cls](step, previous)
    raise LookupError(f"no view is registered for step kind {step.kind!r}")


class StepView(Vertical):
    """Shows one step. Answerable steps post :class:`StepView.Answered`.

    The focus model: a step opens with focus on the step (the screen's page), so the step keys
    (n, p, x, the numbers) can never type into an editor or an answer. ``enter`` or ``i`` asks the
    view to :meth:`focus_first` (start editing or answering); escape, while anything inside the
    view has focus, gives focus back to the page; a second escape is the screen's (leave).
    """

    DEFAULT_CSS = """
    StepView { height: auto; }
    """
    BINDINGS = [Binding("escape", "stop_editing", "Stop editing")]

    ENGAGE = ""
    """What enter does on this kind of step ("Edit code", "Answer"); empty when nothing (a page of text)."""

    @dataclass
    class Answered(Message):
        """The learner answered a step."""

        step: Step
        answer: str
        verdict: Verdict

    def __init__(self, step: Step, previous: AnswerRecord | None) -> None:
        super().__init__(classes=f"step-{step.kind}")
        self.step = step
        self.previous = previous
        self.draft: str | None = None
        """What the learner left typed here last time and never sent (set by the screen before mounting)."""

    def work(self) -> str | None:
        """What the learner has typed on this step (code being edited, an answer not yet sent), kept as
        the step's draft when the view goes away; None on a step with nothing to type."""
        return None

    def fresh_work(self) -> str:
        """What :meth:`work` is when the learner typed nothing since the step opened without a draft."""
        return ""

    @dataclass
    class SendCode(Message):
        """Send one of these code blocks to the REPL (the screen asks which when there are several)."""

        blocks: list[str]

    def perform(self) -> bool:
        """The learner pressed x: run this step's code or open its tool; False when there is none."""
        return False

    def x_does(self) -> str:
        """What x does on this step, as the footer names it ("Run", "Open", "Check"); "" when nothing
        (a question, a page without code): the footer then shows no x at all."""
        return ""

    def pick(self, number: int) -> None:
        """The learner pressed a number key; views with numbered choices answer with it."""

    def focus_first(self) -> bool:
        """Focus the part the learner acts on first; False when there is none (a page of text)."""
        return False

    def action_stop_editing(self) -> None:
        """Give focus back to the page holding the step, so the step keys work again."""
        for node in self.ancestors:
            if getattr(node, "can_focus", False):
                self.screen.set_focus(node)  # type: ignore[arg-type]
                return
        self.screen.set_focus(None)
