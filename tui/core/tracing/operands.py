"""Reading a torch call's operands cheaply: shapes as tuples, and the extra facts kept for a failure."""

from __future__ import annotations

from typing import Any

_tensor_types: tuple[type, ...] = ()


def know_tensors(tensor_type: type) -> None:
    """Tell the readers what a tensor is (torch is imported only when a tracer starts)."""
    global _tensor_types
    _tensor_types = (tensor_type,)


def _shape(value: Any) -> tuple[int, ...] | None:
    """A tensor's shape, or None. Tensors are known by type: reading ``.shape`` on anything else
    first would send each read through the torch-function mode, a round trip per read."""
    if _tensor_types and not isinstance(value, _tensor_types):
        return None
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


def _tensors(values: Any) -> list[Any]:
    found = []
    for value in values:
        if isinstance(value, (list, tuple)):
            found += [v for v in value if _shape(v) is not None]
        elif _shape(value) is not None:
            found.append(value)
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, (int, bool)) for v in value):
        return list(value)
    if type(value).__name__ == "Size":
        return list(value)
    return None


def _extra_args(op: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The few non-tensor arguments the trace shows on every kept op (a view's target, a cat's dim)."""
    if op in ("view", "reshape") and len(args) > 1:
        target = args[1] if len(args) == 2 and isinstance(args[1], (tuple, list)) or type(args[1]).__name__ == "Size" else args[1:]
        if all(isinstance(x, int) for x in target):
            return {"target": list(target)}
    if op in ("cat", "concat", "concatenate", "stack"):
        dim = kwargs.get("dim", args[1] if len(args) > 1 and isinstance(args[1], int) else 0)
        return {"dim": dim}
    if op == "gather":
        dim = kwargs.get("dim", args[1] if len(args) > 1 and isinstance(args[1], int) else None)
        return {"dim": dim}
    return {}


def _failure_facts(args: tuple, kwargs: dict) -> dict[str, Any]:
    """What the explainers need beyond shapes, read only for the op that raised: every plain
    argument, each tensor's dtype, integer tensors' smallest and largest value, contiguity."""
    params = [_plain(a) for a in args]
    named = {k: _plain(v) for k, v in kwargs.items() if _plain(v) is not None}
    facts: dict[str, Any] = {"params": params, "kwargs": named, "dtypes": [], "ranges": [], "contiguous": []}
    for tensor in _tensors(list(args) + list(kwargs.values())):
        dtype = str(getattr(tensor, "dtype", "")).replace("torch.", "")
        facts["dtypes"].append(dtype)
        facts["contiguous"].append(bool(tensor.is_contiguous()) if hasattr(tensor, "is_contiguous") else True)
        span = None
        if dtype.startswith(("int", "uint", "long")) and tensor.numel():
            try:
                span = [int(tensor.min()), int(tensor.max())]
            except Exception:  # a meta or sparse tensor: no values to read
                span = None
        facts["ranges"].append(span)
    return facts
