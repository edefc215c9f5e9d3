"""Shape errors in plain words: which op failed, on which shapes, which dimensions disagree, a fix.

:func:`explain_shape_error` reads PyTorch's message and, when a :class:`~tui.core.trace.ShapeTracer`
was running, the failed op's recorded shapes and the layers that ran. Returns None for errors that
are not about shapes.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from tui.core.broadcast import diagram, explain_failure
from tui.core.shapes import format_shape
from tui.core.trace import LayerRecord, OpRecord, ShapeTracer


@dataclass
class Explanation:
    """What went wrong with the shapes, for the learner.

    Attributes:
        op: the operation that failed (``linear``, ``matmul``, ``view``...).
        operands: each operand, named, with its shape: ``["input (2, 3, 4)", "weight (2, 2)"]``.
        problem: which dimensions disagree.
        fix: a likely fix.
        diagram: a broadcasting diagram, when it helps.
        layer: the layer that failed, when the error came from inside a module.
        layers: the layers that ran up to it, as ``name (Kind): (in) -> (out)`` lines.
    """

    op: str
    operands: list[str]
    problem: str
    fix: str
    diagram: list[str] = field(default_factory=list)
    layer: str | None = None
    layers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The explanation as plain text lines (for ``tensordojo trace``)."""
        out = [f"Shape error in {self.op}" + (f" (layer {self.layer})" if self.layer else "") + ":"]
        out += [f"  {operand}" for operand in self.operands]
        out += [f"  {line}" for line in self.diagram]
        out += [f"  Problem: {self.problem}", f"  Fix: {self.fix}"]
        if self.layers:
            out.append("  Layers that ran:")
            out += [f"    {line}" for line in self.layers]
        return out


def _dims(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"-?\d+", text))


def _shapes(failed: OpRecord | None, count: int) -> list[tuple[int, ...]] | None:
    if failed is None or len(failed.inputs) < count:
        return None
    return failed.inputs


def _matmul(match: re.Match, failed: OpRecord | None) -> Explanation:
    (rows_a, cols_a), (rows_b, cols_b) = _dims(match.group(1)), _dims(match.group(2))
    shapes = _shapes(failed, 2)
    if failed is not None and failed.op == "linear" and shapes:
        x, weight = shapes[0], shapes[1]
        out_features, in_features = weight[0], weight[-1]
        return Explanation(
            "linear", [f"input {format_shape(x)}", f"weight {format_shape(weight)} (out_features={out_features}, in_features={in_features})"],
            f"the layer expects in_features = {in_features} values in the input's last dimension, but it has {x[-1]}.",
            f"make the layer nn.Linear({x[-1]}, {out_features}) so in_features matches the input's last size "
            f"{x[-1]}, or give it an input whose last dimension is {in_features}.",
        )
    a = shapes[0] if shapes else (rows_a, cols_a)
    b = shapes[1] if shapes else (rows_b, cols_b)
    return Explanation(
        failed.op if failed else "matmul", [f"left {format_shape(a)}", f"right {format_shape(b)}"],
        f"in a @ b the left's last size ({cols_a}) must equal the right's first matrix size ({rows_b}).",
        f"transpose one side (a.T or b.T) or reshape so the inner sizes meet: ({rows_a}, k) @ (k, {cols_b}).",
    )


def _broadcasting(match: re.Match, failed: OpRecord | None) -> Explanation:
    size_a, size_b, dim = int(match.group(1)), int(match.group(2)), int(match.group(3))
    shapes = _shapes(failed, 2)
    op = failed.op if failed else "an element-wise op"
    if shapes:
        a, b = shapes[0], shapes[1]
        problem = explain_failure(a, b) or f"dimension {dim}: {size_a} vs {size_b}, and neither is 1."
        return Explanation(op, [f"a {format_shape(a)}", f"b {format_shape(b)}"], problem,
                           "make the sizes equal or 1 in that dimension: reshape, .unsqueeze() a missing "
                           "dimension in the right place, or transpose one operand.", diagram(a, b))
    return Explanation(op, [f"a has size {size_a} in dimension {dim}", f"b has size {size_b} there"],
                       f"dimension {dim}: {size_a} vs {size_b}, and neither is 1.",
                       "make the sizes equal or 1 in that dimension (reshape or .unsqueeze()).")


