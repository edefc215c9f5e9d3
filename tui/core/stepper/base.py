"""What a stepper scenario provides: named tensors to show, actions to apply, an output to graph."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar


class Refused(Exception):
    """An action the scenario cannot do now; the message says why and what to do instead."""


@dataclass(frozen=True)
class Row:
    """One line of the values table: a tensor's value, its gradient, and what changed."""

    name: str
    value: str
    grad: str
    shape: str = ""


@dataclass(frozen=True)
class ActionResult:
    """What an action did: the code it ran and a sentence about its effect."""

    code: str
    message: str = ""


@dataclass
class View:
    """Everything the screen shows about the scenario's current state.

    Attributes:
        rows: the values table.
        columns: the table's three column titles.
        extra: lines under the table (the loss, counts, comparisons).
        graph: the autograd graph of the current output.
        numbers: figures the lines are made from, by name (tests read them).
    """

    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, str, str] = ("tensor", "value", ".grad")
    extra: list[str] = field(default_factory=list)
    graph: list[str] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)


def fmt(tensor: Any) -> str:
    """A tensor written as PyTorch prints it, on one line (``None`` for a missing gradient)."""
    if tensor is None:
        return "None"
    text = repr(tensor.detach()) if hasattr(tensor, "detach") else repr(tensor)
    return " ".join(text.split())


class Scenario(ABC):
    """A stepper scenario: build seeded tensors in :meth:`reset`, change them in :meth:`apply`.

    Subclasses set ``key``, ``label`` (its name in the scenario list), ``title``, ``about`` and
    ``actions`` (key letter to action name): the screen binds, and its footer shows, only these keys.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    title: ClassVar[str] = ""
    about: ClassVar[str] = ""
    actions: ClassVar[dict[str, str]] = {}

    @abstractmethod
    def reset(self) -> None:
        """Build the scenario's tensors afresh (seeded: every reset gives the same numbers)."""

    @abstractmethod
    def apply(self, action: str) -> ActionResult:
        """Do one action; raise :class:`Refused` or let PyTorch's error out when it cannot be done."""

    @abstractmethod
    def view(self) -> View:
        """The values, gradients and graph to show now."""
