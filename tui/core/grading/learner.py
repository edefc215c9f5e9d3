"""The judge's handle on the learner's code: :class:`Learner`, the ``sub`` every hidden test gets.

``sub.NAME(*args)`` calls the learner's function in the learner's process and returns its result
rebuilt in the judge; an error the learner's code raised is raised here (a builtin type keeps its
type, so ``except ValueError`` works). The arguments are pickled to the learner's process, and
what the call did to them comes back and is written into the judge's own objects: a tensor changed
in place, a NumPy array, a model's parameters, ``.grad`` and ``requires_grad``, an optimizer's
state. So a check can step a twin model, look at ``model.parameters()`` after the call, or call
again, as if the learner's code had run here; it never did.

:attr:`Learner.last` holds what the learner's process observed during the last call
(:class:`Observed`); :meth:`Learner.call` takes options (pretend accelerators, writes after
the call). A model the learner's code returns comes back as a :class:`RemoteModule`.
"""

from __future__ import annotations

import builtins
import io
import pickle
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any

from tui.core.grading.channel import BrokenFrame, ChannelClosed, receive_frame, send_frame
from tui.core.grading.values import Foreign, decode, decode_tensor, load


class LearnerGone(BaseException):
    """The learner's process ended or stopped answering properly; the runner says why."""


class LearnerRaised(Exception):
    """An error the learner's code raised (mixed into the builtin type it had, where it had one)."""

    info: dict[str, Any]

    def describe(self) -> str:
        """``line 3 in f: ValueError: message``."""
        info = self.info
        where = f"line {info['line']}" + (f" in {info['where']}" if info.get("where") else "") + ": " if info.get("line") else ""
        return f"{where}{info['type']}" + (f": {info['message']}" if info.get("message") else "")


_RAISED_TYPES: dict[str, type] = {}


def learner_error(info: dict[str, Any]) -> LearnerRaised:
    """An exception to raise in the judge for one the learner's code raised."""
    name = str(info.get("type", "Exception"))
    base = getattr(builtins, name, None) if info.get("builtin") else None
    if not (isinstance(base, type) and issubclass(base, Exception)) or base is Exception:
        base = None
    key = name if base else "LearnerRaised"
    if key not in _RAISED_TYPES:
        _RAISED_TYPES[key] = type(name, (base, LearnerRaised), {}) if base else LearnerRaised
    error = _RAISED_TYPES[key](str(info.get("message", "")))
    error.info = info
    return error


@dataclass
class Observed:
    """What the learner's process saw during one call (see :mod:`tui.core.grading.observers`)."""

    grad_enabled_after: bool = True
    host_reads: int = 0
    backward_runs: int = 0
    graph_ops: int = 0
    grads_through_inputs: int = 0
    forwards: dict[str, list[list[int]]] = field(default_factory=dict)


@dataclass
class Call:
    """One call's answer: the result (rebuilt), the error (or None), and the observations."""

    result: Any
    error: LearnerRaised | None
    observed: Observed
    args_after: list[Any]
    after_pokes: dict[str, Any] | None = None


class RemoteModule:
    """A model the learner's code built: its layers and parameters as data, forward run remotely.

    ``modules`` lists ``(name, type name, info)``; Linear layers' info holds ``in_features``,
    ``out_features`` and ``bias``. ``parameters()`` are the judge's copies. Calling it runs the
    learner's forward in the learner's process and returns the output.
    """

    def __init__(self, learner: Learner, tree: dict[str, Any]) -> None:
        self.learner, self.handle = learner, int(tree["handle"])
        self.type_name = str(tree["type"])
        self.training = bool(tree.get("training"))
        self.modules = [(str(m["name"]), str(m["type"]), m) for m in tree["modules"]]
        self._params = {f"{name}.{p}".lstrip("."): decode_tensor(t)
                        for name, _, info in self.modules for p, t in info.get("params", {}).items()}

    def named_parameters(self) -> list[tuple[str, Any]]:
        """The parameters, by qualified name (the judge's copies)."""
        return list(self._params.items())

    def parameters(self) -> list[Any]:
        return list(self._params.values())

    def linear_layers(self) -> list[dict[str, Any]]:
        """Each ``nn.Linear``'s info, in registration order, with ``weight``/``bias`` tensors."""
        return [{"name": name, **info, "weight": self._params.get(f"{name}.weight".lstrip(".")),
                 "bias_tensor": self._params.get(f"{name}.bias".lstrip("."))}
                for name, kind, info in self.modules if kind == "Linear" and info.get("torch")]

    def __call__(self, *args: Any) -> Any:
        call = self.learner.call_handle(self.handle, *args)
        if call.error is not None:
            raise call.error
        return call.result

    def __repr__(self) -> str:
        return f"a {self.type_name} model"


