"""The learner's process: runs the learner's module and calls its functions for the judge.

It holds no reference solution, no expected value and no comparison: the judge sends requests
over a socket (``load`` the code, ``call`` a function with arguments, ``forward`` a model the
learner built) and this side answers with what happened, as data (see
:mod:`tui.core.grading.values`): the result or the error, the arguments after the call (tensors,
arrays, models' parameters, gradients and ``requires_grad``, optimizers' state), and what
:mod:`tui.core.grading.observers` saw (grad mode, host reads, autograd runs, forward calls).
Requests are pickled by the judge (trusted); answers are plain data read with a restricted
unpickler. Every answer echoes the request's nonce.
"""

from __future__ import annotations

import io
import os
import pickle
import socket
import sys
import traceback
from contextlib import nullcontext
from typing import Any

from tui.core.grading.channel import ChannelClosed, receive_frame, send_frame
from tui.core.grading.observers import AutogradWatch, Accelerators, HostReads, modules_in, watch_forwards
from tui.core.grading.ranks import run_ranks
from tui.core.grading.values import dump, encode, encode_tensor

SUBMISSION_FILE = "solution.py"
BROKEN_EXIT = 71
"""Exit status of a learner's process whose own serving code failed (the learner's code broke it)."""


class Expr:
    """A function of ``t`` given to the learner's code as text (``"3*t**2"``), built in its process.

    A backward pass through its result is counted in :attr:`grads_seen`, so a check can tell
    autograd ran through it.
    """

    grads_seen = 0

    def __init__(self, text: str) -> None:
        self.text = text
        self._fn = None

    def __getstate__(self) -> dict[str, Any]:
        return {"text": self.text}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.text, self._fn = state["text"], None

    def __call__(self, t: Any) -> Any:
        import torch

        if self._fn is None:
            self._fn = eval(f"lambda t: {self.text}", {"torch": torch})  # noqa: S307  (grader-owned text)
        out = self._fn(t)
        if isinstance(out, torch.Tensor) and out.requires_grad:
            def seen(grad: Any) -> None:
                Expr.grads_seen += 1

            out.register_hook(seen)
        return out

    def __repr__(self) -> str:
        return self.text


def rebuild_with_grad(data: Any, requires_grad: bool, grad: Any, parameter: bool) -> Any:
    """A tensor (or parameter) with its ``.grad``, which plain pickling drops."""
    import torch

    tensor = torch.nn.Parameter(data, requires_grad=requires_grad) if parameter else data.requires_grad_(requires_grad)
    tensor.grad = grad
    return tensor


_GRADER_NAMES = {"Expr": Expr, "rebuild_with_grad": rebuild_with_grad}


class _Requests(pickle.Unpickler):
    """Reads the judge's pickles; grader names are found here, never by importing the grader."""

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("tui.") and name in _GRADER_NAMES:
            return _GRADER_NAMES[name]
        return super().find_class(module, name)