def _suggest_shape(numel: int, target: tuple[int, ...]) -> str:
    known = [d for d in target if d != -1]
    if known and numel % math.prod(known) == 0 and -1 not in target:
        return ""
    first = next((d for d in target if d > 0), 1)
    if numel % first == 0:
        return f"e.g. ({first}, {numel // first})"
    divisors = [d for d in range(2, numel) if numel % d == 0]
    return f"e.g. ({divisors[0]}, {numel // divisors[0]})" if divisors else f"e.g. ({numel},)"


def _view(match: re.Match, failed: OpRecord | None) -> Explanation:
    target, numel = _dims(match.group(1)), int(match.group(2))
    source = failed.inputs[0] if failed and failed.inputs else None
    op = failed.op if failed else "view"
    operands = [f"input {format_shape(source)} with {numel} elements" if source else f"input with {numel} elements",
                f"requested shape {format_shape(target)}"]
    if -1 in target:
        known = math.prod(d for d in target if d != -1)
        problem = f"{numel} elements cannot be split into parts of {known} (the sizes besides -1 multiply to {known})."
    else:
        problem = f"the requested shape holds {math.prod(target)} elements but the input has {numel}."
    return Explanation(op, operands, problem,
                       f"choose sizes whose product is {numel} ({_suggest_shape(numel, target)}), or put -1 for one size.")


def _noncontiguous(match: re.Match, failed: OpRecord | None) -> Explanation:
    source = failed.inputs[0] if failed and failed.inputs else None
    operands = [f"input {format_shape(source)}"] if source else []
    return Explanation("view", operands,
                       "the input is not contiguous in memory (after .T, transpose or permute), so view cannot "
                       "reinterpret it without copying.",
                       "use .reshape(...) (it copies when it must), or call .contiguous() before .view(...).")


def _cat(match: re.Match, failed: OpRecord | None) -> Explanation:
    dim, expected, got, index = (int(match.group(i)) for i in (1, 2, 3, 4))
    shapes = failed.inputs if failed else []
    operands = [f"tensor {i} {format_shape(s)}" for i, s in enumerate(shapes)]
    bad = next((d for d in range(len(shapes[0])) if d != dim and shapes[index][d] != shapes[0][d]), None) if len(shapes) > index else None
    where = f"dimension {bad}" if bad is not None else "another dimension"
    return Explanation("cat", operands,
                       f"cat along dim {dim} needs every other dimension to match; tensor {index} has {got} "
                       f"in {where} where tensor 0 has {expected}.",
                       f"make {where} equal ({expected}) in every tensor, or concatenate along the dimension "
                       f"that differs (dim={bad if bad is not None else '...'}).")


def _stack(match: re.Match, failed: OpRecord | None) -> Explanation:
    first, at_a, second, at_b = match.group(1), int(match.group(2)), match.group(3), int(match.group(4))
    a, b = _dims(first), _dims(second)
    return Explanation("stack", [f"entry {at_a} {format_shape(a)}", f"entry {at_b} {format_shape(b)}"],
                       f"stack needs every tensor to have exactly the same shape; entry {at_a} is {format_shape(a)} "
                       f"and entry {at_b} is {format_shape(b)}.",
                       "pad or slice them to one shape first; or use torch.cat to join them along an existing dimension.")


def _jagged(match: re.Match, failed: OpRecord | None) -> Explanation:
    expected, dim, got = int(match.group(1)), int(match.group(2)), int(match.group(3))
    return Explanation("tensor", [f"nested lists whose depth-{dim} lists have {expected} and {got} items"],
                       f"a tensor is a full grid, so every list at depth {dim} must have the same length; "
                       f"one has {got} items where {expected} were expected.",
                       f"pad the short lists to {max(expected, got)} items (with 0, say) and keep a mask or the true "
                       f"lengths beside them; torch.nn.utils.rnn.pad_sequence does this for a list of tensors.")


def _index(match: re.Match, failed: OpRecord | None) -> Explanation:
    index, dim, size = int(match.group(1)), int(match.group(2)), int(match.group(3))
    source = failed.inputs[0] if failed and failed.inputs else None
    operands = [f"tensor {format_shape(source)}"] if source else [f"dimension {dim} of size {size}"]
    return Explanation("index", operands + [f"index {index} in dimension {dim}"],
                       f"dimension {dim} has size {size}, so its valid indices are 0 to {size - 1} (or -{size} to -1).",
                       f"use an index below {size}; check which dimension you meant (x[i] indexes dim 0, x[:, i] dim 1).")


