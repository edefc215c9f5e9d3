"""Recording every torch operation a piece of code runs, with shapes, source lines and layers.

:class:`ShapeTracer` is a context manager around ``torch.overrides.TorchFunctionMode`` (one
thread: modes are per thread) plus global module hooks that follow ``nn.Module`` forwards.
torch is imported only when a tracer is entered, so this module stays cheap to import.
"""

from __future__ import annotations

import linecache
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from tui.core.broadcast import broadcast
from tui.core.shapes import format_shape

MAX_OPS = 300
MAX_LAYERS = 200

# Attribute reads and queries that are not operations on the data.
_SKIP = {
    "__len__", "__repr__", "__str__", "__format__", "__bool__", "__hash__", "__iter__", "__contains__",
    "__reduce_ex__", "__setstate__", "__deepcopy__", "__array__", "__index__", "__int__", "__float__",
    "size", "dim", "ndimension", "numel", "nelement", "stride", "is_contiguous", "data_ptr", "element_size",
    "is_floating_point", "is_complex", "item", "tolist", "storage_offset", "untyped_storage", "_is_view",
    "get_device", "type", "__get__", "__set__", "requires_grad_", "retain_grad", "register_hook",
    "backward", "_backward_hooks", "has_names", "is_nonzero", "numpy",
}
_KEEP_ATTRS = {"T", "mT", "H", "mH", "real", "imag"}
# Ops a layer's constructor runs to initialise its parameters: noise in a shape trace.
_INIT_OPS = {"empty", "kaiming_uniform_", "uniform_", "normal_", "xavier_uniform_", "xavier_normal_",
             "zero_", "zeros_", "ones_", "fill_", "trunc_normal_", "orthogonal_", "constant_"}
_INIT_FUNCTIONS = {"__init__", "reset_parameters", "_reset_parameters"}
_ELEMENTWISE = {
    "add", "sub", "rsub", "mul", "div", "true_divide", "floor_divide", "remainder", "pow", "eq", "ne",
    "lt", "le", "gt", "ge", "maximum", "minimum", "atan2", "mse_loss", "l1_loss", "smooth_l1_loss",
    "binary_cross_entropy", "where", "logical_and", "logical_or", "bitwise_and", "bitwise_or",
}


def op_name(func: Any) -> str | None:
    """The name a learner knows an op by (``__matmul__`` is ``matmul``), or None to skip it."""
    name = getattr(func, "__name__", "") or ""
    if name == "__get__":
        attr = getattr(getattr(func, "__self__", None), "__name__", "")
        return attr if attr in _KEEP_ATTRS else None
    if name in _SKIP:
        return None
    if name.startswith("__i") and name.endswith("__") and name[3:-2] in _ELEMENTWISE | {"matmul", "and", "or"}:
        return name[3:-2] + "_"
    if name.startswith("__r") and name.endswith("__") and name[3:-2] in _ELEMENTWISE | {"matmul"}:
        return name[3:-2]
    if name.startswith("__") and name.endswith("__"):
        return {"getitem": "index", "setitem": "index_put", "neg": "neg", "truediv": "div"}.get(name[2:-2], name[2:-2])
    return name


def _shape(value: Any) -> tuple[int, ...] | None:
    shape = getattr(value, "shape", None)
    if shape is None or not hasattr(value, "dtype"):
        return None
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        return None


def tensor_shapes(values: Any) -> list[tuple[int, ...]]:
    """Shapes of the tensors among values, looking one level into lists and tuples (cat, stack)."""
    shapes = []
    for value in values:
        if isinstance(value, (list, tuple)):
            shapes += [s for s in map(_shape, value) if s is not None]
        else:
            shape = _shape(value)
            if shape is not None:
                shapes.append(shape)
    return shapes


