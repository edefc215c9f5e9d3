"""Shape errors in plain words, one module per op family, each a pure function from a recorded
call to an explanation.

:func:`explain_shape_error` finds what the tracer saw of the error (the op that raised, the
innermost layer it escaped, that layer's attributes) and asks each family in turn; the error
message is only a hint. Returns None for errors that are not about shapes.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from tui.core.explainers import conv, elementwise, joining, losses, matmul, norm, recurrent, reshaping
from tui.core.explainers.call import Explanation, FailedCall, in_collate, shape
from tui.core.tracing.shapes import format_shape

__all__ = ["Explanation", "FailedCall", "explain_shape_error", "explain_call"]

FAMILIES: list[Callable[[FailedCall], Explanation | None]] = [
    recurrent.explain, losses.explain, norm.explain, conv.explain, matmul.explain, joining.explain,
    reshaping.explain, elementwise.explain,
]
_CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")
# Messages that say "shapes" even when the tracer saw nothing: the partial explanation's trigger.
_SHAPE_WORDS = re.compile(r"size|shape|dimension|dims?\b|channels|must match|out of (range|bounds)|expected .*input|"
                          r"batch_size|mat1|mat2|normalized_shape|hidden|stack expects|sequence of length", re.I)


def _layer_lines(layers: list[Any]) -> list[str]:
    lines, repeats, last = [], 0, None
    for layer in layers:
        if layer.kind in _CONTAINERS:
            continue
        inputs = ", ".join(format_shape(s) for s in layer.inputs[:3]) or "?"
        if len(layer.inputs) > 3:
            inputs += f", ... ({len(layer.inputs)} tensors)"
        result = format_shape(layer.output) if layer.output is not None else "FAILED"
        detail = f" [{layer.detail}]" if layer.detail else ""
        line = f"{layer.name} ({layer.kind}){detail}: {inputs} -> {result}"
        if line == last:
            repeats += 1
            continue
        if repeats:
            lines.append(f"  ... the line above {repeats} more time{'s' if repeats > 1 else ''}")
        lines.append(line)
        last, repeats = line, 0
    if repeats:
        lines.append(f"  ... the line above {repeats} more time{'s' if repeats > 1 else ''}")
    return lines[-40:]


def _jagged(message: str) -> Explanation | None:
    match = re.search(r"expected sequence of length (\d+) at dim (\d+) \(got (\d+)\)", message)
    if not match:
        return None
    expected, dim, got = (int(g) for g in match.groups())
    return Explanation("tensor", [f"nested lists whose depth-{dim} lists have {expected} and {got} items"],
                       f"a tensor is a full grid, so every list at depth {dim} must have the same length; "
                       f"one has {got} items where {expected} were expected.",
                       f"pad the short lists to {max(expected, got)} items (with 0, say) and keep a mask or the true "
                       f"lengths beside them; torch.nn.utils.rnn.pad_sequence does this for a list of tensors.")


def _vectors(message: str) -> Explanation | None:
    match = re.search(r"size mismatch, got input \(\d+\), mat \((\d+)x(\d+)\), vec \((\d+)\)", message)
    if match:
        rows, cols, length = (int(g) for g in match.groups())
        return Explanation("matmul", [f"matrix ({rows}, {cols})", f"vector ({length},)"],
                           f"a matrix times a vector needs the vector's length ({length}) to equal the matrix's last size ({cols}).",
                           f"use a vector of length {cols}, or transpose the matrix if it is the other way round.")
    match = re.search(r"to have the same number of elements, but got (\d+) and (\d+)", message)
    if match:
        a, b = (int(g) for g in match.groups())
        return Explanation("matmul", [f"left ({a},)", f"right ({b},)"],
                           f"the dot product of two vectors needs equal lengths, here {a} and {b}.", "make the vectors the same length.")
    return None


def explain_call(call: FailedCall) -> Explanation | None:
    """Ask each family; fall back to a partial explanation when the error is about shapes but no contract fits."""
    for family in FAMILIES:
        explanation = family(call)
        if explanation is not None:
            return explanation
    explanation = _jagged(call.message) or _vectors(call.message)
    if explanation is not None:
        return explanation
    if (call.op or call.kind) and _SHAPE_WORDS.search(call.message):
        shapes = call.inputs or call.layer_inputs
        return Explanation(call.op or (call.kind or "").lower(), [f"operand {i} {shape(s)}" for i, s in enumerate(shapes[:6])],
                           f"PyTorch says: {call.message.strip().splitlines()[0][:300]} The recorded shapes do not match a "
                           f"contract this explainer knows, so it cannot say which dim is wrong for sure.",
                           "compare each operand's shape with what the op documents; print(x.shape) before the line.", unsure=True)
    return None


def explain_shape_error(error: BaseException, tracer: Any = None) -> Explanation | None:
    """Explain a shape error, or return None when the error is not one."""
    failure = tracer.failure_of(error) if tracer is not None else None
    op = failure.op if failure else None
    layer = failure.layer if failure else None
    ran = []
    if tracer is not None and layer is not None:
        ran = tracer.layers[: tracer.layers.index(layer) + 1] if layer in tracer.layers else tracer.layers + [layer]
    call = FailedCall(error, str(error), op=op.op if op else None, inputs=list(op.inputs) if op else [],
                      facts=dict(op.args) if op else {}, layer=layer.name if layer else None,
                      kind=layer.kind if layer else None, attributes=dict(failure.attributes) if failure else {},
                      layer_inputs=list(layer.inputs) if layer else [], ran=ran, in_collate=in_collate(error),
                      source=op.source if op else "")
    if not call.inputs and call.layer_inputs and call.op is None:
        call.inputs = call.layer_inputs
    explanation = explain_call(call)
    if explanation is None:
        return None
    if layer is not None:
        explanation.layer = layer.name
        explanation.layers = _layer_lines(ran)
    return explanation