def _mv(match: re.Match, failed: OpRecord | None) -> Explanation:
    matrix, vector = _dims(match.group(1)), int(match.group(2))
    return Explanation("matmul", [f"matrix {format_shape(matrix)}", f"vector ({vector},)"],
                       f"a matrix times a vector needs the vector's length ({vector}) to equal the matrix's last size ({matrix[-1]}).",
                       f"use a vector of length {matrix[-1]}, or transpose the matrix if it is the other way round.")


def _dot(match: re.Match, failed: OpRecord | None) -> Explanation:
    a, b = int(match.group(1)), int(match.group(2))
    return Explanation("matmul", [f"left ({a},)", f"right ({b},)"],
                       f"the dot product of two vectors needs equal lengths, here {a} and {b}.",
                       "make the vectors the same length.")


def _bmm(match: re.Match, failed: OpRecord | None) -> Explanation:
    expected, got = _dims(match.group(1)), _dims(match.group(2))
    shapes = _shapes(failed, 2)
    operands = [f"left {format_shape(shapes[0])}", f"right {format_shape(shapes[1])}"] if shapes else []
    return Explanation(failed.op if failed else "bmm", operands,
                       f"in a batched product (B, n, k) @ (B, k, m) the right needs its first two sizes to be "
                       f"{format_shape(expected)}, but they are {format_shape(got)}.",
                       "make the batch sizes equal and the inner sizes meet (transpose the last two dims of one side with .mT).")


_PATTERNS: list[tuple[re.Pattern, Callable[[re.Match, OpRecord | None], Explanation]]] = [
    (re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+x\d+) and (\d+x\d+)\)"), _matmul),
    (re.compile(r"size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)"), _broadcasting),
    (re.compile(r"shape '\[([-\d, ]*)\]' is invalid for input of size (\d+)"), _view),
    (re.compile(r"view size is not compatible with input tensor's size and stride"), _noncontiguous),
    (re.compile(r"Sizes of tensors must match except in dimension (\d+)\. Expected size (\d+) but got size (\d+) for tensor number (\d+)"), _cat),
    (re.compile(r"stack expects each tensor to be equal size, but got \[([\d, ]*)\] at entry (\d+) and \[([\d, ]*)\] at entry (\d+)"), _stack),
    (re.compile(r"expected sequence of length (\d+) at dim (\d+) \(got (\d+)\)"), _jagged),
    (re.compile(r"index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)"), _index),
    (re.compile(r"size mismatch, got input \(\d+\), mat \((\d+x\d+)\), vec \((\d+)\)"), _mv),
    (re.compile(r"expected tensor \[\d+\] and src \[\d+\] to have the same number of elements, but got (\d+) and (\d+)"), _dot),
    (re.compile(r"Expected size for first two dimensions of batch2 tensor to be: \[([\d, ]+)\] but got: \[([\d, ]+)\]"), _bmm),
]


def _layer_lines(layers: list[LayerRecord]) -> list[str]:
    lines = []
    for layer in layers:
        inputs = ", ".join(format_shape(s) for s in layer.inputs) or "?"
        result = format_shape(layer.output) if layer.output is not None else "FAILED"
        detail = f" [{layer.detail}]" if layer.detail else ""
        lines.append(f"{layer.name} ({layer.kind}){detail}: {inputs} -> {result}")
    return lines


def explain_shape_error(error: BaseException, tracer: ShapeTracer | None = None) -> Explanation | None:
    """Explain a shape error, or return None when the error is not one."""
    message = str(error)
    failed = tracer.failed_op if tracer else None
    for pattern, build in _PATTERNS:
        match = pattern.search(message)
        if match:
            explanation = build(match, failed)
            if tracer and tracer.failed_layer is not None:
                explanation.layer = tracer.failed_layer.name
                leaves = [layer for layer in tracer.layers_to_failure if layer.kind not in ("Sequential", "ModuleList", "ModuleDict")]
                explanation.layers = _layer_lines(leaves)
            return explanation
    return None
