"""What the tracer keeps: one record per op, one per module call, one per failure."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Shape = tuple[int, ...]

# Module attributes the explainers check shapes against (nn.Linear's in_features, nn.LSTM's
# num_layers...). Read only when a module call fails, so it costs nothing on the way.
MODULE_ATTRIBUTES = (
    "in_features", "out_features", "in_channels", "out_channels", "kernel_size", "stride", "padding",
    "dilation", "groups", "num_features", "normalized_shape", "num_groups", "num_channels", "input_size",
    "hidden_size", "num_layers", "bidirectional", "batch_first", "proj_size", "num_embeddings",
    "embedding_dim", "training", "p", "start_dim", "end_dim", "output_size", "scale_factor",
)


@dataclass
class OpRecord:
    """One torch operation: what it was, on which shapes, from which line."""

    op: str
    inputs: list[Shape]
    output: Shape | None = None
    line: int | None = None
    source: str = ""
    layer: str | None = None
    failed: bool = False
    note: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    cell: int | None = None
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (tuples become lists)."""
        return asdict(self)


@dataclass
class LayerRecord:
    """One module forward: its name, class, input shapes, output shape; open while it runs."""

    name: str
    kind: str
    inputs: list[Shape]
    output: Shape | None = None
    finished: bool = False
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


@dataclass
class Failure:
    """Where one exception arose: the op that raised it, the innermost layer it escaped, that layer's attributes."""

    error: BaseException
    op: OpRecord | None = None
    layer: LayerRecord | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def module_attributes(module: Any) -> dict[str, Any]:
    """The shape-relevant attributes a module has, as plain values."""
    found: dict[str, Any] = {}
    for name in MODULE_ATTRIBUTES:
        value = getattr(module, name, None)
        if isinstance(value, (bool, int, float, str)) or (isinstance(value, tuple) and all(isinstance(v, int) for v in value)):
            found[name] = value
        elif isinstance(value, list) and all(isinstance(v, int) for v in value):
            found[name] = tuple(value)
    return found


def module_detail(module: Any) -> str:
    """The line beside a layer in the trace: ``in_features=4, out_features=2`` for a Linear."""
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"in_features={module.in_features}, out_features={module.out_features}"
    return ""
