"""The gradient-accumulation stepper screen: one action at a time, a timeline to move along.

PyTorch loads in a thread when the screen opens (and a scenario switch builds the new one there
too). Keys pressed meanwhile are kept, named on screen, and run in order once the scenario is
ready: a learner who presses ``b`` at once gets the backward, not nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.stepper import SCENARIOS
from tui.screens.base import DojoScreen
from tui.widgets.stepper_view import render_snapshot
from tui.widgets.wrapped_code import WrappedLine

SCENARIO_KEYS = tuple(SCENARIOS)
"""The scenarios in the order of their number keys (1 scalar ... 5 two ranks)."""

LOADING = "Loading PyTorch…"
PENDING_NAMES = {("act", "forward"): "f", ("act", "backward"): "b", ("act", "zero_grad"): "z", ("act", "step"): "s",
                 ("back",): "←", ("forward",): "→", ("reset",): "r"}
"""How a kept key is named on screen while the scenario loads."""
PICK_ANOTHER = "Pick another scenario with 1-5, or press escape to go back."
ACTION_KEYS = {"forward": "f", "backward": "b", "zero_grad": "z", "step": "s"}
"""The key of each stepper action; a scenario's ``actions`` names the keys it takes."""


def scenario_choices(current: str) -> Text:
    """The scenario list under the timeline, every scenario with its key; the current one stands out."""
    text = Text()
    for number, (key, scenario) in enumerate(SCENARIOS.items(), 1):
        if number > 1:
            text.append(" · ")
        text.append(f"{number} {scenario.label}", style="bold reverse" if key == current else "")
    return text


