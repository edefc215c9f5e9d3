"""The trace as text: each source line, then its ops with input and output shapes.

Long operand lists are summarised (``32 x (3, 8, 8)``) and a block of rows that repeats (a layer
block used six times, a loop) is printed once with a count.
"""

from __future__ import annotations

import re
from typing import Any

from tui.core.explainers.broadcast import diagram
from tui.core.tracing.shapes import format_shape
from tui.core.tracing.expressions import operand_names
from tui.core.tracing.postmortem import SAMPLE_EVERY
from tui.core.tracing.silent import broadcast_pair

MAX_PERIOD = 12


def shapes_text(shapes: list[tuple[int, ...]]) -> str:
    """Operand shapes, a long list summarised."""
    if not shapes:
        return "-"
    if len(shapes) > 4:
        if all(s == shapes[0] for s in shapes):
            return f"{len(shapes)} x {format_shape(shapes[0])}"
        return ", ".join(format_shape(s) for s in shapes[:3]) + f", ... ({len(shapes)} tensors)"
    return ", ".join(format_shape(s) for s in shapes)


def where(op: Any) -> str:
    """``line 14: x = f(y)``, or ``In [49] line 14: ...`` for a REPL cell."""
    if op.line is None:
        return "(outside your code)"
    cell = f"In [{op.cell}] " if getattr(op, "cell", None) is not None else ""
    return f"{cell}line {op.line}: {op.source}"


def _label(op: Any) -> str:
    return f"{op.op} [{op.layer}]" if op.layer else op.op


def _output(op: Any) -> str:
    return "FAILED" if op.failed else (format_shape(op.output) if op.output is not None else "-")


def _signature(op: Any) -> tuple:
    layer = re.sub(r"\.\d+(?=\.|$)", ".N", op.layer) if op.layer else None
    return (op.op, layer, tuple(op.inputs), op.output, op.line, op.cell, op.failed, bool(op.note))


def _repeats(signatures: list[tuple], start: int) -> tuple[int, int]:
    """The shortest period of rows repeating from ``start`` and how many extra times it repeats."""
    best = (0, 0)
    for period in range(1, MAX_PERIOD + 1):
        block = signatures[start:start + period]
        if len(block) < period:
            break
        times = 0
        while signatures[start + period * (times + 1): start + period * (times + 2)] == block:
            times += 1
        if times and times * period > best[0] * best[1]:
            best = (period, times)
    return best


def trace_lines(ops: list[Any], dropped: int, late_notes: list[Any] | None = None, sampled: bool = False) -> list[str]:
    """The trace as aligned text: each source line, then its ops with input and output shapes.

    An element-wise op on two different shapes gets its broadcast diagram; a silent bug gets a
    warning (once per source line, also past the listed ops).
    """
    rows = [(_label(op), shapes_text(op.inputs), _output(op)) for op in ops]
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(("op", "inputs"))]
    lines = [f"  {'op':<{widths[0]}}  {'inputs':<{widths[1]}}     output"]
    signatures = [_signature(op) for op in ops]
    last_where = None
    index = 0
    while index < len(ops):
        period, times = _repeats(signatures, index)
        block = range(index, index + (period or 1))
        for i in block:
            op, (label, inputs, output) = ops[i], rows[i]
            here = where(op)
            if here != last_where:
                last_where = here
                lines.append(here)
            lines.append(f"  {label:<{widths[0]}}  {inputs:<{widths[1]}}  -> {output}")
            pair = broadcast_pair(op.op, op.inputs)
            if pair and not op.failed:
                names = operand_names(op.source, op.op) if op.source else None
                lines += [f"      {row}" for row in diagram(*pair, names=names or ("a", "b"))]
            if op.note:
                lines.append(f"      ! {op.note}")
        if period:
            first, last = ops[index + period].layer, ops[index + period * (times + 1) - 1].layer
            span = f" ({first} to {last})" if first and last and first != last else ""
            rows_word = "row" if period == 1 else f"{period} rows"
            lines.append(f"  ... the {rows_word} above again {times} more time{'s' if times > 1 else ''}{span}")
            index += period * (times + 1)
        else:
            index += 1
    if dropped or sampled:
        checks = (f"past them the silent-bug checks watched one optimizer step in {SAMPLE_EVERY}" if sampled
                  else "the silent-bug checks went on through all of them")
        lines.append(f"… {dropped:,} more torch calls ran and are not listed (the trace keeps the first {len(ops)} ops; {checks}).")
    for op in late_notes or []:
        lines.append(f"{where(op)}")
        lines.append(f"  {_label(op)}  {shapes_text(op.inputs)}")
        lines.append(f"      ! {op.note}")
    return lines