def describe_error(error: BaseException, file: str = SUBMISSION_FILE) -> dict[str, Any]:
    """An exception as data: its type, first line of message, and the learner's line it came from."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == file]
    line, where = None, ""
    if isinstance(error, SyntaxError) and error.filename == file:
        return {"type": "SyntaxError", "builtin": True, "message": str(error.msg), "line": error.lineno, "where": ""}
    if frames:
        line = frames[-1].lineno
        where = frames[-1].name if frames[-1].name != "<module>" else ""
    text = str(error).strip().splitlines()
    kind = type(error)
    return {"type": kind.__name__, "builtin": kind.__module__ == "builtins", "message": text[0] if text else "",
            "line": line, "where": where}


class Sandbox:
    """Serves one judge over one socket until it closes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.namespace: dict[str, Any] = {}
        self.handles: dict[int, Any] = {}
        self.reads, self.autograd, self.accelerators = HostReads(), AutogradWatch(), Accelerators()

    def install(self) -> None:
        """Put the observers in place (before the learner's module runs)."""
        self.reads.install()
        self.autograd.install()
        self.accelerators.install()

    def serve(self) -> None:
        """Answer requests until the judge closes the socket."""
        while True:
            try:
                request = _Requests(io.BytesIO(receive_frame(self.sock))).load()
            except ChannelClosed:
                return
            try:
                answer = getattr(self, f"op_{request['op']}")(request)
            except Exception as fault:  # noqa: BLE001  (said to the judge, which fails the test)
                answer = {"fault": f"{type(fault).__name__}: {fault}"}
            send_frame(self.sock, dump({"nonce": request["nonce"], **answer}))

    # -- requests ---------------------------------------------------------------------------

    def op_load(self, request: dict[str, Any]) -> dict[str, Any]:
        namespace: dict[str, Any] = {"__name__": "solution", "__file__": SUBMISSION_FILE}
        try:
            exec(compile(request["code"], SUBMISSION_FILE, "exec"), namespace)  # noqa: S102
        except BaseException as error:  # whatever the learner's module raises is the verdict
            return {"error": describe_error(error)}
        self.namespace = namespace
        return {"defined": [n for n in request["names"] if n in namespace]}

    def op_ranks(self, request: dict[str, Any]) -> dict[str, Any]:
        """Call a function on every rank of a gloo group (see :mod:`tui.core.grading.ranks`)."""
        target = self.namespace.get(request["name"])
        per_rank = request["per_rank"]

        def answer(rank: int, target: Any, args: tuple, kwargs: dict) -> dict[str, Any]:
            return self._call_and_observe(target, args, kwargs, {"grad_mode": True})

        return {"ranks": run_ranks(len(per_rank), target, per_rank, answer, float(request.get("timeout", 60)))}

    def op_call(self, request: dict[str, Any]) -> dict[str, Any]:
        args, kwargs = request["args"]
        target = self.handles.get(request["handle"]) if "handle" in request else self.namespace.get(request["name"])
        return self._call_and_observe(target, args, kwargs, request)

    def _call_and_observe(self, target: Any, args: tuple, kwargs: dict, request: dict[str, Any]) -> dict[str, Any]:
        import torch

        keys_before = _dict_identities(args)
        self._reset()
        torch.set_grad_enabled(bool(request.get("grad_mode", True)))
        result, error = None, None
        recording = self.autograd.recording() if request.get("watch_graph") else nullcontext()
        with watch_forwards(args) as forwards, self.accelerators.pretend(request.get("pretend")), recording:
            self._watch(True)
            try:
                result = target(*args, **kwargs)
            except BaseException as failure:  # the learner's error is data for the judge
                error = describe_error(failure)
            finally:
                self._watch(False)
        observed = {"grad_enabled_after": torch.is_grad_enabled(), "host_reads": self.reads.count,
                    "backward_runs": self.autograd.backward_runs, "graph_ops": self.autograd.graph_ops,
                    "grads_through_inputs": Expr.grads_seen, "forwards": forwards}
        torch.set_grad_enabled(True)
        answer = {"error": error, "observed": observed, "result": self._encode_result(result),
                  "args_after": [encode_argument(a) for a in args],
                  "replaced": _replaced(args, keys_before)}
        for place, index, value in request.get("pokes", []):
            target_value = result if place == "result" else args[place]
            try:
                target_value[index] = value
            except Exception:  # noqa: BLE001  (a result that cannot be written to: said by what comes back)
                pass
        if request.get("pokes"):
            answer["after_pokes"] = {"result": self._encode_result(result), "args": [encode_argument(a) for a in args]}
        return answer

    def _reset(self) -> None:
        self.reads.count = 0
        self.autograd.backward_runs = self.autograd.graph_ops = 0
        Expr.grads_seen = 0

    def _watch(self, on: bool) -> None:
        self.reads.active = self.autograd.active = on

    def _encode_result(self, result: Any) -> Any:
        from torch import nn

        if isinstance(result, nn.Module):
            handle = len(self.handles) + 1
            self.handles[handle] = result
            return {"~": "module", "handle": handle, **describe_module(result)}
        if isinstance(result, (tuple, list)) and any(isinstance(r, nn.Module) for r in result):
            return {"~": "tuple" if isinstance(result, tuple) else "list",
                    "items": [self._encode_result(r) for r in result]}
        try:
            return encode(result)
        except Exception as error:  # noqa: BLE001  (a value that cannot be described: the judge says so)
            return {"~": "object", "type": type(result).__name__, "text": f"(could not be read: {error})"}


def describe_module(module: Any) -> dict[str, Any]:
    """A model as data: each submodule's name, type and sizes, its parameters and its mode."""
    from torch import nn

    parts = []
    for name, sub in module.named_modules():
        info: dict[str, Any] = {"name": name, "type": type(sub).__name__,
                                "torch": type(sub).__module__.startswith("torch.nn")}
        if isinstance(sub, nn.Linear):
            info.update(in_features=sub.in_features, out_features=sub.out_features, bias=sub.bias is not None)
        info["params"] = {n: encode_tensor(p) for n, p in sub.named_parameters(recurse=False)}
        if isinstance(sub, nn.Sequential):
            info["children"] = [type(c).__name__ for c in sub]
        parts.append(info)
    return {"type": type(module).__name__, "modules": parts, "training": module.training}


def encode_argument(value: Any) -> Any:
    """An argument after the call: data, or a model's parameters and an optimizer's state."""
    import torch
    from torch import nn

    if isinstance(value, nn.Module):
        return {"~": "module-state", "params": {n: encode_tensor(p) for n, p in value.named_parameters()},
                "buffers": {n: encode_tensor(b) for n, b in value.named_buffers()},
                "training": {n: m.training for n, m in value.named_modules()}}
    if isinstance(value, torch.optim.Optimizer):
        return {"~": "optimizer", "state": encode(value.state_dict())}
    if isinstance(value, (list, tuple)) and modules_in(value):
        return {"~": "list", "items": [encode_argument(v) for v in value]}
    return encode(value)


def _dict_identities(args: tuple) -> list[dict[Any, int] | None]:
    return [{k: id(v) for k, v in a.items()} if type(a) is dict else None for a in args]


def _replaced(args: tuple, before: list[dict[Any, int] | None]) -> list[Any]:
    """For each dict argument: the keys whose value the call replaced, added or removed."""
    out: list[Any] = []
    for arg, ids in zip(args, before):
        if ids is None or type(arg) is not dict:
            out.append(None)
            continue
        keys = set(ids) | set(arg)
        out.append([encode(k) for k in keys if k not in arg or k not in ids or id(arg[k]) != ids[k]])
    return out


def serve_learner(sock: socket.socket, fenced_folders: list[str], blocked: list[str]) -> None:
    """The learner process's whole life: fence it, install the observers, then serve the judge."""
    import resource

    from tui.core.grading.fence import block_imports, hide_folders

    sandbox = Sandbox(sock)
    sandbox.install()
    hide_folders(fenced_folders)
    block_imports(blocked)
    limit = 8 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.argv = ["solution.py"]
    code = BROKEN_EXIT
    try:
        sandbox.serve()
        code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)
