"""Describing a Python namespace's tensors, arrays and modules as small JSON-ready records.

Runs inside the REPL kernel (the inspector's data) and never copies big tensors: statistics are
computed where the tensor lives and only a few numbers travel; previews are small slices.
Nothing here imports torch; objects are recognised by their type's module and name.
"""

from __future__ import annotations

import math
from typing import Any

MAX_VARIABLES = 200
PREVIEW_ROWS, PREVIEW_COLS = 6, 8
HEAT_ROWS, HEAT_COLS = 12, 24
SAMPLE_LIMIT = 1 << 15
"""Statistics of a bigger tensor are computed on an evenly strided sample of at most this many
values (a view, copied once into a small contiguous block): a 1 GB tensor costs the kernel well
under a megabyte instead of gigabytes of temporaries and seconds of work."""
_HIDDEN = {"In", "Out", "exit", "quit", "get_ipython", "torch", "nn", "F", "np"}


_KINDS = (
    ("torch", "Parameter", "parameter"),
    ("torch", "Tensor", "tensor"),
    ("torch.nn.modules.module", "Module", "module"),
    ("torch.optim.optimizer", "Optimizer", "optimizer"),
)
"""(module prefix, class name, kind): a class is of a kind when one of its bases is that class,
so the learner's own ``class ToyModel(nn.Module)`` is a module and a tensor subclass a tensor."""


def kind_of(value: Any) -> str | None:
    """``tensor``, ``parameter``, ``ndarray``, ``module`` or ``optimizer``; None for anything else."""
    cls = type(value)
    if cls.__module__ == "numpy" and cls.__name__ == "ndarray":
        return "ndarray"
    try:
        bases = [(base.__module__ or "", base.__name__) for base in cls.__mro__]
    except Exception:  # an object with an odd type must not break the table
        return None
    for prefix, name, kind in _KINDS:
        if any(base_name == name and module.startswith(prefix) for module, base_name in bases):
            if kind == "module" and not hasattr(value, "named_parameters"):
                continue
            return kind
    return None


def _tensor_row(value: Any) -> dict[str, Any]:
    layout = str(getattr(value, "layout", "torch.strided")).removeprefix("torch.")
    # Reading .grad of a non-leaf tensor makes PyTorch warn into the learner's output.
    grad = value.grad if value.is_leaf or getattr(value, "retains_grad", False) else None
    grad_fn = getattr(value, "grad_fn", None)
    row = {
        "shape": [int(d) for d in value.shape],
        "dtype": str(value.dtype).removeprefix("torch."),
        "device": str(value.device),
        "requires_grad": bool(value.requires_grad),
        "grad": [int(d) for d in grad.shape] if grad is not None else None,
        "grad_fn": type(grad_fn).__name__ if grad_fn is not None else None,
        "note": "" if layout == "strided" else layout,
    }
    if value.device.type == "meta":
        row["note"] = "meta: shape only, no values"
    return row


def describe_variable(name: str, value: Any) -> dict[str, Any] | None:
    """One row of the variables table, or None when the value is not one the inspector shows."""
    kind = kind_of(value)
    if kind is None:
        return None
    row: dict[str, Any] = {"name": name, "kind": kind}
    try:
        if kind in ("tensor", "parameter"):
            row.update(_tensor_row(value))
        elif kind == "ndarray":
            row.update(shape=list(value.shape), dtype=str(value.dtype), device="cpu (numpy)")
        elif kind == "module":
            params = list(value.parameters())
            row.update(type=type(value).__name__, parameters=sum(p.numel() for p in params),
                       requires_grad=any(p.requires_grad for p in params),
                       grads=sum(1 for p in params if p.grad is not None))
            if params:  # the first parameter's: what a learner checks before feeding it data
                row.update(dtype=str(params[0].dtype).removeprefix("torch."), device=str(params[0].device))
        elif kind == "optimizer":
            row.update(type=type(value).__name__, groups=len(value.param_groups))
    except Exception as error:  # an odd object must not break the table
        row["note"] = f"cannot describe: {type(error).__name__}"
    return row


