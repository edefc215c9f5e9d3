"""The stepper's engine: a timeline of immutable snapshots over a replayable scenario."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.stepper.base import Refused, Row, Scenario, View

_EXPLAIN_ERRORS = {
    "backward through the graph a second time": (
        "backward() frees the graph it walked (to save memory). To call it again, run the forward "
        "pass again first (f), or pass retain_graph=True to the first backward()."
    ),
    "does not require grad and does not have a grad_fn": (
        "This tensor was not computed from anything that requires grad, so there is no graph to walk back."
    ),
}


def explain_error(message: str) -> str:
    """A plain-words explanation of an error PyTorch raised during an action."""
    for needle, explanation in _EXPLAIN_ERRORS.items():
        if needle in message:
            return explanation
    return "PyTorch refused this action; the state is unchanged."


@dataclass(frozen=True)
class Snapshot:
    """One moment of the timeline.

    Attributes:
        actions: the successful actions from the start that lead here (replayed to restore it).
        label: what happened (``backward``), or ``start``.
        code: the code the action ran.
        message: what it did, in a sentence or two.
        error: why the action was refused (the state is unchanged then).
        by_torch: whether PyTorch raised that error, rather than the stepper's own rule (say,
            "run forward first") turning the action down.
        view: the values, gradients and graph at this moment.
        changed: names of the rows whose value or gradient changed with this action.
    """

    actions: tuple[str, ...]
    label: str
    code: str
    message: str
    view: View
    error: str | None = None
    changed: frozenset[str] = field(default_factory=frozenset)
    by_torch: bool = False

    def row(self, name: str) -> Row:
        """The values-table row of one tensor."""
        return next(r for r in self.view.rows if r.name == name)


class Stepper:
    """Applies actions to a scenario and keeps the timeline; back and forth only moves the cursor."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.timeline: list[Snapshot] = []
        self.index = 0
        self.branches = 0
        """How many times a new action from an earlier point started a new branch."""
        self.reset()

    @property
    def current(self) -> Snapshot:
        """The snapshot shown now."""
        return self.timeline[self.index]

    def reset(self) -> Snapshot:
        """Start over: a fresh scenario and a one-entry timeline."""
        self.scenario.reset()
        # No message: the screen shows the scenario's ``about`` above every moment, so the start
        # moment repeating it printed the description twice.
        start = Snapshot((), "start", "", "", self.scenario.view())
        self.timeline, self.index, self.branches = [start], 0, 0
        return start

    def act(self, action: str) -> Snapshot:
        """Apply an action at the current point; later snapshots are dropped (a new branch)."""
        base = self.current
        if self.index < len(self.timeline) - 1:
            self._replay(base.actions)
            self.branches += 1
        try:
            result = self.scenario.apply(action)
        except Refused as why:
            snapshot = Snapshot(base.actions, action, "", "", base.view, error=str(why))
        except RuntimeError as error:
            self._replay(base.actions)  # a half-done action must not leak into later ones
            message = str(error).splitlines()[0]
            snapshot = Snapshot(base.actions, action, "", explain_error(message), base.view, error=message, by_torch=True)
        else:
            view = self.scenario.view()
            snapshot = Snapshot(base.actions + (action,), action, result.code, result.message, view,
                                changed=_changed(base.view, view))
        del self.timeline[self.index + 1:]
        self.timeline.append(snapshot)
        self.index = len(self.timeline) - 1
        return snapshot

    def _replay(self, actions: tuple[str, ...]) -> None:
        self.scenario.reset()
        for action in actions:
            self.scenario.apply(action)

    def back(self) -> Snapshot:
        """Show the previous snapshot (the live tensors follow when the next action comes)."""
        self.index = max(0, self.index - 1)
        return self.current

    def forward(self) -> Snapshot:
        """Show the next snapshot, if there is one."""
        self.index = min(len(self.timeline) - 1, self.index + 1)
        return self.current


def _changed(before: View, after: View) -> frozenset[str]:
    old = {row.name: (row.value, row.grad) for row in before.rows}
    return frozenset(row.name for row in after.rows if old.get(row.name) != (row.value, row.grad))
