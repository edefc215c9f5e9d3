"""The explainers' common ground: the failed call they read and the explanation they write."""

from __future__ import annotations

import math
import re
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any

from tui.core.tracing.shapes import format_shape

Shape = tuple[int, ...]


@dataclass
class Explanation:
    """What went wrong with the shapes, for the learner.

    Attributes:
        op: the operation that failed (``linear``, ``matmul``, ``view``...).
        operands: each operand, named, with its shape: ``["input (2, 3, 4)", "weight (2, 2)"]``.
        problem: which dimensions disagree, and the likely cause when the shapes show it.
        fix: the fix, or the fixes that fit (``Or: ...``), in the learner's terms.
        diagram: a broadcasting diagram, when it helps.
        layer: the layer that failed, when the error came from inside a module.
        layers: the layers that ran up to it, as ``name (Kind): (in) -> (out)`` lines.
        unsure: True when the shapes do not settle the cause (the text says what is unsure).
    """

    op: str
    operands: list[str]
    problem: str
    fix: str
    diagram: list[str] = field(default_factory=list)
    layer: str | None = None
    layers: list[str] = field(default_factory=list)
    unsure: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The explanation as plain text lines (for ``tensordojo trace``)."""
        out = [f"Shape error in {self.op}" + (f" (layer {self.layer})" if self.layer else "") + ":"]
        out += [f"  {operand}" for operand in self.operands]
        out += [f"  {line}" for line in self.diagram]
        out += [f"  Problem: {self.problem}", f"  Fix: {self.fix}"]
        if self.layers:
            out.append("  Layers that ran:")
            out += [f"    {line}" for line in self.layers]
        return out

    def text(self) -> str:
        """Everything in one string (for tests and searches)."""
        return "\n".join(self.lines())


@dataclass
class FailedCall:
    """One failed call as the tracer saw it, the error message only a hint.

    Attributes:
        error: the exception.
        message: its text.
        op: the torch op that raised (``linear``), or None when the check ran in Python first.
        inputs: the op's tensor operands' shapes (the module call's when no op raised).
        facts: the op's plain arguments, dtypes, integer ranges and contiguity (see the tracer).
        layer: the innermost module the error escaped, named as the learner's variable + path.
        kind: that module's class name (``LSTM``).
        attributes: that module's shape attributes (``in_features``, ``num_layers``...).
        layer_inputs: the shapes the module was called with.
        ran: the layers that ran up to the failure (records with inputs and outputs).
        in_collate: the error arose while a DataLoader batched samples.
    """

    error: BaseException
    message: str
    op: str | None = None
    inputs: list[Shape] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    layer: str | None = None
    kind: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    layer_inputs: list[Shape] = field(default_factory=list)
    ran: list[Any] = field(default_factory=list)
    in_collate: bool = False
    source: str = ""
    """The learner's source line the op ran on (to name operands by their expressions)."""

    def param(self, index: int, name: str, default: Any = None) -> Any:
        """A plain argument by keyword or position (tensors count as positions)."""
        if name in self.facts.get("kwargs", {}):
            return self.facts["kwargs"][name]
        params = self.facts.get("params", [])
        return params[index] if index < len(params) and params[index] is not None else default

    def dtype(self, index: int) -> str:
        dtypes = self.facts.get("dtypes", [])
        return dtypes[index] if index < len(dtypes) else ""

    def value_range(self, index: int) -> list[int] | None:
        ranges = self.facts.get("ranges", [])
        return ranges[index] if index < len(ranges) else None

    def numbers(self, pattern: str) -> list[int] | None:
        """Integers from the message, when the pattern matches (a hint, never the only key)."""
        match = re.search(pattern, self.message)
        if not match:
            return None
        return [int(x) for group in match.groups() if group for x in re.findall(r"-?\d+", group)]


def shape(s: Shape | None) -> str:
    """A shape as the learner writes it."""
    return format_shape(s) if s is not None else "?"


def product(dims: Shape | list[int]) -> int:
    return math.prod(dims)


def layer_call(call: FailedCall, replace: dict[str, Any]) -> str:
    """The layer's constructor with one argument changed: ``nn.Linear(1568, 10)``."""
    kind = call.kind or ""
    a = dict(call.attributes)
    a.update(replace)
    if kind == "Linear":
        return f"nn.Linear({a.get('in_features')}, {a.get('out_features')})"
    if kind.startswith("Conv"):
        k = a.get("kernel_size", ("?",))
        k = k[0] if isinstance(k, tuple) and len(set(k)) == 1 else k
        return f"nn.{kind}({a.get('in_channels')}, {a.get('out_channels')}, kernel_size={k})"
    if kind.startswith("BatchNorm"):
        return f"nn.{kind}({a.get('num_features')})"
    if kind == "LayerNorm":
        ns = a.get("normalized_shape")
        return f"nn.LayerNorm({ns[0] if isinstance(ns, tuple) and len(ns) == 1 else ns})"
    if kind == "GroupNorm":
        return f"nn.GroupNorm({a.get('num_groups')}, {a.get('num_channels')})"
    if kind == "Embedding":
        return f"nn.Embedding({a.get('num_embeddings')}, {a.get('embedding_dim')})"
    if kind in ("LSTM", "GRU", "RNN"):
        extra = "".join(f", {k}={a[k]}" for k in ("num_layers", "batch_first", "bidirectional")
                        if k in a and a[k] not in (1, False))
        return f"nn.{kind}({a.get('input_size')}, {a.get('hidden_size')}{extra})"
    return kind


def in_collate(error: BaseException) -> bool:
    """Whether the error arose in a DataLoader's collate function (the batching of samples)."""
    for frame in traceback.extract_tb(error.__traceback__):
        if "collate" in frame.name and "torch" in frame.filename and "data" in frame.filename:
            return True
    return False
