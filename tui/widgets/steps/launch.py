"""The view of a launch step: what to try, and x to open the tool on its scenario."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.core.steps import TOOLS, Launch
from tui.widgets.steps.base import StepView, shows
from tui.widgets.wrapped_code import StepMarkdown


@shows(Launch)
class LaunchView(StepView):
    """Shows the prompt; x opens the tool."""

    step: Launch

    def compose(self) -> ComposeResult:
        yield StepMarkdown(self.step.prompt)
        # The scenario's id is the author's name for it, not the learner's: the tool shows its own title.
        yield Static(f"Press x to open {TOOLS[self.step.tool]}; escape brings you back here.", classes="launch-hint")

    def on_mount(self) -> None:
        if self.step.tool == "training":
            # The learner is about to open the training view: let its process load torch meanwhile.
            training = getattr(self.app, "training", None)
            if training is not None:
                self.run_worker(training.ensure_started, thread=True, group="training-warm-up", exit_on_error=False)

    def x_does(self) -> str:
        return "Open"

    def perform(self) -> bool:
        action = {"inspector": "open_workbench"}.get(self.step.tool, f"open_{self.step.tool}")
        getattr(self.app, f"action_{action}")(self.step.scenario)
        return True
