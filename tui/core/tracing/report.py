"""Running a script under the shape tracer the way ``python script.py`` would (``tensordojo trace``).

The script gets its own ``sys.argv`` and its folder first on ``sys.path``; ``sys.exit()`` ends it
without losing the trace; a warning PyTorch raises is reported at the learner's line, not inside
torch.
"""

from __future__ import annotations

import linecache
import os
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

from tui.core.explainers import Explanation, explain_shape_error
from tui.core.tracing.tracer import ShapeTracer
from tui.core.tracing.table import trace_lines

__all__ = ["ScriptRun", "run_traced", "trace_lines"]


@dataclass
class ScriptRun:
    """What running a script under the tracer gave."""

    tracer: ShapeTracer
    error: BaseException | None = None
    explanation: Explanation | None = None
    error_text: list[str] = field(default_factory=list)
    exit_code: int | None = None
    """The status the script passed to ``sys.exit()``, when it called it."""


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


class _LearnerWarnings:
    """Show each warning at the innermost frame of the learner's file, as ``python`` shows its own."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def __call__(self, message: Any, category: type, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self.filename:
            frame = frame.f_back
        if frame is not None:
            filename, lineno = self.filename, frame.f_lineno
        text = warnings.formatwarning(message, category, filename, lineno, linecache.getline(filename, lineno))
        (file or sys.stderr).write(text)


def run_traced(code: str, filename: str, argv: list[str] | None = None) -> ScriptRun:
    """Run ``code`` (as if it were ``filename``) with the tracer on; never raises for the script's errors."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    tracer = ShapeTracer(lambda name: name == filename, namer=lambda module: _name_in(namespace, module))
    run = ScriptRun(tracer)
    saved_argv, saved_path = sys.argv, list(sys.path)
    folder = os.path.dirname(os.path.abspath(filename)) if os.path.exists(filename) else os.getcwd()
    sys.argv = [filename, *(argv or [])]
    sys.path.insert(0, folder)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _LearnerWarnings(filename)
            compiled = compile(code, filename, "exec")
            with tracer:
                exec(compiled, namespace)
    except SystemExit as stop:  # the script ended itself: what ran is still reported
        run.exit_code = _exit_status(stop.code)
    except Exception as error:  # the script's own error: reported, not raised
        run.error = error
        try:
            run.explanation = explain_shape_error(error, tracer)
        except Exception:  # an explainer bug must not hide the learner's own error
            run.explanation = None
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
        run.error_text = [f"{filename}:{f.lineno}: {f.line}" for f in frames[-3:]]
        run.error_text.append(f"{type(error).__name__}: {error}")
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
    return run


def _name_in(namespace: dict, module: object) -> str:
    for name, value in namespace.items():
        if value is module:
            return name
    return type(module).__name__.lower()
