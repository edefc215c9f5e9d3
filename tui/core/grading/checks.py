"""Assertions for hidden tests that say exactly what differs.

A hidden test raises :class:`Fail` with a message for the learner: "shape (3,) but expected
(4,)", "dtype float64 but expected float32", "first difference at [2, 1]: 0.5 but expected
0.25". :func:`compare` walks tensors, numbers, tuples and lists. They run in the judge, on
values rebuilt from what the learner's process sent back.
"""

from __future__ import annotations

import math
from typing import Any


class Fail(AssertionError):
    """A hidden test failed; the message is shown to the learner as it is."""


def describe(value: Any) -> str:
    """A short description of a value, for messages: a tensor by its shape and dtype."""
    import torch

    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {str(value.dtype).removeprefix('torch.')}"
    if type(value).__name__ == "ndarray":
        return f"a NumPy array of shape {tuple(value.shape)} and dtype {value.dtype}"
    if value is None:
        return "None"
    if isinstance(value, (int, float, bool)):
        return f"{type(value).__name__} {value!r}"
    name = getattr(value, "type_name", None) or f"{type(value).__module__}.{type(value).__qualname__}"
    if name.startswith("torch.return_types."):
        return f"a {name} (a pair of values and indices)"
    if name.startswith("numpy.") and name != "numpy.ndarray":
        return f"a NumPy {name.removeprefix('numpy.')} scalar"
    if name.startswith("builtins."):
        name = name.removeprefix("builtins.")
    return f"a {name.rsplit('.', 1)[-1]}"


def advice(got: Any) -> str:
    """What to do about a value of the wrong kind (empty when there is nothing to say)."""
    name = getattr(got, "type_name", None) or f"{type(got).__module__}.{type(got).__qualname__}"
    if name.startswith("torch.return_types."):
        return "; take .values (or .indices) from it"
    if name.startswith("numpy.") and name != "numpy.ndarray":
        return "; convert it with int(...) or float(...)"
    return ""


def _index(flat: int, shape: tuple[int, ...]) -> list[int]:
    index = []
    for size in reversed(shape):
        index.append(flat % size)
        flat //= size
    return list(reversed(index))


def _number(x: float) -> str:
    return f"{x:.6g}"


def compare_tensors(got: Any, want: Any, what: str, *, rtol: float = 1e-4, atol: float = 1e-5, dtype: bool = True) -> None:
    """Fail unless ``got`` is a tensor like ``want``: same shape, dtype (if asked) and values."""
    import torch

    if got is None:
        raise Fail(f"{what} returned None; did you forget a `return`?")
    if not isinstance(got, torch.Tensor):
        raise Fail(f"{what} should be a tensor, but is {describe(got)}{advice(got)}")
    if tuple(got.shape) != tuple(want.shape):
        raise Fail(f"{what} has shape {tuple(got.shape)} but should have shape {tuple(want.shape)}")
    if dtype and got.dtype != want.dtype:
        raise Fail(f"{what} has dtype {str(got.dtype).removeprefix('torch.')} but should have "
                   f"{str(want.dtype).removeprefix('torch.')}")
    g, w = got.detach().cpu(), want.detach().cpu()
    if g.dtype != w.dtype:
        g, w = g.double(), w.double()
    if w.is_floating_point() or g.is_floating_point():
        ok = torch.isclose(g.double(), w.double(), rtol=rtol, atol=atol, equal_nan=True)
    else:
        ok = g == w
    if bool(ok.all()):
        return
    flat = int((~ok).reshape(-1).nonzero()[0])
    where = _index(flat, tuple(w.shape))
    gv, wv = g.reshape(-1)[flat].item(), w.reshape(-1)[flat].item()
    wrong = int((~ok).sum())
    if w.dim() == 0:
        raise Fail(f"{what} is {_number(gv)} but should be {_number(wv)}")
    count = "" if w.numel() == 1 else (f" (1 of {w.numel()} values differs)" if wrong == 1
                                       else f" ({wrong} of {w.numel()} values differ)")
    raise Fail(f"{what} differs at {where}: {_number(gv)} but should be {_number(wv)}{count}")