def timeline_entry(number: int, label: str, code: str, refused: bool) -> Table:
    """One timeline entry, wrapped under its number (never cut, no name split): what ran and the
    first line of its code."""
    grid = Table.grid(padding=(0, 1), pad_edge=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    first_line = code.splitlines()[0] if code else ""
    words = Text(label)
    if first_line:
        words.append(f"  {first_line}", style="dim")
    # Wrapped at word and punctuation edges: Rich's fold split F.mse_loss(model(x_batch) into "x" and "_batch".
    grid.add_row(f"{'✗' if refused else ' '}{number:>2}", WrappedLine(words))
    return grid


class Timeline(OptionList):
    """The timeline list. Left and right move through time; as a scroll view it would scroll
    sideways with them and hide the screen's keys from the footer."""

    # One footer entry for both arrows: at 80 columns the footer has room for the actions and escape.
    BINDINGS = [Binding("left", "screen.move(-1)", "Move", key_display="←→"),
                Binding("right", "screen.move(1)", "Forth", show=False),
                # The snapshot beside it is taller than 80x24 gives (the training scenario's graph):
                # with the timeline focused, page keys scroll it, as no other key could.
                Binding("pageup", "screen.scroll_snapshot(-1)", "Scroll", show=False),
                Binding("pagedown", "screen.scroll_snapshot(1)", "Scroll", show=False)]


class StepperScreen(DojoScreen):
    """f, b, z and s act; left and right move through the timeline; 1-5 pick a scenario."""

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
        """The scenario was built (in a thread: it imports torch), or could not be (``error`` says why)."""

        load: int
        """Which load this answers: only the latest is shown (a switch mid-load leaves older ones)."""
        stepper: Any = None
        error: str = ""

    def __init__(self, scenario: str = "scalar") -> None:
        super().__init__()
        self.scenario_key = scenario
        self.stepper: Any = None
        self.failed = ""
        """Why the latest scenario could not load (then keys do nothing and say so), or ``""``."""
        self.loads = 0
        """How many scenario loads were asked for; the latest one's ``Ready`` is the one shown."""
        self.pending: list[tuple[str, Any]] = []
        """Keys pressed while the scenario loads, as (method, argument), run in order once it is ready."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="stepper-side"):
                yield Static(id="stepper-title")
                yield Timeline(id="timeline")
                yield Static(scenario_choices(self.scenario_key), id="stepper-choices")
            with VerticalScroll(id="stepper-main", can_focus=False):
                yield Static(id="stepper-about")
                yield Static(LOADING, id="stepper-state")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Stepper"
        self._fit_side()
        self.load(self.scenario_key, self.loads)
        # The timeline takes focus: a focused scroll area's own arrow keys would hide left and right.
        self.query_one("#timeline").focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_side()

    def _fit_side(self) -> None:
        """The timeline column grows with the terminal (28 columns at 80, 56 at 200), so entries wrap less."""
        self.query_one("#stepper-side").styles.width = max(28, min(56, self.app.size.width * 3 // 10))

    @work(thread=True, exclusive=True, group="stepper-load")
    def load(self, key: str, number: int) -> None:
        """Build the scenario off the event loop (the first one imports torch)."""
        try:
            from tui.core.stepper import Stepper, make_scenario

            self.post_message(self.Ready(number, Stepper(make_scenario(key))))
        except Exception as error:  # a launch step naming no scenario, a broken torch: said, not a crash
            self.post_message(self.Ready(number, error=f"{type(error).__name__}: {error}"))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        if message.load != self.loads:
            return  # a scenario the learner switched away from while it loaded
        if message.error:
            self.pending.clear()
            self.failed = message.error
            self.refresh_bindings()  # its keys do nothing now: the footer stops showing them
            self.query_one("#stepper-state", Static).update(Text.assemble(
                ("✗ The stepper could not load this scenario: ", "bold red"), (message.error, "red"),
                f"\n{PICK_ANOTHER}"))
            return
        self.stepper = message.stepper
        scenario = self.stepper.scenario
        self.query_one("#stepper-title", Static).update(Text(scenario.title, style="bold"))
        self.query_one("#stepper-about", Static).update(Text(scenario.about, style="italic"))
        self.query_one("#stepper-choices", Static).update(scenario_choices(scenario.key))
        pending, self.pending = self.pending, []
        for method, argument in pending:
            getattr(self.stepper, method)(*argument)
        self.show_current()

    def _run(self, method: str, *argument: Any) -> None:
        """Do a stepper action now, or keep it for when the scenario is loaded (and say so)."""
        if self.failed:
            self.notify(PICK_ANOTHER, title="No scenario loaded", severity="warning")
            return
        if self.stepper is None:
            self.pending.append((method, argument))
            keys = " ".join(PENDING_NAMES.get((name, *args), name) for name, args in self.pending)
            self.query_one("#stepper-state", Static).update(
                Text.assemble(LOADING, "\n", (f"Keys pressed meanwhile run once it is ready: {keys}", "yellow")))
            return
        getattr(self.stepper, method)(*argument)
        self.show_current()

    def show_current(self) -> None:
        """Draw the snapshot under the cursor and the timeline beside it."""
        stepper = self.stepper
        timeline = self.query_one("#timeline", OptionList)
        timeline.clear_options()
        timeline.add_options([Option(timeline_entry(n, snap.label, snap.code, bool(snap.error)))
                              for n, snap in enumerate(stepper.timeline)])
        timeline.highlighted = stepper.index
        # Options are laid out on the next refresh: only then is there somewhere to scroll to.
        self.call_after_refresh(timeline.scroll_to_highlight)
        position = f"{stepper.index} of {len(stepper.timeline) - 1}"
        self.query_one("#stepper-state", Static).update(render_snapshot(stepper.current, position))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only keys that do something here are bound (and shown in the footer): the micro-batch and
        two-rank scenarios take no ``f`` (``b`` runs forward and backward), scalar and vector no ``s``
        (they have no optimizer), and a scenario that failed to load takes no action at all."""
        if action not in ("act", "reset"):
            return True
        scenario = SCENARIOS.get(self.scenario_key)
        if self.failed or scenario is None:
            return False
        return action == "reset" or ACTION_KEYS.get(str(parameters[0])) in scenario.actions

    def action_act(self, action: str) -> None:
        """Apply an action (the stepper refuses and explains what cannot be done)."""
        self._run("act", action)

    def action_move(self, step: int) -> None:
        """Move along the timeline."""
        self._run("back" if step < 0 else "forward")

    def action_reset(self) -> None:
        """Start the scenario over."""
        self._run("reset")

    def action_scenario(self, key: str) -> None:
        """Switch scenario: keys pressed from now on wait for the new one (not the one being left)."""
        self.stepper, self.pending, self.scenario_key, self.failed = None, [], key, ""
        self.loads += 1
        # What the scenario being left showed goes: keys pressed now are for the new one.
        self.query_one("#timeline", OptionList).clear_options()
        for part in ("#stepper-title", "#stepper-about"):
            self.query_one(part, Static).update("")
        self.query_one("#stepper-state", Static).update(LOADING)
        self.query_one("#stepper-choices", Static).update(scenario_choices(key))
        self.refresh_bindings()  # the footer shows the new scenario's keys
        self.load(key, self.loads)

    def action_scroll_snapshot(self, pages: int) -> None:
        """Scroll the snapshot beside the timeline by a page (it can be taller than the screen)."""
        main = self.query_one("#stepper-main", VerticalScroll)
        main.scroll_page_down() if pages > 0 else main.scroll_page_up()

    @on(OptionList.OptionSelected, "#timeline")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if self.stepper is not None:
            self.stepper.index = event.option_index
            self.show_current()

    def action_leave(self) -> None:
        """Back to where the learner came from."""
        self.dismiss()
