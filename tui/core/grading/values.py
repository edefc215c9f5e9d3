"""What travels between the learner's process and the judge, and how it is read safely.

The learner's process turns every value (a result, an input after the call, a model's state) into a
tree of plain data with :func:`encode`: ``None``, booleans, numbers, strings, lists, string-keyed
dicts and plain tensors; anything else is a dict tagged ``"~"`` (``tuple``, ``ndarray``,
``device``, ``module``, ``object`` ...). Frames are written with ``torch.save`` and the judge reads
them with ``torch.load(weights_only=True)``, a restricted unpickler, so nothing the learner sends
can run code in the judge. :func:`decode` then rebuilds values the checks can compare; a value of a
type the judge does not rebuild comes back as a :class:`Foreign` that names its type.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

MAX_ITEMS = 10_000
"""Longest list, tuple or dict encoded; a longer one is cut (the checks name it by its length)."""
MAX_DEPTH = 20


@dataclass(frozen=True)
class Foreign:
    """A learner's value of a type the judge does not rebuild (its type's full name and a short repr)."""

    type_name: str
    text: str
    fields: tuple = ()

    def __repr__(self) -> str:
        return self.text


# -- in the learner's process ---------------------------------------------------------------


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    return f"{module}.{kind.__qualname__}" if module not in ("builtins", "") else kind.__qualname__


def _plain_tensor(value: Any) -> Any:
    import torch

    plain = value.detach()
    if type(plain) is not torch.Tensor:
        plain = plain.as_subclass(torch.Tensor)
    return plain.clone() if plain.device.type != "meta" else plain


def encode_tensor(value: Any) -> dict[str, Any]:
    """A tensor with what autograd knows about it."""
    return {"~": "tensor", "data": _plain_tensor(value), "requires_grad": bool(value.requires_grad),
            "graph": value.grad_fn is not None,
            "grad": _plain_tensor(value.grad) if value.is_leaf and value.grad is not None else None}


def encode(value: Any, depth: int = 0, seen: dict[int, Any] | None = None) -> Any:
    """A tree of plain data describing ``value`` (see the module's docstring)."""
    import numpy as np
    import torch

    if depth > MAX_DEPTH:
        return {"~": "object", "type": _type_name(value), "text": "(nested too deep)"}
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, torch.Tensor):
        return encode_tensor(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf" and value.dtype.itemsize <= 8:
            return {"~": "ndarray", "data": torch.from_numpy(np.ascontiguousarray(value)).clone(),
                    "dtype": str(value.dtype)}
        return {"~": "object", "type": "numpy.ndarray", "text": f"a NumPy array of dtype {value.dtype}"}
    if isinstance(value, np.generic):
        return {"~": "object", "type": f"numpy.{type(value).__name__}", "text": repr(value)[:80]}
    if isinstance(value, torch.device):
        return {"~": "device", "text": str(value)}
    if isinstance(value, torch.dtype):
        return {"~": "dtype", "text": str(value).removeprefix("torch.")}
    if isinstance(value, torch.Size):
        return {"~": "size", "items": [int(v) for v in value]}
    if isinstance(value, torch.nn.Module):
        return {"~": "module", "type": _type_name(value)}  # the judge asks for its description
    if hasattr(value, "_fields") and isinstance(value, tuple):
        return {"~": "object", "type": _type_name(value), "text": _type_name(value),
                "fields": list(value._fields)}
    if type(value) in (tuple, list):
        items = [encode(v, depth + 1) for v in value[:MAX_ITEMS]]
        return {"~": "tuple", "items": items} if type(value) is tuple else {"~": "list", "items": items}
    if type(value) is dict:
        pairs = list(value.items())[:MAX_ITEMS]
        return {"~": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in pairs]}
    try:
        text = repr(value)[:80]
    except Exception:  # noqa: BLE001  (a learner's __repr__ may raise)
        text = f"a {type(value).__name__}"
    return {"~": "object", "type": _type_name(value), "text": text}


def dump(tree: Any) -> bytes:
    """The bytes of one frame's payload (``torch.save`` of plain data)."""
    import torch

    buffer = io.BytesIO()
    torch.save(tree, buffer)
    return buffer.getvalue()


# -- in the judge ------------------------------------------------------------------------


def load(payload: bytes) -> Any:
    """Read a payload the learner's process sent, with the restricted unpickler."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a forged frame's pickle protocol is no reason to print
        return torch.load(io.BytesIO(payload), weights_only=True)


def decode_tensor(tree: dict[str, Any]) -> Any:
    """Rebuild a tensor so ``requires_grad``, ``grad_fn is not None`` and ``.grad`` read as they did."""
    import torch

    data = tree["data"]
    if type(data) is not torch.Tensor:
        raise ValueError("not a tensor")
    if tree.get("requires_grad") and (data.is_floating_point() or data.is_complex()):
        data = data.requires_grad_(True)
        if tree.get("graph"):
            data = data.clone()  # a non-leaf, like the learner's
    grad = tree.get("grad")
    if grad is not None and data.is_leaf and type(grad) is torch.Tensor:
        try:
            data.grad = grad
        except RuntimeError:
            pass
    return data


def decode(tree: Any, on_module: Any = None) -> Any:
    """Rebuild a value from :func:`encode`'s tree (numbers, tensors, arrays, tuples ...).

    ``on_module`` builds the judge's stand-in for a model the learner's code returned.
    """
    import numpy as np
    import torch

    if tree is None or type(tree) in (bool, int, float, str):
        return tree
    if isinstance(tree, torch.Tensor):
        return tree
    if not isinstance(tree, dict):
        raise ValueError(f"unexpected {type(tree).__name__} in a result")
    tag = tree.get("~")
    if tag == "tensor":
        return decode_tensor(tree)
    if tag == "ndarray":
        return tree["data"].numpy().astype(np.dtype(str(tree["dtype"])), copy=False)
    if tag == "device":
        return torch.device(str(tree["text"]))
    if tag == "dtype":
        dtype = getattr(torch, str(tree["text"]), None)
        return dtype if isinstance(dtype, torch.dtype) else Foreign("torch.dtype", str(tree["text"]))
    if tag == "size":
        return torch.Size([int(v) for v in tree["items"]])
    if tag == "tuple":
        return tuple(decode(v, on_module) for v in tree["items"])
    if tag == "list":
        return [decode(v, on_module) for v in tree["items"]]
    if tag == "dict":
        return {_key(decode(k)): decode(v, on_module) for k, v in tree["items"]}
    if tag == "module":
        if on_module is not None:
            return on_module(tree)
        return Foreign(str(tree["type"]), f"a {str(tree['type']).rsplit('.', 1)[-1]} module")
    return Foreign(str(tree.get("type", "object")), str(tree.get("text", "")), tuple(tree.get("fields") or ()))


def _key(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
