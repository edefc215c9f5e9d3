"""IPython extension loaded inside the REPL kernel; imports neither textual nor the app.

It adds two things to what the kernel sends:

* for a tensor result, a JSON description (shape, dtype, device, requires_grad, grad_fn)
  under :data:`TENSOR_MIME`, so the app can write a header before the values;
* after a failed run, a short traceback of the learner's own frames under
  :data:`TRACEBACK_MIME` (library frames are summarised as the place the error was raised).
"""

from __future__ import annotations

import linecache
import re
import traceback
from typing import Any

TENSOR_MIME = "application/vnd.tensordojo.tensor+json"
TRACEBACK_MIME = "application/vnd.tensordojo.traceback+json"
_CELL_FILE = re.compile(r"(ipykernel_\d+[/\\]\d+\.py$)|(^<ipython-input-)")
MAX_FRAMES = 12


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
    if summary and not is_cell_file(summary[-1].filename):
        last = summary[-1]
        record["raised_in"] = {"file": last.filename, "line": last.lineno, "name": last.name}
    if isinstance(error, SyntaxError):
        record["syntax"] = {"line": error.lineno, "offset": error.offset, "text": (error.text or "").rstrip("\n")}
    return record


class _Extension:
    """The hooks, bound to one shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell

    def cells(self) -> dict[str, int]:
        """Cell file names to input numbers, from IPython's compiler."""
        mapping = getattr(self.shell.compile, "_filename_map", {})
        return {name: number for name, number in mapping.items() if isinstance(number, int)}

    def post_run_cell(self, result: Any) -> None:
        error = result.error_in_exec or result.error_before_exec
        if error is None or isinstance(error, KeyboardInterrupt) and not error.__traceback__:
            return
        from IPython.display import publish_display_data

        publish_display_data({TRACEBACK_MIME: short_traceback(error, self.cells()), "text/plain": ""})


_loaded: dict[int, _Extension] = {}


def load_ipython_extension(shell: Any) -> None:
    """Called by ``%load_ext tui.kernel.extension``."""
    if id(shell) in _loaded:
        return
    import warnings

    # After sys.exit() the app explains what happened; IPython's own advice would only confuse.
    warnings.filterwarnings("ignore", message="To exit: use 'exit'", category=UserWarning)
    extension = _Extension(shell)
    _loaded[id(shell)] = extension
    shell.events.register("post_run_cell", extension.post_run_cell)
    json_formatter = shell.display_formatter.formatters["application/json"]
    json_formatter.for_type_by_name("torch", "Tensor", lambda t: {"tensordojo": TENSOR_MIME, **describe_tensor(t)})
