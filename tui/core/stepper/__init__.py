"""The gradient-accumulation stepper: scenarios of real PyTorch tensors, stepped one action at a time.

Every action yields an immutable :class:`~tui.core.stepper.engine.Snapshot`; the timeline moves
between them. Acting from an earlier point replays that point's actions on a fresh, seeded
scenario, so earlier states are exact and a new action starts a new branch.
"""

from tui.core.stepper.engine import Snapshot, Stepper
from tui.core.stepper.scenarios import SCENARIOS, make_scenario

__all__ = ["SCENARIOS", "Snapshot", "Stepper", "make_scenario"]