def describe_namespace(namespace: dict[str, Any]) -> dict[str, Any]:
    """The variables table: every tensor, array, parameter, module and optimizer, by name."""
    rows = []
    for order, (name, value) in enumerate(list(namespace.items())):
        if name.startswith("_") or name in _HIDDEN:
            continue
        row = describe_variable(name, value)
        if row is not None:
            row["order"] = order  # when the name was first bound: the newest come last
            rows.append(row)
    rows.sort(key=lambda r: r["name"])
    return {"variables": rows[:MAX_VARIABLES], "hidden": max(0, len(rows) - MAX_VARIABLES)}


def sample_steps(shape: list[int], limit: int = SAMPLE_LIMIT) -> list[int]:
    """A step per dimension such that taking every step-th index keeps at most ``limit`` values.

    The largest remaining dimension is thinned first, so a sample spreads over every axis.
    """
    steps = [1] * len(shape)

    def kept(axis: int) -> int:
        return -(-shape[axis] // steps[axis])

    while shape and math.prod(kept(axis) for axis in range(len(shape))) > limit:
        widest = max(range(len(shape)), key=kept)
        steps[widest] *= 2
    return steps


def _sample(values: Any) -> tuple[Any, bool]:
    """An evenly strided view of at most :data:`SAMPLE_LIMIT` values, and whether it is a sample."""
    shape = [int(d) for d in values.shape]
    if math.prod(shape) <= SAMPLE_LIMIT:
        return values, False
    view = values[tuple(slice(None, None, step) for step in sample_steps(shape))]
    # Reductions over a strided view of a huge tensor touch its pages all over; a copy of the
    # sample (at most SAMPLE_LIMIT values) is read once and then reduced from cache.
    return (view.contiguous() if hasattr(view, "contiguous") else view.copy()), True


def _stats(values: Any, torch_like: bool) -> dict[str, Any]:
    """min, max, mean and NaN/inf counts, computed where the data lives (on a sample when big)."""
    sample, sampled = _sample(values)
    stats = _exact_stats(sample, torch_like)
    if sampled:
        stats["sample"] = int(math.prod(int(d) for d in sample.shape))
    return stats


def _exact_stats(values: Any, torch_like: bool) -> dict[str, Any]:
    if torch_like:
        import torch

        data = values.detach()
        if data.is_complex():
            return {"note": "complex values: statistics of magnitudes", **_exact_stats(data.abs(), True)}
        floats = data.float() if not data.is_floating_point() else data
        finite = torch.isfinite(floats)
        count = finite.sum().item()
        clean = floats[finite]
        return {
            "min": clean.min().item() if count else None,
            "max": clean.max().item() if count else None,
            "mean": clean.mean().item() if count else None,
            "nan": int(torch.isnan(floats).sum().item()),
            "inf": int(torch.isinf(floats).sum().item()),
        }
    import numpy as np

    floats = values.astype(float, copy=False)
    finite = np.isfinite(floats)
    clean = floats[finite]
    return {
        "min": float(clean.min()) if clean.size else None,
        "max": float(clean.max()) if clean.size else None,
        "mean": float(clean.mean()) if clean.size else None,
        "nan": int(np.isnan(floats).sum()),
        "inf": int(np.isinf(floats).sum()),
    }


def _grid(values: Any, rows: int, cols: int, torch_like: bool) -> list[list[float]]:
    """An evenly strided sample of a 2-D array, at most rows x cols, as nested floats."""
    height, width = values.shape
    step_r, step_c = max(1, math.ceil(height / rows)), max(1, math.ceil(width / cols))
    sample = values[::step_r, ::step_c]
    if torch_like:
        sample = sample.detach().float().cpu()
    return [[float(x) for x in row] for row in sample.tolist()]


def describe_detail(name: str, value: Any) -> dict[str, Any]:
    """Everything the detail pane shows for one variable."""
    kind = kind_of(value)
    detail: dict[str, Any] = {"name": name, "kind": kind}
    if kind == "module":
        return {**detail, **describe_module(value)}
    if kind == "optimizer":
        return {**detail, **describe_optimizer(value)}
    if kind not in ("tensor", "parameter", "ndarray"):
        return {**detail, "note": "the inspector shows tensors, arrays, modules and optimizers"}
    torch_like = kind != "ndarray"
    shape = [int(d) for d in value.shape]
    detail["shape"] = shape
    if torch_like:
        detail.update(_tensor_row(value))
        detail.update(
            stride=list(value.stride()) if str(value.layout) == "torch.strided" else None,
            contiguous=bool(value.is_contiguous()) if str(value.layout) == "torch.strided" else None,
            numel=int(value.numel()), bytes=int(value.numel() * value.element_size()),
            is_leaf=bool(value.is_leaf),
        )
        if detail.get("note"):
            return detail  # meta or sparse: no values to show
    else:
        detail.update(dtype=str(value.dtype), stride=[s // value.itemsize for s in value.strides],
                      contiguous=bool(value.flags["C_CONTIGUOUS"]), numel=int(value.size), bytes=int(value.nbytes))
    if detail["numel"] == 0:
        return detail
    try:
        if str(detail["dtype"]).startswith(("float", "int", "uint", "bool", "complex", "bfloat")):
            detail["stats"] = _stats(value, torch_like)
        if len(shape) == 2:
            detail["heat"] = _grid(value, HEAT_ROWS, HEAT_COLS, torch_like)
        detail["preview"] = _preview(value, torch_like)
    except Exception as error:  # statistics of unusual dtypes: say so, keep the rest
        detail["note"] = f"values not shown: {type(error).__name__}: {error}"
    return detail


def _preview(value: Any, torch_like: bool) -> str:
    """The first few rows and columns, printed the library's own way."""
    index = tuple(slice(0, PREVIEW_ROWS if axis < value.ndim - 1 else PREVIEW_COLS) for axis in range(value.ndim))
    head = value[index] if value.ndim else value
    if torch_like:
        head = head.detach().cpu()
    text = repr(head)
    clipped = any(size > (PREVIEW_ROWS if axis < value.ndim - 1 else PREVIEW_COLS) for axis, size in enumerate(value.shape))
    return text + ("\n(first rows and columns only)" if clipped else "")


def describe_module(module: Any, last_shapes: dict[int, Any] | None = None) -> dict[str, Any]:
    """A module's layers: each leaf's parameters with shapes and counts, and its last output shape."""
    layers = []
    for name, child in module.named_modules():
        if list(child.children()) and name:
            continue  # a container; its leaves are listed
        if not name and list(child.children()):
            continue
        params = [(pname, [int(d) for d in p.shape], int(p.numel())) for pname, p in child.named_parameters(recurse=False)]
        layers.append({
            "name": name or "(itself)",
            "type": type(child).__name__,
            "params": params,
            "count": sum(count for _, _, count in params),
            "output": list(last_shapes[id(child)]) if last_shapes and last_shapes.get(id(child)) is not None else None,
        })
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return {"type": type(module).__name__, "layers": layers, "total": int(total), "trainable": int(trainable)}


_HYPERPARAMETERS = ("lr", "momentum", "betas", "weight_decay", "eps", "dampening", "nesterov", "alpha", "amsgrad")


def describe_optimizer(optimizer: Any) -> dict[str, Any]:
    """An optimizer's type, and for each parameter group its tensors, values and settings."""
    groups = []
    for group in optimizer.param_groups:
        params = list(group.get("params", []))
        settings = {key: group[key] for key in _HYPERPARAMETERS if key in group and group[key] is not None}
        groups.append({
            "tensors": len(params),
            "values": int(sum(p.numel() for p in params)),
            "settings": {key: _plain(value) for key, value in settings.items()},
        })
    state = getattr(optimizer, "state", {})
    return {"type": type(optimizer).__name__, "groups": groups, "stepped": len(state) > 0}


def _plain(value: Any) -> Any:
    """A setting as JSON can carry it (a tensor learning rate becomes a number)."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
