"""Running a script under the shape tracer, and writing its trace as text (``tensordojo trace``)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from tui.core.explain import Explanation, explain_shape_error
from tui.core.shapes import format_shape
from tui.core.trace import OpRecord, ShapeTracer


def _shapes(shapes: list[tuple[int, ...]]) -> str:
    return ", ".join(format_shape(s) for s in shapes) or "-"


def trace_lines(ops: list[OpRecord], dropped: int) -> list[str]:
    """The trace as aligned text: line, op, input shapes, output shape; notes underneath."""
    rows = [("line", "op", "inputs", "output")]
    for op in ops:
        output = "FAILED" if op.failed else (format_shape(op.output) if op.output is not None else "-")
        where = str(op.line) if op.line is not None else "?"
        name = f"{op.op} [{op.layer}]" if op.layer else op.op
        rows.append((where, name, _shapes(op.inputs), output))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row, op in zip(rows, [None, *ops]):
        lines.append(f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  -> {row[3]}" if op else
                     f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}     {row[3]}")
        if op is not None and op.note:
            lines.append(f"{'':>{widths[0]}}  ! {op.note}")
    if dropped:
        lines.append(f"… {dropped:,} more torch calls ran and are not listed (the trace keeps the first {len(ops)} ops).")
    return lines


@dataclass
class ScriptRun:
    """What running a script under the tracer gave."""

    tracer: ShapeTracer
    error: BaseException | None = None
    explanation: Explanation | None = None
    error_text: list[str] = field(default_factory=list)


def run_traced(code: str, filename: str) -> ScriptRun:
    """Run ``code`` (as if it were ``filename``) with the tracer on; never raises for the script's errors."""
    import linecache

    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    namespace = {"__name__": "__main__", "__file__": filename}
    tracer = ShapeTracer(lambda name: name == filename, namer=lambda module: _name_in(namespace, module))
    run = ScriptRun(tracer)
    try:
        compiled = compile(code, filename, "exec")
        with tracer:
            exec(compiled, namespace)
    except Exception as error:  # the script's own error: reported, not raised
        run.error = error
        run.explanation = explain_shape_error(error, tracer)
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
        run.error_text = [f"{filename}:{f.lineno}: {f.line}" for f in frames[-3:]]
        run.error_text.append(f"{type(error).__name__}: {error}")
    return run


def _name_in(namespace: dict, module: object) -> str:
    for name, value in namespace.items():
        if value is module:
            return name
    return type(module).__name__.lower()
