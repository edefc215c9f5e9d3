"""The view of a prose step: its Markdown, with highlighted code blocks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown

from tui.core.steps import Prose
from tui.widgets.steps.base import StepView, shows


@shows(Prose)
class ProseView(StepView):
    """Renders the step's Markdown."""

    def compose(self) -> ComposeResult:
        yield Markdown(self.step.markdown)

    def perform(self) -> bool:
        if not self.step.code:
            return False
        self.post_message(self.SendCode(self.step.code))
        return True
