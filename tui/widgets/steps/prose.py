"""The view of a prose step: its Markdown, with highlighted code blocks."""

from __future__ import annotations

from textual.app import ComposeResult


from tui.core.steps import Prose
from tui.widgets.steps.base import StepView, shows
from tui.widgets.wrapped_code import StepMarkdown


@shows(Prose)
class ProseView(StepView):
    """Renders the step's Markdown."""

    def compose(self) -> ComposeResult:
        yield StepMarkdown(self.step.markdown)

    def x_does(self) -> str:
        return "Run" if self.step.code else ""

    def perform(self) -> bool:
        if not self.step.code:
            return False
        self.post_message(self.SendCode(self.step.code))
        return True