def compare(got: Any, want: Any, what: str, *, rtol: float = 1e-4, atol: float = 1e-5, dtype: bool = True) -> None:
    """Fail unless ``got`` matches ``want``; tensors, numbers and tuples/lists of them."""
    import numpy as np
    import torch

    if isinstance(want, np.ndarray):
        if not isinstance(got, np.ndarray):
            raise Fail(f"{what} should be a NumPy array, but is {describe(got)}" +
                       ("; use .numpy()" if isinstance(got, torch.Tensor) else ""))
        compare_tensors(torch.from_numpy(got), torch.from_numpy(want), what, rtol=rtol, atol=atol, dtype=dtype)
    elif isinstance(want, torch.Tensor):
        compare_tensors(got, want, what, rtol=rtol, atol=atol, dtype=dtype)
    elif isinstance(want, bool):
        if got is not want and got != want:
            raise Fail(f"{what} is {describe(got)} but should be {want}")
    elif isinstance(want, (int, float)):
        compare_number(got, want, what, rtol=rtol, atol=atol)
    elif isinstance(want, torch.device):
        if not isinstance(got, torch.device):
            raise Fail(f"{what} should be a torch.device, but is {describe(got)}; wrap it: torch.device(...)")
        if got.type != want.type:
            raise Fail(f"{what} is the {got.type} device but should be {want.type}")
    elif isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            raise Fail(f"{what} should be a {type(want).__name__} of {len(want)} items, but is {describe(got)}")
        if type(want) is tuple and type(got) is not tuple:
            raise Fail(f"{what} should be a tuple, but is a {type(got).__name__}; return tuple(...)")
        if len(got) != len(want):
            raise Fail(f"{what} has {len(got)} items but should have {len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            compare(g, w, f"{what}[{i}]", rtol=rtol, atol=atol, dtype=dtype)
    elif got != want:
        raise Fail(f"{what} is {got!r} but should be {want!r}")


def compare_number(got: Any, want: float, what: str, *, rtol: float = 1e-4, atol: float = 1e-5) -> None:
    """Fail unless ``got`` is a Python number close to ``want`` (a tensor is named as the mistake)."""
    import torch

    if got is None:
        raise Fail(f"{what} returned None; did you forget a `return`?")
    if isinstance(got, torch.Tensor):
        raise Fail(f"{what} should be a Python number, but is {describe(got)}; use .item()")
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        raise Fail(f"{what} should be a number, but is {describe(got)}{advice(got)}")
    if not math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
        raise Fail(f"{what} is {_number(got)} but should be {_number(want)}")


def unchanged(before: Any, after: Any, what: str) -> None:
    """Fail when a function changed an input tensor in place (or left a gradient on it)."""
    import torch

    if isinstance(before, torch.Tensor):
        if after.requires_grad != before.requires_grad:
            raise Fail(f"{what} changed its input's requires_grad; work on a copy or use detach()")
        if after.grad is not None:
            raise Fail(f"{what} left a .grad on its input; gradients leaked out of the function")
        if after.shape != before.shape or not torch.equal(after.detach(), before.detach()):
            raise Fail(f"{what} changed its input in place; compute a new tensor instead")
    elif type(before).__name__ == "ndarray":
        if type(after).__name__ != "ndarray" or after.shape != before.shape or not (after == before).all():
            raise Fail(f"{what} changed its input NumPy array in place; compute a new array instead "
                       "(x = x - m makes a new one, x -= m writes into the caller's)")
    elif isinstance(before, (list, tuple)):
        if len(before) != len(after):
            raise Fail(f"{what} changed the list it was given; build a new one instead")
        for b, a in zip(before, after):
            unchanged(b, a, what)


def snapshot(value: Any) -> Any:
    """A copy of an argument to compare with after the call (see :func:`unchanged`)."""
    import torch

    if isinstance(value, torch.Tensor):
        copy = value.detach().clone()
        copy.requires_grad_(value.requires_grad)
        return copy
    if isinstance(value, (list, tuple)):
        return type(value)(snapshot(v) for v in value)
    if type(value).__name__ == "ndarray":
        return value.copy()
    return value
