"""What a failure looked like, read from the traceback when the tracer was not watching.

Past the listed ops a training loop is traced one optimizer step in :data:`SAMPLE_EVERY` (tracing
every op cost a small loop a third of its speed). An error raised in between, such as the last,
smaller batch of an epoch, is read from the frames it passed through: the innermost ``forward``
of a module gives the layer, its attributes and its inputs, and for torch's own layers the op and
its operands (the input and the layer's weight).
"""

from __future__ import annotations

from typing import Any

from tui.core.tracing.operands import _failure_facts, tensor_shapes
from tui.core.tracing.records import Failure, LayerRecord, OpRecord, module_attributes

SAMPLE_EVERY = 32
_CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")


def _op_of(module: Any, values: list[Any]) -> OpRecord | None:
    """The op a torch layer runs on its input, with the operands it gets (input, weight)."""
    kind = type(module).__name__
    if not type(module).__module__.startswith("torch.nn") or not values:
        return None
    x = values[0]
    weight = getattr(module, "weight", None)
    if kind == "Linear":
        name, operands = "linear", [x, weight]
    elif kind.startswith("Conv") and kind[-2:] in ("1d", "2d", "3d"):
        name, operands = f"conv{kind[-2]}d", [x, weight]
    elif kind.startswith(("BatchNorm", "InstanceNorm")):
        name, operands = "batch_norm", [x, getattr(module, "running_mean", None) if getattr(module, "running_mean", None) is not None else weight]
    elif kind == "LayerNorm":
        name, operands = "layer_norm", [x]
    elif kind == "GroupNorm":
        name, operands = "group_norm", [x, weight]
    elif kind == "Embedding":
        name, operands = "embedding", [x, weight]
    elif kind.startswith(("MaxPool", "AvgPool")):
        name, operands = f"{'max' if kind.startswith('Max') else 'avg'}_pool{kind[-2]}d", [x]
    else:
        return None
    operands = [o for o in operands if o is not None]
    facts = _failure_facts(tuple(operands), {"groups": module.groups} if hasattr(module, "groups") else {})
    return OpRecord(name, tensor_shapes(operands), None, failed=True, args=facts)


def failure_from_traceback(error: BaseException, names: dict[int, str]) -> Failure | None:
    """The innermost module ``forward`` the error passed through, as a failure record."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        module = frame.f_locals.get("self")
        if frame.f_code.co_name != "forward" or module is None or not hasattr(module, "named_modules"):
            continue
        if type(module).__name__ in _CONTAINERS:
            continue
        code = frame.f_code
        values = [frame.f_locals.get(name) for name in code.co_varnames[1:code.co_argcount]]
        layer = LayerRecord(names.get(id(module)) or type(module).__name__.lower(), type(module).__name__,
                            tensor_shapes(values))
        return Failure(error, _op_of(module, values), layer, module_attributes(module))
    return None