def broadcast_pair(op: str, inputs: list[tuple[int, ...]]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The two input shapes of an element-wise op when they differ (worth a broadcast diagram)."""
    if op.rstrip("_") in _ELEMENTWISE and len(inputs) >= 2 and inputs[0] != inputs[1]:
        return inputs[0], inputs[1]
    return None


def silent_broadcast_note(op: str, inputs: list[tuple[int, ...]], output: tuple[int, ...] | None) -> str:
    """A warning for an element-wise op that quietly grows ``(N, 1)`` and ``(N,)`` into ``(N, N)``."""
    if op.rstrip("_") not in _ELEMENTWISE or len(inputs) < 2 or output is None:
        return ""
    a, b = inputs[0], inputs[1]
    for col, row in ((a, b), (b, a)):
        if len(col) >= 2 and col[-1] == 1 and len(row) >= 1 and row[-1] == col[-2] and row[-1] > 1 and len(row) == len(col) - 1:
            n = col[-2]
            return (f"{format_shape(a)} with {format_shape(b)} broadcast to {format_shape(output)}: "
                    f"{n * n if len(output) == 2 else 'many'} values where {n} were probably meant. "
                    f"Make the shapes equal first, e.g. .squeeze(-1) on the {format_shape(col)} side "
                    f"or .unsqueeze(-1) on the {format_shape(row)} side.")
    if op in ("mse_loss", "l1_loss", "smooth_l1_loss") and a != b and broadcast(a, b).ok:
        return f"the loss compares {format_shape(a)} with {format_shape(b)}; they broadcast, which is rarely what a loss means."
    return ""


@dataclass
class OpRecord:
    """One torch operation: what it was, on which shapes, from which line."""

    op: str
    inputs: list[tuple[int, ...]]
    output: tuple[int, ...] | None = None
    line: int | None = None
    source: str = ""
    layer: str | None = None
    failed: bool = False
    note: str = ""
    args: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (tuples become lists)."""
        return asdict(self)


@dataclass
class LayerRecord:
    """One module forward: its name, class, input shapes, output shape; open while it runs."""

    name: str
    kind: str
    inputs: list[tuple[int, ...]]
    output: tuple[int, ...] | None = None
    finished: bool = False
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def _module_detail(module: Any) -> str:
    for attr in ("in_features", "out_features"):
        if not hasattr(module, attr):
            return ""
    return f"in_features={module.in_features}, out_features={module.out_features}"


def _extra_args(op: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    if op in ("view", "reshape") and len(args) > 1:
        target = args[1] if len(args) == 2 and isinstance(args[1], (tuple, list)) else args[1:]
        if all(isinstance(x, int) for x in target):
            return {"target": list(target)}
    if op in ("cat", "concat", "concatenate", "stack"):
        dim = kwargs.get("dim", args[1] if len(args) > 1 and isinstance(args[1], int) else 0)
        return {"dim": dim}
    return {}


class ShapeTracer:
    """Records ops and module forwards while active.

    Args:
        is_user_file: tells whether a frame's file is the learner's code (for source lines).
        namer: names a top-level module (the kernel looks it up in the namespace).
        max_ops: ops kept in full; later ones are only counted (a failing op is always kept).
    """

    def __init__(self, is_user_file: Callable[[str], bool], namer: Callable[[Any], str] | None = None,
                 max_ops: int = MAX_OPS) -> None:
        self.is_user_file = is_user_file
        self.namer = namer or (lambda module: type(module).__name__.lower())
        self.max_ops = max_ops
        self.ops: list[OpRecord] = []
        self.dropped = 0
        self.layers: list[LayerRecord] = []
        self._open: list[LayerRecord] = []
        self._names: dict[int, str] = {}
        self._mode: Any = None
        self._hooks: list[Any] = []
        self.last_shapes: dict[int, tuple[int, ...] | None] = {}

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> "ShapeTracer":
        import torch
        from torch.overrides import TorchFunctionMode

        tracer = self

        class _Mode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                if tracer.full:  # the fast path, inline: a training loop runs thousands of ops
                    try:
                        result = func(*args, **(kwargs or {}))
                    except Exception:
                        tracer._record_failure(func, args, kwargs or {})
                        raise
                    tracer.dropped += 1
                    return result
                return tracer._call(func, args, kwargs or {})

        self._mode = _Mode()
        self._mode.__enter__()
        module_hooks = torch.nn.modules.module
        self._hooks = [
            module_hooks.register_module_forward_pre_hook(self._layer_enter),
            module_hooks.register_module_forward_hook(self._layer_exit),
        ]
        return self

    def __exit__(self, *exc: object) -> None:
        for hook in self._hooks:
            hook.remove()
        self._hooks = []
        if self._mode is not None:
            self._mode.__exit__(None, None, None)
            self._mode = None

    # -- recording -----------------------------------------------------------------------

    def _where(self) -> tuple[int | None, str]:
        frame = sys._getframe(3)
        while frame is not None:
            if self.is_user_file(frame.f_code.co_filename):
                line = frame.f_lineno
                return line, linecache.getline(frame.f_code.co_filename, line).strip()
            frame = frame.f_back
        return None, ""

    @staticmethod
    def _initialising() -> bool:
        frame = sys._getframe(3)
        for _ in range(8):
            if frame is None:
                return False
            if frame.f_code.co_name in _INIT_FUNCTIONS and "torch" in frame.f_code.co_filename:
                return True
            frame = frame.f_back
        return False

    @property
    def full(self) -> bool:
        """Whether the trace holds its maximum of ops (later ones are only counted)."""
        return len(self.ops) >= self.max_ops

    def _call(self, func: Any, args: tuple, kwargs: dict) -> Any:
        name = op_name(func)
        if name is None or (name in _INIT_OPS and self._initialising()):
            return func(*args, **kwargs)
        inputs = tensor_shapes(args) + tensor_shapes(kwargs.values())
        try:
            result = func(*args, **kwargs)
        except Exception:
            self._record(name, inputs, None, args, kwargs, failed=True)
            raise
        output = _shape(result)
        if output is None and isinstance(result, (tuple, list)) and result:
            output = _shape(result[0])
        self._record(name, inputs, output, args, kwargs)
        return result

    def _record_failure(self, func: Any, args: tuple, kwargs: dict) -> None:
        """Keep the op that raised even when the trace is full: the explainer needs its shapes."""
        name = op_name(func)
        if name is not None:
            self._record(name, tensor_shapes(args) + tensor_shapes(kwargs.values()), None, args, kwargs, failed=True)

    def _record(self, name: str, inputs: list, output: Any, args: tuple, kwargs: dict, failed: bool = False) -> None:
        line, source = self._where()
        record = OpRecord(name, inputs, output, line, source, self._open[-1].name if self._open else None, failed,
                          args=_extra_args(name, args, kwargs))
        record.note = silent_broadcast_note(name, inputs, output)
        self.ops.append(record)

    def _layer_enter(self, module: Any, args: tuple) -> None:
        if not self._open and not self._names.get(id(module)):
            top = self.namer(module)
            self._names = {id(m): (f"{top}.{n}" if n else top) for n, m in module.named_modules()}
        name = self._names.get(id(module)) or type(module).__name__.lower()
        if len(self.layers) >= MAX_LAYERS:  # past the cap: just enough to name a failing layer
            self._open.append(LayerRecord(name, type(module).__name__, []))
            return
        record = LayerRecord(name, type(module).__name__, tensor_shapes(args), detail=_module_detail(module))
        self._open.append(record)
        self.layers.append(record)

    def _layer_exit(self, module: Any, args: tuple, output: Any) -> None:
        if self._open:
            record = self._open.pop()
            record.output = _shape(output)
            record.finished = True
            self.last_shapes[id(module)] = record.output

    # -- results -------------------------------------------------------------------------

    @property
    def failed_op(self) -> OpRecord | None:
        """The op that raised, if one did."""
        return next((op for op in reversed(self.ops) if op.failed), None)

    @property
    def failed_layer(self) -> LayerRecord | None:
        """The innermost layer that was running when an error escaped it."""
        return self._open[-1] if self._open else None

    @property
    def layers_to_failure(self) -> list[LayerRecord]:
        """The layers that ran, ending with the open (failed) ones, even past the record cap."""
        return self.layers + [layer for layer in self._open if layer not in self.layers]

    def to_dict(self) -> dict[str, Any]:
        """The trace as JSON-ready data."""
        return {"ops": [op.to_dict() for op in self.ops], "dropped": self.dropped,
                "layers": [layer.to_dict() for layer in self.layers]}
