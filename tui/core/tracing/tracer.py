"""Recording every torch operation a piece of code runs, with shapes, source lines and layers.

:class:`ShapeTracer` is a context manager around ``torch.overrides.TorchFunctionMode`` (one
thread: modes are per thread) plus global module hooks that follow ``nn.Module`` forwards and
optimizer hooks that fold ``optimizer.step()`` into one row. torch is imported only when a tracer
is entered, so this module stays cheap to import.

Cost matters: a training loop runs thousands of ops. Past the first ``max_ops`` an op costs a
name lookup (cached per function) and, only for the ops the silent-bug checks read, a shape read.
Source lines are looked up only for ops that are kept or warned about, with the files and lines
cached.
"""

from __future__ import annotations

import linecache
import sys
import warnings
from typing import Any, Callable

from tui.core.tracing import operands
from tui.core.tracing.library import LibraryCalls
from tui.core.tracing.names import ELEMENTWISE, INIT_FUNCTIONS, INIT_OPS, op_name
from tui.core.tracing.operands import _extra_args, _failure_facts, _shape, tensor_shapes
from tui.core.tracing.postmortem import failure_from_traceback
from tui.core.tracing.records import Failure, LayerRecord, OpRecord, module_attributes, module_detail
from tui.core.tracing.silent import broadcast_pair, gather_note, silent_broadcast_note

__all__ = ["MAX_OPS", "MAX_LAYERS", "ShapeTracer", "OpRecord", "LayerRecord", "Failure", "op_name",
           "broadcast_pair", "silent_broadcast_note", "tensor_shapes"]

MAX_OPS = 300
MAX_LAYERS = 200
MAX_FAILURES = 8
_CHECKED = ELEMENTWISE | {"gather"}
_CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")


