"""Library calls a trace folds into one row each: ``optimizer.step()``, ``zero_grad()``.

Their insides say nothing about shapes, and sending each internal op through the torch-function
mode cost a small training loop a large share of its speed, so the mode is taken off the stack
while they run. A mixin of :class:`~tui.core.tracing.tracer.ShapeTracer`.
"""

from __future__ import annotations

import linecache
import sys
from typing import Any

from tui.core.tracing.postmortem import SAMPLE_EVERY
from tui.core.tracing.records import OpRecord


class LibraryCalls:
    """Folding library calls (needs the tracer's ``_mode``, ``ops``, ``full``, ``_is_user``, ``_cell``)."""

    _mode: Any
    _stepping: int
    _popped: bool
    _folded: list
    ops: list
    dropped: int

    _mode_on: bool
    _steps_past: int
    sampled: bool
    _module_hooks: list

    def _watch_modules(self, on: bool) -> None:  # provided by the tracer
        raise NotImplementedError

    def _fold(self, owner: type, name: str) -> None:
        """Run ``owner.name`` (``zero_grad``) as one row with the mode off: it reads and writes every
        parameter's ``.grad``, each a round trip through the mode, and none of it is about shapes.
        The class attribute is put back on exit."""
        original = owner.__dict__.get(name)
        if original is None or getattr(original, "_tensordojo_folded", False):
            return
        tracer = self

        def folded(obj: Any, *args: Any, **kwargs: Any) -> Any:
            if tracer._mode is None or tracer._stepping or not tracer._mode_on:
                return original(obj, *args, **kwargs)
            tracer._note_call(f"{type(obj).__name__}.{name}")
            popped = tracer._pop_mode()
            try:
                return original(obj, *args, **kwargs)
            finally:
                if popped:
                    tracer._push_mode()

        folded._tensordojo_folded = True  # type: ignore[attr-defined]
        setattr(owner, name, folded)
        self._folded.append((owner, name, original))

    def _list_call(self, owner: Any, name: str) -> None:
        """List calls of ``owner.name`` (``torch.from_numpy``), which the torch-function mode never sees."""
        original = getattr(owner, name, None)
        if original is None or getattr(original, "_tensordojo_folded", False):
            return
        tracer = self

        def listed(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if tracer._mode_on and not tracer.full and not tracer._stepping:
                line, source, cell = tracer._where_outside_torch()
                shape = tuple(getattr(args[0], "shape", ())) if args else ()
                tracer.ops.append(OpRecord(name, [shape], tuple(result.shape), line, source, None, cell=cell))
            return result

        listed._tensordojo_folded = True  # type: ignore[attr-defined]
        setattr(owner, name, listed)
        self._folded.append((owner, name, original))

    def _note_call(self, label: str) -> None:
        """One row for a library call whose insides are folded away."""
        if self.full:
            self.dropped += 1
            return
        line, source, cell = self._where_outside_torch()
        self.ops.append(OpRecord(label, [], None, line, source, None, cell=cell))

    def _step_enter(self, optimizer: Any, args: tuple, kwargs: dict) -> None:
        """``optimizer.step()`` is one row: its dozens of internal ops say nothing about shapes, and
        tracing them cost a small training loop half its speed, so the mode is off while it runs."""
        if self._stepping:
            self._stepping += 1
            return
        self._stepping = 1
        if not self._mode_on:  # quiet between sampled steps: nothing to fold
            self._popped = False
            return
        if not self.full:
            line, source, cell = self._where_outside_torch()
            params = sum(len(group["params"]) for group in getattr(optimizer, "param_groups", []))
            self.ops.append(OpRecord(f"{type(optimizer).__name__}.step", [], None, line, source, None,
                                     args={"parameters": params}, cell=cell))
        else:
            self.dropped += 1
        self._popped = self._pop_mode()

    def _step_exit(self, optimizer: Any, args: tuple, kwargs: dict) -> None:
        self._stepping = max(0, self._stepping - 1)
        if self._stepping or self._mode is None:
            return
        if not self.full:
            if self._popped:
                self._push_mode()
            return
        # Past the listed ops: watch one step in SAMPLE_EVERY (the silent-bug checks still see
        # every line a loop runs), and go quiet in between.
        self._steps_past += 1
        if self._steps_past % SAMPLE_EVERY == 0:
            if not self._mode_on:
                self._push_mode()
            self._watch_modules(True)
        elif self._popped or self._module_hooks:
            self._popped = False
            self.sampled = True
            self._watch_modules(False)
            self._watch_modules(False)

    def _pop_mode(self) -> bool:
        """Take this tracer's mode off the torch-function stack, when it is on top."""
        from torch import _C as stack

        if self._mode is None or not self._mode_on or not stack._len_torch_function_stack():
            return False
        top = stack._get_function_stack_at(stack._len_torch_function_stack() - 1)
        if top is not self._mode:
            return False
        stack._pop_torch_function_stack()
        self._mode_on = False
        return True

    def _push_mode(self) -> None:
        from torch import _C as stack

        stack._push_on_torch_function_stack(self._mode)
        self._mode_on = True
        self._popped = False

    def _where_outside_torch(self) -> tuple[int | None, str, int | None]:
        frame = sys._getframe(1)
        while frame is not None:
            if self._is_user(frame.f_code.co_filename):
                line = frame.f_lineno
                cell = self._cell(frame.f_code.co_filename)
                return line, linecache.getline(frame.f_code.co_filename, line).strip(), cell
            frame = frame.f_back
        return None, "", None