class Learner:
    """The learner's code, seen from the judge (the ``sub`` of a hidden test)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.names: dict[str, bool] = {}
        self.source = ""
        self.last = Observed()
        self.last_call: Call | None = None

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        nonce = secrets.token_hex(16)
        try:
            send_frame(self._sock, dump_request({**request, "nonce": nonce}))
            answer = load(receive_frame(self._sock))
        except (ChannelClosed, BrokenPipeError, ConnectionResetError) as closed:
            raise LearnerGone("the learner's process ended") from closed
        except (BrokenFrame, Exception) as broken:  # noqa: BLE001  (anything unreadable is the learner's doing)
            raise LearnerGone(f"its answer could not be read ({type(broken).__name__})") from broken
        if not isinstance(answer, dict) or answer.get("nonce") != nonce:
            raise LearnerGone("an answer that was not the one asked for came back (was the channel written to?)")
        if answer.get("fault"):
            raise LearnerGone(f"the grader's side failed: {answer['fault']}")
        return answer

    def load(self, code: str, names: list[str]) -> dict[str, Any]:
        """Run the learner's module; the answer has ``error`` or ``defined`` (the names it has)."""
        self.source = code
        answer = self._ask({"op": "load", "code": code, "names": list(names)})
        self.names = {str(n): True for n in answer.get("defined", [])}
        return answer

    def uses(self, *words: str) -> list[str]:
        """Which of these names the source mentions (read as text here; prefer observed behaviour)."""
        from tui.core.grading.cases import Submission

        return Submission({}, self.source).uses(*words)

    def call(self, name: str, *args: Any, pretend: dict[str, bool] | None = None,
             pokes: list[tuple[Any, Any, Any]] | None = None, grad_mode: bool = True, watch_graph: bool = False,
             **kwargs: Any) -> Call:
        """Call the learner's ``name(*args, **kwargs)``; mirror what it did to the arguments.

        Args:
            pretend: ``{"cuda": bool, "mps": bool}``: what ``is_available()`` says during the call.
            pokes: ``(place, index, value)`` writes made after the call, ``place`` an argument's
                position or ``"result"``; what follows them comes back in ``after_pokes``.
            grad_mode: grad mode when the call starts.
            watch_graph: count the ops that record an autograd graph (``Observed.graph_ops``); off by
                default, as it slows every torch op of the call down.
        """
        return self._call({"op": "call", "name": name, "watch_graph": watch_graph}, args, kwargs, pretend, pokes,
                          grad_mode)

    def call_ranks(self, name: str, per_rank: list[tuple], timeout: float = 60.0) -> list[Call | None]:
        """Call ``name`` on each rank of a real gloo group, rank ``r`` with the arguments ``per_rank[r]``.

        Each rank's call is mirrored into its own arguments like a plain call's; a rank that gave no
        answer in ``timeout`` seconds (stuck in a collective the other rank never made) is None.
        """
        answer = self._ask({"op": "ranks", "name": name, "per_rank": [(tuple(a), {}) for a in per_rank],
                            "timeout": timeout})
        calls: list[Call | None] = []
        for args, payload in zip(per_rank, answer.get("ranks") or []):
            if payload is None:
                calls.append(None)
                continue
            try:
                tree = load(payload)
            except Exception as broken:  # noqa: BLE001  (the learner's doing)
                raise LearnerGone(f"a rank's answer could not be read ({type(broken).__name__})") from broken
            if not isinstance(tree, dict) or tree.get("fault"):
                raise LearnerGone(str(tree.get("fault") if isinstance(tree, dict) else "a rank's answer was not data"))
            calls.append(self._read_call(tree, tuple(args)))
        return calls

    def call_handle(self, handle: int, *args: Any, **kwargs: Any) -> Call:
        """Call an object the learner's code returned earlier (a model's forward)."""
        return self._call({"op": "call", "handle": handle}, args, kwargs, None, None, True)

    def _call(self, request: dict[str, Any], args: tuple, kwargs: dict[str, Any], pretend: Any, pokes: Any,
              grad_mode: bool) -> Call:
        answer = self._ask({**request, "args": (args, kwargs), "pretend": pretend, "pokes": pokes or [],
                            "grad_mode": grad_mode})
        return self._read_call(answer, args)

    def _read_call(self, answer: dict[str, Any], args: tuple) -> Call:
        try:
            observed = Observed(**{k: v for k, v in (answer.get("observed") or {}).items()
                                   if k in Observed.__dataclass_fields__})
            after = answer.get("args_after") or []
            for local, tree, replaced in zip(args, after, answer.get("replaced") or [None] * len(args)):
                mirror(local, tree, replaced)
            error = learner_error(answer["error"]) if answer.get("error") else None
            result = None if error else decode(answer.get("result"), self._module)
            pokes_after = answer.get("after_pokes")
            if pokes_after:
                pokes_after = {"result": decode(pokes_after.get("result"), self._module),
                               "args": [decode(a) for a in pokes_after.get("args", [])]}
        except LearnerGone:
            raise
        except Exception as broken:  # noqa: BLE001  (a malformed answer is the learner's doing)
            raise LearnerGone(f"its answer could not be read ({type(broken).__name__}: {broken})") from broken
        self.last = observed
        self.last_call = Call(result, error, observed, after, pokes_after)
        return self.last_call

    def _module(self, tree: dict[str, Any]) -> Any:
        return RemoteModule(self, tree) if "handle" in tree else Foreign(str(tree.get("type")), "a module")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def function(*args: Any, **kwargs: Any) -> Any:
            call = self.call(name, *args, **kwargs)
            if call.error is not None:
                raise call.error
            return call.result

        function.__name__ = name
        return function