class ShapeTracer(LibraryCalls):
    """Records ops and module forwards while active.

    Args:
        is_user_file: tells whether a frame's file is the learner's code (for source lines).
        namer: names a top-level module (the kernel looks it up in the namespace).
        max_ops: ops kept in full; later ones are only counted (a failing op is always kept, and
            the silent-bug checks go on).
        cell_of: the REPL's input number for a cell's file name, to label lines ``In [49] line 14``.
    """

    def __init__(self, is_user_file: Callable[[str], bool], namer: Callable[[Any], str] | None = None,
                 max_ops: int = MAX_OPS, cell_of: Callable[[str], int | None] | None = None) -> None:
        self.is_user_file = is_user_file
        self.namer = namer or (lambda module: type(module).__name__.lower())
        self.max_ops = max_ops
        self.cell_of = cell_of
        self.ops: list[OpRecord] = []
        self.dropped = 0
        self.late_notes: list[OpRecord] = []
        """Silent-bug warnings raised after the trace was full (each source line once)."""
        self.layers: list[LayerRecord] = []
        self.failures: list[Failure] = []
        self.last_shapes: dict[int, tuple[int, ...] | None] = {}
        self._open: list[LayerRecord] = []
        self._names: dict[int, str] = {}
        self._mode: Any = None
        self._hooks: list[Any] = []
        self._noted: set[tuple[Any, ...]] = set()
        self._user_files: dict[str, bool] = {}
        self._stepping = 0
        self._cells: dict[str, int | None] = {}
        self._popped = False
        self._kinds: dict[Any, int] = {}
        self._folded: list[tuple[type, str, Any]] = []
        self._module_hooks: list[Any] = []
        self._mode_on = False
        self._steps_past = 0
        self.sampled = False
        """Whether, past the listed ops, the tracer watched only one optimizer step in SAMPLE_EVERY."""

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> "ShapeTracer":
        import torch
        from torch.overrides import TorchFunctionMode

        operands.know_tensors(torch.Tensor)

        tracer = self

        kinds = self._kinds

        class _Mode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                # The fast path, inline: a training loop runs thousands of ops, most of them
                # attribute reads (kind 0) that are passed straight through.
                kind = kinds.get(func)
                if kind is None:
                    kind = tracer._kind(func)
                if kind == 0:
                    return func(*args, **kwargs) if kwargs else func(*args)
                kwargs = kwargs or {}
                if tracer._stepping or len(tracer.ops) >= tracer.max_ops:
                    try:
                        result = func(*args, **kwargs)
                    except Exception as error:
                        tracer._record_failure(func, args, kwargs, error)
                        raise
                    if not tracer._stepping:
                        tracer.dropped += 1
                        if kind == 2:
                            tracer._check_late(func, args, kwargs)
                    return result
                return tracer._call(func, args, kwargs)

        self._shown: set[tuple[Any, ...]] = set()
        self._showwarning = warnings.showwarning
        warnings.showwarning = self._show_warning
        self._mode = _Mode()
        self._mode.__enter__()
        self._mode_on = True
        self._watch_modules(True)
        self._fold(torch.optim.Optimizer, "zero_grad")
        self._fold(torch.nn.Module, "zero_grad")
        self._list_call(torch, "from_numpy")
        import torch.optim.optimizer as optimizer  # torch.optim's own name for it is deleted on import

        if hasattr(optimizer, "register_optimizer_step_pre_hook"):
            self._hooks += [optimizer.register_optimizer_step_pre_hook(self._step_enter),
                            optimizer.register_optimizer_step_post_hook(self._step_exit)]
        return self

    def _watch_modules(self, on: bool) -> None:
        """Follow module calls (global forward hooks), or stop: the hooks slow every module call."""
        import torch

        if on and not self._module_hooks:
            module_hooks = torch.nn.modules.module
            self._module_hooks = [
                module_hooks.register_module_forward_pre_hook(self._layer_enter),
                module_hooks.register_module_forward_hook(self._layer_exit, always_call=True),
            ]
        elif not on:
            for hook in self._module_hooks:
                hook.remove()
            self._module_hooks = []
            self._open.clear()

    def __exit__(self, *exc: object) -> None:
        if warnings.showwarning == self._show_warning:
            warnings.showwarning = self._showwarning
        self._watch_modules(False)
        for hook in self._hooks:
            hook.remove()
        self._hooks = []
        for owner, name, original in reversed(self._folded):
            setattr(owner, name, original)
        self._folded = []
        self._stepping = 0
        if self._mode is not None:
            if self._mode_on:
                self._mode.__exit__(None, None, None)
            self._mode, self._mode_on, self._popped = None, False, False

    # -- where in the learner's code -----------------------------------------------------

    def _show_warning(self, message: Any, category: type, filename: str, lineno: int, file: Any = None,
                      line: Any = None) -> None:
        """Show a warning at the learner's line, once per line: torch's stack level points into the
        tracer (or torch) when the call went through the mode."""
        if not self._is_user(filename):
            frame = sys._getframe(1)
            while frame is not None and not self._is_user(frame.f_code.co_filename):
                frame = frame.f_back
            if frame is not None:
                filename, lineno, line = frame.f_code.co_filename, frame.f_lineno, None
        key = (filename, lineno, category, str(message))
        if key in self._shown:
            return
        self._shown.add(key)
        self._showwarning(message, category, filename, lineno, file, line)

    def _is_user(self, filename: str) -> bool:
        known = self._user_files.get(filename)
        if known is None:
            known = self._user_files[filename] = bool(self.is_user_file(filename))
        return known

    def _cell(self, filename: str) -> int | None:
        if self.cell_of is None:
            return None
        if filename not in self._cells:
            self._cells[filename] = self.cell_of(filename)
        return self._cells[filename]

    def _where(self) -> tuple[int | None, str, int | None]:
        frame = sys._getframe(3)
        while frame is not None:
            filename = frame.f_code.co_filename
            if self._is_user(filename):
                line = frame.f_lineno
                cell = self._cell(filename)
                return line, linecache.getline(filename, line).strip(), cell
            frame = frame.f_back
        return None, "", None

    def _kind(self, func: Any) -> int:
        """0: not an op (attribute reads, bookkeeping); 1: an op; 2: an op the silent-bug checks read."""
        name = op_name(func)
        kind = 0 if name is None else 2 if name.rstrip("_") in _CHECKED else 1
        try:
            self._kinds[func] = kind
        except TypeError:  # an unhashable callable: classified each time
            pass
        return kind

    @staticmethod
    def _initialising() -> bool:
        frame = sys._getframe(3)
        for _ in range(8):
            if frame is None:
                return False
            if frame.f_code.co_name in INIT_FUNCTIONS and "torch" in frame.f_code.co_filename:
                return True
            frame = frame.f_back
        return False

    @property
    def full(self) -> bool:
        """Whether the trace holds its maximum of ops (later ones are only counted)."""
        return len(self.ops) >= self.max_ops

    # -- recording -----------------------------------------------------------------------

    def _call(self, func: Any, args: tuple, kwargs: dict) -> Any:
        name = op_name(func)
        if name is None or (name in INIT_OPS and self._initialising()):
            return func(*args, **kwargs)
        inputs = tensor_shapes(args) + tensor_shapes(kwargs.values())
        try:
            result = func(*args, **kwargs)
        except Exception as error:
            self._record(name, inputs, None, args, kwargs, error=error)
            raise
        output = _shape(result)
        if output is None and isinstance(result, (tuple, list)) and result:
            output = _shape(result[0])
        self._record(name, inputs, output, args, kwargs)
        return result

    def _note(self, name: str, inputs: list, args: tuple, kwargs: dict) -> str:
        if name == "gather":
            return gather_note(inputs, _extra_args(name, args, kwargs).get("dim"))
        return silent_broadcast_note(name, inputs)

    def _check_late(self, func: Any, args: tuple, kwargs: dict) -> None:
        """The silent-bug checks on an op past the cap: a row only when it warns, once per line."""
        name = op_name(func) or ""
        inputs = tensor_shapes(args) + tensor_shapes(kwargs.values())
        note = self._note(name, inputs, args, kwargs)
        if note:
            line, source, cell = self._where()
            if (cell, line, source, name) not in self._noted:
                self._noted.add((cell, line, source, name))
                self.late_notes.append(OpRecord(name, inputs, None, line, source, self._layer_name(), note=note, cell=cell))

    def _record_failure(self, func: Any, args: tuple, kwargs: dict, error: BaseException) -> None:
        """Keep the op that raised even when the trace is full: the explainer needs its shapes."""
        name = op_name(func)
        if name is not None:
            self._record(name, tensor_shapes(args) + tensor_shapes(kwargs.values()), None, args, kwargs, error=error)

    def _layer_name(self) -> str | None:
        if not self._open:
            return None
        record, module, _ = self._open[-1]
        return record.name if record is not None else self._module_name(module)

    def _record(self, name: str, inputs: list, output: Any, args: tuple, kwargs: dict,
                error: BaseException | None = None) -> None:
        line, source, cell = self._where()
        extra = _extra_args(name, args, kwargs)
        if error is not None:
            extra = {**extra, **_failure_facts(args, kwargs)}
        record = OpRecord(name, inputs, output, line, source, self._layer_name(), error is not None, args=extra, cell=cell)
        if error is None:
            note = self._note(name, inputs, args, kwargs)
            if note and (cell, line, source, name) not in self._noted:
                self._noted.add((cell, line, source, name))
                record.note = note
        self.ops.append(record)
        if error is not None:
            self._failure(error).op = self._failure(error).op or record

    def _failure(self, error: BaseException) -> Failure:
        for failure in self.failures:
            if failure.error is error:
                return failure
        failure = Failure(error)
        self.failures.append(failure)
        del self.failures[:-MAX_FAILURES]
        return failure

    def _layer_enter(self, module: Any, args: tuple) -> None:
        if len(self.layers) >= MAX_LAYERS:  # past the cap: keep only what names a failing layer, lazily
            self._open.append((None, module, args))
            return
        if not self._open and not self._names.get(id(module)):
            top = self.namer(module)
            self._names = {id(m): (f"{top}.{n}" if n else top) for n, m in module.named_modules()}
        with self._no_mode():
            shapes = tensor_shapes(args)
        record = LayerRecord(self._module_name(module), type(module).__name__, shapes, detail=module_detail(module))
        self._open.append((record, module, args))
        self.layers.append(record)

    def _no_mode(self) -> Any:
        """Reads in the module hooks (``.shape``, ``.dtype``) bypass the mode: they are not ops."""
        import torch

        return torch._C.DisableTorchFunction()

    def _module_name(self, module: Any) -> str:
        return self._names.get(id(module)) or type(module).__name__.lower()

    def _layer_exit(self, module: Any, args: tuple, output: Any) -> None:
        if not self._open:
            return
        record, _, call_args = self._open.pop()
        error = sys.exc_info()[1]
        if error is not None and output is None:
            failure = self._failure(error)
            if failure.layer is None and type(module).__name__ not in _CONTAINERS:  # the innermost layer it escaped
                if record is None:
                    record = LayerRecord(self._module_name(module), type(module).__name__, tensor_shapes(call_args))
                failure.layer, failure.attributes = record, module_attributes(module)
            return
        if record is None and id(module) in self.last_shapes:
            return  # past the cap, a layer seen before: its shapes cost a mode round trip each to read
        with self._no_mode():
            shape = _shape(output)
            if shape is None and isinstance(output, (tuple, list)) and output:
                shape = _shape(output[0])
        if record is not None:
            record.output, record.finished = shape, True
        self.last_shapes[id(module)] = shape

    # -- results -------------------------------------------------------------------------

    def failure_of(self, error: BaseException) -> Failure | None:
        """What the tracer saw of this error (following ``raise ... from`` and re-raises), or None."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            for failure in reversed(self.failures):
                if failure.error is current:
                    return failure
            current = current.__cause__ or current.__context__
        if self.sampled:  # raised while the tracer was quiet: read it from the frames it passed
            failure = failure_from_traceback(error, self._names)
            if failure is not None:
                self.failures.append(failure)
            return failure
        return None

    @property
    def failed_op(self) -> OpRecord | None:
        """The op that raised the latest error, if one did."""
        return self.failures[-1].op if self.failures else None

    @property
    def failed_layer(self) -> LayerRecord | None:
        """The innermost layer the latest error escaped."""
        return self.failures[-1].layer if self.failures else None

    @property
    def layers_to_failure(self) -> list[LayerRecord]:
        """The layers that ran, ending with the failed one, even past the record cap."""
        layer = self.failed_layer
        if layer is None or layer in self.layers:
            return self.layers[: self.layers.index(layer) + 1] if layer is not None else list(self.layers)
        return self.layers + [layer]

    def to_dict(self) -> dict[str, Any]:
        """The trace as JSON-ready data."""
        return {"ops": [op.to_dict() for op in self.ops], "dropped": self.dropped,
                "late_notes": [op.to_dict() for op in self.late_notes], "sampled": self.sampled,
                "layers": [layer.to_dict() for layer in self.layers]}
