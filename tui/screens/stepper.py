"""The gradient-accumulation stepper screen: one action at a time, a timeline to move along."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.base import DojoScreen
from tui.widgets.stepper_view import render_snapshot

SCENARIO_KEYS = ("scalar", "vector", "training", "micro", "two-ranks")


class Timeline(OptionList):
    """The timeline list. Left and right move through time; as a scroll view it would scroll
    sideways with them and hide the screen's keys from the footer."""

    # One footer entry for both arrows: at 80 columns the footer has room for the actions and escape.
    BINDINGS = [Binding("left", "screen.move(-1)", "Move", key_display="←→"),
                Binding("right", "screen.move(1)", "Forth", show=False)]


class StepperScreen(DojoScreen):
    """f, b, z and s act; left and right move through the timeline; 1-4 pick a scenario."""

    CSS_PATH = "stepper.tcss"
    PALETTE_IN_FOOTER_FROM = 100  # at 80 columns the actions, reset and escape take the whole footer
    BINDINGS = [
        Binding("f", "act('forward')", "forward"),
        Binding("b", "act('backward')", "backward"),
        Binding("z", "act('zero_grad')", "zero_grad"),
        Binding("s", "act('step')", "step"),
        Binding("r", "reset", "Reset"),
        *[Binding(str(n), f"scenario('{key}')", show=False) for n, key in enumerate(SCENARIO_KEYS, 1)],
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    @dataclass
    class Ready(Message, bubble=False):
        """The scenario was built (in a thread: it imports torch)."""

        stepper: Any

    def __init__(self, scenario: str = "scalar") -> None:
        super().__init__()
        self.scenario_key = scenario
        self.stepper: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="stepper-side"):
                yield Static(id="stepper-title")
                yield Timeline(id="timeline")
                yield Static("1 scalar · 2 vector · 3 training · 4 micro-batches", id="stepper-choices")
            with VerticalScroll(id="stepper-main", can_focus=False):
                yield Static(id="stepper-about")
                yield Static("Loading PyTorch…", id="stepper-state")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Stepper"
        self.load(self.scenario_key)
        # The timeline takes focus: a focused scroll area's own arrow keys would hide left and right.
        self.query_one("#timeline").focus()

    @work(thread=True, exclusive=True, group="stepper-load")
    def load(self, key: str) -> None:
        """Build the scenario off the event loop (the first one imports torch)."""
        from tui.core.stepper import Stepper, make_scenario

        self.post_message(self.Ready(Stepper(make_scenario(key))))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.stepper = message.stepper
        scenario = self.stepper.scenario
        self.scenario_key = scenario.key
        self.query_one("#stepper-title", Static).update(Text(scenario.title, style="bold"))
        self.query_one("#stepper-about", Static).update(Text(scenario.about, style="italic"))
        self.show_current()

    def show_current(self) -> None:
        """Draw the snapshot under the cursor and the timeline beside it."""
        stepper = self.stepper
        timeline = self.query_one("#timeline", OptionList)
        timeline.clear_options()
        for n, snap in enumerate(stepper.timeline):
            mark = "✗" if snap.error else " "
            first_line = snap.code.splitlines()[0] if snap.code else ""
            timeline.add_option(Option(Text(f"{mark}{n:>2} {snap.label}  {first_line}", no_wrap=True, overflow="ellipsis")))
        timeline.highlighted = stepper.index
        position = f"{stepper.index} of {len(stepper.timeline) - 1}"
        self.query_one("#stepper-state", Static).update(render_snapshot(stepper.current, position))

    def action_act(self, action: str) -> None:
        """Apply an action (the stepper refuses and explains what cannot be done)."""
        if self.stepper is not None:
            self.stepper.act(action)
            self.show_current()

    def action_move(self, step: int) -> None:
        """Move along the timeline."""
        if self.stepper is not None:
            self.stepper.back() if step < 0 else self.stepper.forward()
            self.show_current()

    def action_reset(self) -> None:
        """Start the scenario over."""
        if self.stepper is not None:
            self.stepper.reset()
            self.show_current()

    def action_scenario(self, key: str) -> None:
        """Switch scenario."""
        self.query_one("#stepper-state", Static).update("Loading…")
        self.load(key)

    @on(OptionList.OptionSelected, "#timeline")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if self.stepper is not None:
            self.stepper.index = event.option_index
            self.show_current()

    def action_leave(self) -> None:
        """Back to where the learner came from."""
        self.dismiss()