class _RequestPickler(pickle.Pickler):
    """Pickles arguments keeping each leaf tensor's ``.grad`` (plain pickling drops it)."""

    def reducer_override(self, obj: Any) -> Any:
        import torch

        if isinstance(obj, torch.Tensor) and obj.is_leaf and obj.grad is not None:
            from tui.core.grading.sandbox import rebuild_with_grad

            parameter = isinstance(obj, torch.nn.Parameter)
            return rebuild_with_grad, (obj.detach(), obj.requires_grad, obj.grad.detach(), parameter)
        return NotImplemented


def dump_request(request: dict[str, Any]) -> bytes:
    """A request's bytes: the judge's objects, pickled with their gradients."""
    buffer = io.BytesIO()
    _RequestPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(request)
    return buffer.getvalue()


# -- writing the call's effects into the judge's objects --------------------------------------


def mirror(local: Any, tree: Any, replaced: Any = None) -> None:
    """Make the judge's argument ``local`` look as the learner's copy did after the call."""
    import numpy as np
    import torch
    from torch import nn

    if isinstance(local, torch.Tensor) and isinstance(tree, dict) and tree.get("~") == "tensor":
        _mirror_tensor(local, tree)
    elif isinstance(local, np.ndarray) and isinstance(tree, dict) and tree.get("~") == "ndarray":
        after = decode(tree)
        if after.shape == local.shape:
            local[...] = after
    elif isinstance(local, nn.Module) and isinstance(tree, dict) and tree.get("~") == "module-state":
        _mirror_module(local, tree)
    elif isinstance(local, torch.optim.Optimizer) and isinstance(tree, dict) and tree.get("~") == "optimizer":
        local.load_state_dict(decode(tree["state"]))
    elif isinstance(local, (list, tuple)) and isinstance(tree, dict) and tree.get("~") in ("list", "tuple"):
        items = tree["items"]
        for value, sub in zip(local, items):
            mirror(value, sub)
        if isinstance(local, list) and len(items) != len(local):
            local[:] = [decode(t) for t in items]
    elif type(local) is dict and isinstance(tree, dict) and tree.get("~") == "dict":
        after = {_plain_key(decode(k)): v for k, v in tree["items"]}
        changed = {_plain_key(decode(k)) for k in (replaced or [])}
        for key in list(local):
            if key not in after:
                del local[key]
        for key, sub in after.items():
            if key in changed or key not in local:
                local[key] = decode(sub)
            else:
                mirror(local[key], sub)


def _plain_key(key: Any) -> Any:
    try:
        hash(key)
    except TypeError:
        return repr(key)
    return key


def _mirror_tensor(local: Any, tree: dict[str, Any]) -> None:
    import torch

    data = tree["data"]
    with torch.no_grad():
        if local.shape == data.shape and local.dtype == data.dtype and local.device == data.device:
            if not torch.equal(local.detach(), data):
                local.detach().copy_(data)
        else:
            local.data = data
    if local.is_leaf and (local.is_floating_point() or local.is_complex()):
        local.requires_grad_(bool(tree.get("requires_grad")))
    if local.is_leaf:
        grad = tree.get("grad")
        try:
            local.grad = grad if isinstance(grad, torch.Tensor) else None
        except RuntimeError:
            pass


def _mirror_module(local: Any, tree: dict[str, Any]) -> None:
    params = dict(local.named_parameters())
    for name, sub in tree.get("params", {}).items():
        if name in params:
            _mirror_tensor(params[name], sub)
    buffers = dict(local.named_buffers())
    for name, sub in tree.get("buffers", {}).items():
        if name in buffers:
            _mirror_tensor(buffers[name], sub)
    modes = tree.get("training", {})
    for name, module in local.named_modules():
        if name in modes:
            module.training = bool(modes[name])
