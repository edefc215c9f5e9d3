"""What the learner's process watches while a learner's function runs (grader-owned, no verdicts).

Installed once, before the learner's module is loaded, so names the learner binds early
(``from torch.cuda import is_available``, ``item = torch.Tensor.item``) still go through them:

- :class:`HostReads`: every read of a tensor's values into Python (``.item()``, ``.tolist()``,
  ``.cpu()``, ``.numpy()``, ``float()``, ``int()``, ``bool()``, ``np.asarray``, ``.to("cpu")``);
- :class:`AutogradWatch`: each entry into the autograd engine (``backward()``, ``autograd.grad``,
  ``torch.func``) and each op that recorded a graph (a result with a ``grad_fn``);
- :func:`pretend_accelerators`: CUDA and MPS made to look present or absent, by rewriting the
  code of ``is_available`` itself, so every reference to the function sees it;
- :func:`watch_forwards`: the leading size of every forward call of the models given to a call.

Nothing here compares a value with an expected one: the counts go back to the judge as data.
"""

from __future__ import annotations

import types
from contextlib import contextmanager
from typing import Any, Iterator

READ_METHODS = ("item", "tolist", "cpu", "numpy", "__float__", "__int__", "__bool__", "__index__", "__array__")


class HostReads:
    """Counts host reads while :attr:`active`."""

    def __init__(self) -> None:
        self.count = 0
        self.active = False

    def install(self) -> None:
        import torch

        for name in READ_METHODS:
            original = getattr(torch.Tensor, name, None)
            if original is not None:
                setattr(torch.Tensor, name, self._counting(original))
        original_to = torch.Tensor.to

        def to(tensor: Any, *args: Any, **kwargs: Any) -> Any:
            if self.active and _to_cpu(args, kwargs):
                self.count += 1
            return original_to(tensor, *args, **kwargs)

        torch.Tensor.to = to

    def _counting(self, original: Any) -> Any:
        watch = self

        def read(tensor: Any, *args: Any, **kwargs: Any) -> Any:
            if watch.active:
                watch.count += 1
                watch.active = False  # a read made of other reads (float() -> item()) counts once
                try:
                    return original(tensor, *args, **kwargs)
                finally:
                    watch.active = True
            return original(tensor, *args, **kwargs)

        read.__name__ = getattr(original, "__name__", "read")
        return read


def _to_cpu(args: tuple, kwargs: dict) -> bool:
    for value in (*args, kwargs.get("device")):
        if str(value) == "cpu":
            return True
    return False


class AutogradWatch:
    """Counts autograd engine runs and graph-recording ops while :attr:`active`."""

    def __init__(self) -> None:
        self.backward_runs = 0
        self.graph_ops = 0
        self.active = False

    def install(self) -> None:
        from torch.autograd.variable import Variable

        engine = Variable._execution_engine
        watch = self

        class CountingEngine:
            """The autograd engine, counting its runs."""

            def run_backward(self, *args: Any, **kwargs: Any) -> Any:
                if watch.active:
                    watch.backward_runs += 1
                return engine.run_backward(*args, **kwargs)

            def __getattr__(self, name: str) -> Any:
                return getattr(engine, name)

        Variable._execution_engine = CountingEngine()

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Count ops whose result records a graph, on this thread, while inside."""
        import torch
        from torch.overrides import TorchFunctionMode

        watch = self

        class GraphOps(TorchFunctionMode):
            def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: Any = None) -> Any:
                out = func(*args, **(kwargs or {}))
                if watch.active and _records_graph(out, torch.Tensor):
                    watch.graph_ops += 1
                return out

        with GraphOps():
            yield


def _records_graph(out: Any, tensor_type: type) -> bool:
    if isinstance(out, tensor_type):
        return out.grad_fn is not None
    if isinstance(out, (tuple, list)):
        return any(isinstance(o, tensor_type) and o.grad_fn is not None for o in out[:8])
    return False


_PRETEND_SOURCE = """
def is_available():
    if _tensordojo_pretend[0] is not None:
        return _tensordojo_pretend[0]
    return _tensordojo_original()
"""


def _rewrite_is_available(module: Any) -> list[Any]:
    """Point ``module.is_available``'s code at a pretend switch; returns ``[switch, cache_clear or None]``."""
    cached = module.is_available
    original = getattr(cached, "__wrapped__", cached)  # torch.backends.mps's is cached with lru_cache
    state: list[Any] = [None, getattr(cached, "cache_clear", None)]
    module._tensordojo_original = types.FunctionType(original.__code__, original.__globals__, "is_available",
                                                     original.__defaults__, original.__closure__)
    module._tensordojo_pretend = state
    scratch: dict[str, Any] = {}
    exec(_PRETEND_SOURCE, scratch)  # noqa: S102  (grader-owned source)
    original.__code__ = scratch["is_available"].__code__
    return state


class Accelerators:
    """Pretend CUDA and MPS are there or not (for ``pick_device``-style exercises)."""

    def __init__(self) -> None:
        self.states: dict[str, list[Any]] = {}

    def install(self) -> None:
        import torch

        self.states = {"cuda": _rewrite_is_available(torch.cuda), "mps": _rewrite_is_available(torch.backends.mps)}

    @contextmanager
    def pretend(self, present: dict[str, bool] | None) -> Iterator[None]:
        """Inside, ``torch.cuda.is_available()`` and ``torch.backends.mps.is_available()`` say ``present``."""
        for name, state in self.states.items():
            state[0] = None if present is None else bool(present.get(name, False))
            if state[1] is not None:
                state[1]()
        try:
            yield
        finally:
            for state in self.states.values():
                state[0] = None
                if state[1] is not None:
                    state[1]()


def modules_in(value: Any, path: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    """The ``nn.Module``s in a call's arguments, with their place (``0``, ``1.x``)."""
    from torch import nn

    if isinstance(value, nn.Module):
        return [(path, value)]
    if depth > 3:
        return []
    if isinstance(value, (list, tuple)):
        return [m for i, v in enumerate(value) for m in modules_in(v, f"{path}.{i}".lstrip("."), depth + 1)]
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in modules_in(v, f"{path}.{k}".lstrip("."), depth + 1)]
    return []


@contextmanager
def watch_forwards(args: tuple) -> Iterator[dict[str, list[list[int]]]]:
    """Record the shape of the first input of every forward call of each model in ``args``."""
    import torch

    seen: dict[str, list[list[int]]] = {}
    handles = []
    for place, module in modules_in(args):
        calls = seen.setdefault(place, [])

        def note(_module: Any, inputs: tuple, calls: list = calls) -> None:
            first = next((i for i in inputs if isinstance(i, torch.Tensor)), None)
            calls.append(list(first.shape) if first is not None else [])

        handles.append(module.register_forward_pre_hook(note))
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()
