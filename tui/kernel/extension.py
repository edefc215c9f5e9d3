"""IPython extension loaded inside the REPL kernel; imports neither textual nor the app's UI.

It adds to what the kernel sends:

* for a tensor result, a JSON description (shape, dtype, device, requires_grad, grad_fn)
  under :data:`TENSOR_MIME`, so the app can write a header before the values;
* after a failed run, a short traceback of the learner's own frames under
  :data:`TRACEBACK_MIME`, with a shape-error explanation when the error is about shapes;
* after every run, a snapshot under :data:`SNAPSHOT_MIME`: the namespace's tensors, arrays and
  modules, and the trace of every torch op the run executed.

``__tensordojo__.detail(name)`` answers the inspector's detail pane; ``%shapes off`` stops the
tracing (for code that does not mix with a TorchFunctionMode) and ``%shapes on`` restarts it.
"""

from __future__ import annotations

import linecache
import re
import sys
import traceback
from pathlib import Path
from typing import Any

TENSOR_MIME = "application/vnd.tensordojo.tensor+json"
TRACEBACK_MIME = "application/vnd.tensordojo.traceback+json"
SNAPSHOT_MIME = "application/vnd.tensordojo.snapshot+json"
_CELL_FILE = re.compile(r"(ipykernel_\d+[/\\]\d+\.py$)|(^<ipython-input-)")
MAX_FRAMES = 12
TORCH_OVERRUN = 3
"""Columns a tensor's printed row can take past torch's ``linewidth`` (measured on 2.x, widths 30 to 200)."""
_OWN_DIR = str(Path(__file__).resolve().parents[1])


def describe_tensor(tensor: Any) -> dict[str, Any]:
    """The facts a learner checks first about a tensor, as JSON-ready values."""
    grad_fn = getattr(tensor, "grad_fn", None)
    return {
        "shape": list(tensor.shape),
        "dtype": str(tensor.dtype).removeprefix("torch."),
        "device": str(tensor.device),
        "requires_grad": bool(tensor.requires_grad),
        "grad_fn": type(grad_fn).__name__ if grad_fn is not None else None,
        "parameter": type(tensor).__name__ == "Parameter",
    }


def is_cell_file(filename: str) -> bool:
    """Whether a frame's file is code the learner typed into the REPL."""
    return bool(_CELL_FILE.search(filename))


def _frame_record(frame: traceback.FrameSummary, cells: dict[str, int]) -> dict[str, Any]:
    lines = [linecache.getline(frame.filename, n).rstrip("\n") for n in range(max(1, frame.lineno - 2), frame.lineno + 1)]
    return {
        "cell": cells.get(frame.filename),
        "line": frame.lineno,
        "name": frame.name,
        "first_line": max(1, frame.lineno - 2),
        "source": lines,
    }


