"""Running a script under the shape tracer, and writing its trace as text (``tensordojo trace``)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from tui.core.explain import Explanation, explain_shape_error
from tui.core.shapes import format_shape
from tui.core.broadcast import diagram
from tui.core.trace import OpRecord, ShapeTracer, broadcast_pair


def _shapes(shapes: list[tuple[int, ...]]) -> str:
    return ", ".join(format_shape(s) for s in shapes) or "-"


def trace_lines(ops: list[OpRecord], dropped: int) -> list[str]:
    """The trace as aligned text: each source line, then its ops with input and output shapes.

    An element-wise op on two different shapes gets its broadcast diagram; a silent broadcast
    gets a warning.
    """
    rows = [(_op_label(op), _shapes(op.inputs), _output(op)) for op in ops]
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(("op", "inputs"))]
    lines = [f"  {'op':<{widths[0]}}  {'inputs':<{widths[1]}}     output"]
    last_line = object()
    for op, (label, inputs, output) in zip(ops, rows):
        if op.line != last_line:
            last_line = op.line
            lines.append(f"line {op.line}: {op.source}" if op.line is not None else "(outside your code)")
        lines.append(f"  {label:<{widths[0]}}  {inputs:<{widths[1]}}  -> {output}")
        pair = broadcast_pair(op.op, op.inputs)
        if pair and not op.failed:
            lines += [f"      {row}" for row in diagram(*pair)]
        if op.note:
            lines.append(f"      ! {op.note}")
    if dropped:
        lines.append(f"… {dropped:,} more torch calls ran and are not listed (the trace keeps the first {len(ops)} ops).")
    return lines


def _op_label(op: OpRecord) -> str:
    return f"{op.op} [{op.layer}]" if op.layer else op.op


def _output(op: OpRecord) -> str:
    return "FAILED" if op.failed else (format_shape(op.output) if op.output is not None else "-")


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