def _squeeze_repeats(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Collapse runs of the same frame (deep recursion) into one with a repeat count."""
    squeezed: list[dict[str, Any]] = []
    for frame in frames:
        last = squeezed[-1] if squeezed else None
        if last and (last["cell"], last["line"], last["name"]) == (frame["cell"], frame["line"], frame["name"]):
            last["repeats"] = last.get("repeats", 0) + 1
        else:
            squeezed.append(dict(frame))
    return squeezed


def short_traceback(error: BaseException, cells: dict[str, int]) -> dict[str, Any]:
    """The learner's frames of an exception, and where in a library it was raised.

    Args:
        error: the exception.
        cells: maps each REPL cell's file name to its input number.
    """
    summary = traceback.extract_tb(error.__traceback__)
    mine = [_frame_record(f, cells) for f in summary if is_cell_file(f.filename)]
    mine = _squeeze_repeats(mine)
    hidden = max(0, len(mine) - MAX_FRAMES)
    # A SyntaxError's str() names IPython's temporary cell file; its msg is what the learner needs.
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    record: dict[str, Any] = {
        "ename": type(error).__name__,
        "evalue": message,
        "frames": mine[-MAX_FRAMES:],
        "hidden_frames": hidden,
        "raised_in": None,
    }
    # The tracer wraps every torch call; its frames are ours, not where the learner's error arose.
    library = [f for f in summary if not f.filename.startswith(_OWN_DIR)]
    if library and not is_cell_file(library[-1].filename):
        last = library[-1]
        record["raised_in"] = {"file": last.filename, "line": last.lineno, "name": last.name}
    if isinstance(error, SyntaxError):
        record["syntax"] = {"line": error.lineno, "offset": error.offset, "text": (error.text or "").rstrip("\n")}
    return record


class _Extension:
    """The hooks, bound to one shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.tracing = True
        self.publishing = True
        """Whether snapshots are sent after each run (the benchmark turns it off to compare)."""
        self.tracer: Any = None
        self.last_shapes: dict[int, Any] = {}
        self.width: int | None = None
        """The print width last set from a run's request."""
        import builtins

        # Not the names IPython adds around each cell and takes away after it (get_ipython, exit...).
        managed = set(getattr(getattr(shell, "builtin_trap", None), "auto_builtins", {}))
        self.builtins_module = builtins
        import json

        self.json = json
        """For the detail pane's answers, even when the learner's code broke imports."""
        self.builtins = {name: value for name, value in vars(builtins).items() if name not in managed}
        """The builtins as the kernel started: what a cell deletes is put back after it."""

    def cells(self) -> dict[str, int]:
        """Cell file names to input numbers, from IPython's compiler."""
        mapping = getattr(self.shell.compile, "_filename_map", {})
        return {name: number for name, number in mapping.items() if isinstance(number, int)}

    def _cell_of(self, filename: str) -> int | None:
        """The input number of a cell's file (``In [49]``), for the trace's line labels."""
        return self.cells().get(filename)

    def _name_of(self, module: Any) -> str:
        for name, value in self.shell.user_ns.items():
            if value is module and not name.startswith("_"):
                return name
        return type(module).__name__.lower()

    def _put_back_builtins(self) -> None:
        """Put back the builtins a cell deleted (and ``__import__`` made uncallable), saying so.

        The kernel's own code needs them: after ``del builtins.__import__`` every import failed,
        IPython's too, and the kernel went idle without answering the run."""
        # No import here: that is what may be broken (the module was kept when the kernel started).
        now = vars(self.builtins_module)
        gone = [name for name in self.builtins if name not in now]
        if not callable(now.get("__import__")) and "__import__" not in gone:
            gone.append("__import__")
        if not gone:
            return
        for name in gone:
            now[name] = self.builtins[name]
        print(f"tensordojo put back the builtins this cell deleted or broke ({', '.join(gone)}): Python "
              "and the REPL need them.", file=sys.stderr)

    def _put_back_names(self) -> None:
        """Put back the names of the learner's namespace that the REPL itself needs.

        ``%reset -f`` and ``globals().clear()`` took ``__tensordojo__`` away, and the inspector's
        detail (which asks for it) then failed on every variable made afterwards. A namespace whose
        ``__builtins__`` was replaced (``__builtins__ = {}``) failed every later cell (``print`` not
        defined); one left without ``__import__`` made C code that imports raise
        ``KeyError: '__import__'`` from inside a call."""
        namespace = self.shell.user_ns
        if namespace.get("__tensordojo__") is not self:
            namespace["__tensordojo__"] = self
        replaced = namespace.get("__builtins__", self.builtins_module)
        if replaced is not self.builtins_module and replaced is not vars(self.builtins_module):
            namespace["__builtins__"] = self.builtins_module
            print(f"tensordojo put back __builtins__ (this cell set it to a {type(replaced).__name__}): "
                  "Python and the REPL need it.", file=sys.stderr)

    def pre_run_cell(self, info: Any) -> None:
        self._follow_width()
        if not self.tracing:
            return
        from tui.core.tracing.tracer import ShapeTracer

        self.tracer = ShapeTracer(is_cell_file, namer=self._name_of, cell_of=self._cell_of)
        self.tracer.__enter__()

    def _stop_tracer(self) -> Any:
        tracer, self.tracer = self.tracer, None
        if tracer is not None:
            tracer.__exit__(None, None, None)
            self.last_shapes.update(tracer.last_shapes)
        return tracer

    def post_run_cell(self, result: Any) -> None:
        self._put_back_builtins()
        self._put_back_names()
        tracer = self._stop_tracer()
        from IPython.display import publish_display_data

        error = result.error_in_exec or result.error_before_exec
        if error is not None and not (isinstance(error, KeyboardInterrupt) and not error.__traceback__):
            record = short_traceback(error, self.cells())
            record["explanation"] = self._explain(error, tracer)
            publish_display_data({TRACEBACK_MIME: record, "text/plain": ""})
        if self.publishing:
            publish_display_data({SNAPSHOT_MIME: self.snapshot(tracer), "text/plain": ""})

    @staticmethod
    def _explain(error: BaseException, tracer: Any) -> dict[str, Any] | None:
        from tui.core.explainers import explain_shape_error

        try:
            explanation = explain_shape_error(error, tracer)
        except Exception:  # an explainer bug must not hide the learner's own error
            return None
        return explanation.to_dict() if explanation else None

    def snapshot(self, tracer: Any) -> dict[str, Any]:
        """The variables and the last run's trace."""
        from tui.core.repl.namespace import describe_namespace

        snapshot = describe_namespace(self.shell.user_ns)
        snapshot["trace"] = tracer.to_dict() if tracer is not None else None
        snapshot["tracing"] = self.tracing
        return snapshot

    def detail(self, name: str) -> str:
        """JSON for the inspector's detail pane (called through user_expressions).

        Whatever the learner's code did to the kernel (deleted names, a broken import system), it
        answers with a note saying what it cannot show: json was kept when the kernel started."""
        json = self.json
        try:
            from tui.core.repl.namespace import describe_detail, describe_module, kind_of

            if name not in self.shell.user_ns:
                return json.dumps({"name": name, "note": f"{name} no longer exists"})
            value = self.shell.user_ns[name]
            if kind_of(value) == "module":
                return json.dumps({"name": name, "kind": "module", **describe_module(value, self.last_shapes)})
            return json.dumps(describe_detail(name, value))
        except Exception as error:  # the pane says what it cannot show
            return json.dumps({"name": name, "note": f"cannot describe {name}: {type(error).__name__}: {error}"})

    def _follow_width(self) -> None:
        """Print at the width the app sent with this run (the REPL log's, kept in step on resize)."""
        kernel = getattr(self.shell, "kernel", None)
        try:
            parent = kernel.get_parent("shell") if kernel is not None else {}
            width = (parent.get("metadata") or {}).get("tensordojo", {}).get("width")
        except Exception:  # another kernel or version: keep the current width
            return
        if isinstance(width, int) and width != self.width:
            self.width = width
            self.set_width(width)

    @staticmethod
    def set_width(columns: int) -> None:
        """Print tensors and arrays at most ``columns`` wide (the REPL log's width), so their rows
        are not broken by the log's wrapping."""
        import sys

        torch, numpy = sys.modules.get("torch"), sys.modules.get("numpy")
        if torch is not None:
            # torch lets a row's closing brackets and comma run up to 3 columns past its linewidth.
            torch.set_printoptions(linewidth=max(10, columns - TORCH_OVERRUN))
        if numpy is not None:
            numpy.set_printoptions(linewidth=columns)

    def shapes_magic(self, line: str) -> None:
        """%shapes on|off: turn the op trace on or off."""
        choice = line.strip().lower()
        if choice in ("on", "off"):
            self.tracing = choice == "on"
        print(f"shape tracing is {'on' if self.tracing else 'off'}")


def skip_empty_flushes(stream: Any) -> None:
    """Make ``stream.flush()`` return at once when nothing was written since the last flush.

    ipykernel flushes stdout and stderr before a cell's value, before each display and before
    the reply, and every flush waits for a round trip to its IOPub thread even when there is
    nothing to send: about 0.4 ms before the learner sees a value, 1.7 ms before the reply,
    on this project's machine. Written text is still flushed, in order. Streams without
    ipykernel's buffers (another version, a redirect) are left alone.
    """
    lock, buffers = getattr(stream, "_buffer_lock", None), getattr(stream, "_buffers", None)
    if lock is None or not isinstance(buffers, dict) or getattr(stream, "_tensordojo_quick", False):
        return
    flush = stream.flush

    def quick_flush() -> None:
        with lock:
            empty = not stream._buffers  # ipykernel swaps in a new dict when it sends
        if not empty:
            flush()

    stream.flush = quick_flush
    stream._tensordojo_quick = True


_loaded: dict[int, _Extension] = {}


def load_ipython_extension(shell: Any) -> None:
    """Called by ``%load_ext tui.kernel.extension``."""
    if id(shell) in _loaded:
        return
    import sys
    import warnings

    skip_empty_flushes(sys.stdout)
    skip_empty_flushes(sys.stderr)

    # After sys.exit() the app explains what happened; IPython's own advice would only confuse.
    warnings.filterwarnings("ignore", message="To exit: use 'exit'", category=UserWarning)
    extension = _Extension(shell)
    _loaded[id(shell)] = extension
    shell.events.register("pre_run_cell", extension.pre_run_cell)
    shell.events.register("post_run_cell", extension.post_run_cell)
    shell.register_magic_function(extension.shapes_magic, "line", "shapes")
    shell.user_ns["__tensordojo__"] = extension
    json_formatter = shell.display_formatter.formatters["application/json"]
    json_formatter.for_type_by_name("torch", "Tensor", lambda t: {"tensordojo": TENSOR_MIME, **describe_tensor(t)})
