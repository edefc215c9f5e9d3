"""The matmul family: ``linear``, ``@``/``matmul``, ``mm``, ``bmm``, ``einsum``, ``mv``, ``dot``.

Contract: the left operand's last size meets the right's first matrix size (for ``linear``, the
input's last size is the layer's ``in_features``); ``bmm`` takes two 3-D tensors with one batch
size; every ``einsum`` letter has one size (or 1) in every operand.
"""

from __future__ import annotations

import re

from tui.core.explainers.call import Explanation, FailedCall, Shape, layer_call, product, shape

OPS = {"linear", "matmul", "mm", "bmm", "einsum", "mv", "dot", "addmm", "baddbmm", "matmul_", "__matmul__"}


def _linear(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    x, weight = call.inputs[0], call.inputs[1]
    out_features, in_features = (weight[0], weight[-1]) if len(weight) == 2 else (weight[0], weight[0])
    if x and x[-1] == in_features:
        return None
    have = x[-1] if x else 0
    operands = [f"input {shape(x)}", f"weight {shape(weight)} (out_features={out_features}, in_features={in_features})"]
    problem = f"the layer expects in_features = {in_features} values in the input's last dimension, but it has {have}."
    fixes = []
    unbatched = next((l for l in call.ran if l.kind in ("Conv1d", "Conv2d", "Conv3d") and l.inputs
                      and len(l.inputs[0]) == int(l.kind[-2]) + 1), None)
    if unbatched is not None and len(x) == 2 and product(x) == in_features:
        problem += (f" The model was given one sample without a batch dim: {unbatched.name} got {shape(unbatched.inputs[0])}, "
                    f"so a flatten that keeps dim 0 as the batch made {x[0]} rows of {have} instead of 1 row of {in_features}.")
        return Explanation("linear", operands, problem, f"add the batch dim to the input: model(x.unsqueeze(0)) gives one row of "
                           f"{in_features} features (and an output of shape (1, {out_features})).")
    if len(x) > 2 and product(x[1:]) == in_features:
        problem += (f" The input still has {len(x)} dims: the {shape(x[1:])} per sample were not flattened "
                    f"({product(x[1:])} values, exactly in_features).")
        fixes.append(f"flatten before the layer: x = x.flatten(1) (or nn.Flatten()), giving ({x[0]}, {in_features})")
    elif len(x) == 2 and have and in_features % have == 0 and in_features // have > 1 and x[0] % (in_features // have) == 0:
        k = in_features // have
        problem += (f" The input has {k} times too few features and {x[0]} rows, a multiple of {k}: {k} tensors of "
                    f"{have} features look joined along dim 0 (stacking samples) where dim 1 (side by side) was meant.")
        fixes.append(f"if you joined {k} tensors, join them with torch.cat([...], dim=1) to get ({x[0] // k}, {in_features})")
        fixes.append(f"or, if {have} features per sample is right, make the layer {layer_call(call, {'in_features': have}) if call.kind == 'Linear' else f'nn.Linear({have}, {out_features})'}")
        return Explanation("linear", operands, problem + " Not sure: the shapes fit this cause, but they do not prove it.",
                           "; ".join(fixes) + ".", unsure=True)
    if not fixes:
        ctor = layer_call(call, {"in_features": have}) if call.kind == "Linear" else f"nn.Linear({have}, {out_features})"
        fixes.append(f"make the layer {ctor} so in_features matches the input's last size {have}, "
                     f"or give it an input whose last dimension is {in_features}")
    return Explanation("linear", operands, problem, "; ".join(fixes) + ".")


def _matmul(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    a, b = call.inputs[0], call.inputs[1]
    op = call.op or "matmul"
    if op in ("bmm", "baddbmm") or (op == "matmul" and len(a) >= 3 and len(b) >= 3):
        return _bmm(call, a, b, op)
    if not a or not b:
        return None
    if len(a) == 1 and len(b) == 1:
        return Explanation(op, [f"left {shape(a)}", f"right {shape(b)}"],
                           f"the dot product of two vectors needs equal lengths, here {a[0]} and {b[0]}.",
                           "make the vectors the same length.")
    inner_b = b[0] if len(b) == 1 else b[-2]
    if a[-1] == inner_b:
        return None
    operands = [f"left {shape(a)}", f"right {shape(b)}"]
    if len(b) == 1:
        return Explanation(op, [f"matrix {shape(a)}", f"vector {shape(b)}"],
                           f"a matrix times a vector needs the vector's length ({b[0]}) to equal the matrix's last size ({a[-1]}).",
                           f"use a vector of length {a[-1]}, or transpose the matrix if it is the other way round.")
    problem = f"in a @ b the left's last size ({a[-1]}) must equal the right's first matrix size ({inner_b})."
    if len(b) >= 2 and a[-1] == b[-1]:
        fix = f"transpose the right: a @ b.T (or b.mT) gives {shape(a[:-1] + b[-2:-1])}."
    elif len(a) >= 2 and a[-2] == inner_b:
        fix = f"transpose the left: a.T @ b (or a.mT @ b) gives {shape((a[-1],) + b[1:] if len(b) == 2 else (a[-1],))}."
    else:
        fix = f"reshape or transpose so the inner sizes meet: ({a[-2] if len(a) > 1 else 1}, k) @ (k, {b[-1] if len(b) > 1 else 1})."
    return Explanation(op, operands, problem, fix)


def _bmm(call: FailedCall, a: Shape, b: Shape, op: str) -> Explanation:
    operands = [f"left {shape(a)}", f"right {shape(b)}"]
    if op in ("bmm", "baddbmm") and (len(a) != 3 or len(b) != 3):
        flat, other = (a, b) if len(a) != 3 else (b, a)
        side = "left" if flat is a else "right"
        problem = (f"bmm multiplies two batches of matrices, each 3-D (B, n, k) @ (B, k, m); the {side} is "
                   f"{len(flat)}-D {shape(flat)}.")
        if len(flat) == 2 and len(other) == 3 and flat[0] == other[0]:
            unsq = 1 if side == "left" else 2
            made = (flat[0], 1, flat[1]) if unsq == 1 else (flat[0], flat[1], 1)
            fix = f"add the missing matrix dim: {side}.unsqueeze({unsq}) makes it {shape(made)}."
        else:
            fix = f"give the {side} a batch dim first (.unsqueeze(0)), or use torch.matmul, which broadcasts."
        return Explanation(op, operands, problem, fix)
    if a[0] != b[0] and len(a) == 3 and len(b) == 3:
        return Explanation(op, operands, f"the batch sizes differ: {a[0]} matrices on the left, {b[0]} on the right.",
                           "give both sides the same batch size (dim 0); check where each was built or sliced.")
    problem = f"in (B, n, k) @ (B, k, m) the left's last size ({a[-1]}) must equal the right's size at dim -2 ({b[-2]})."
    if a[-1] == b[-1]:
        fix = "transpose the last two dims of the right: torch.bmm(a, b.transpose(1, 2)) (or a @ b.mT)."
    else:
        fix = "reshape so the inner sizes meet, or transpose the last two dims of one side (.mT)."
    return Explanation(op, operands, problem, fix)


def _einsum(call: FailedCall) -> Explanation | None:
    equation = next((p for p in call.facts.get("params", []) if isinstance(p, str)), None)
    if not equation:
        return None
    inputs = equation.replace(" ", "").split("->")[0].split(",")
    seen: dict[str, tuple[int, int]] = {}
    for index, (letters, dims) in enumerate(zip(inputs, call.inputs)):
        if "..." in letters:
            return None
        for letter, size in zip(letters, dims):
            if letter in seen and seen[letter][1] != size and 1 not in (size, seen[letter][1]):
                first, size0 = seen[letter]
                operands = [f"operand {i} '{l}' {shape(d)}" for i, (l, d) in enumerate(zip(inputs, call.inputs))]
                where0, where1 = inputs[first].index(letter), letters.index(letter)
                problem = (f"subscript '{letter}' means one size in every operand, but it is {size0} in operand {first} "
                           f"(dim {where0}) and {size} in operand {index} (dim {where1}).")
                fix = (f"check the order of letters in '{equation}' against each tensor's dims; if operand {index}'s dims "
                       f"are in another order, permute it first, or rename the letter where the sizes really differ.")
                return Explanation("einsum", operands, problem, fix)
            seen.setdefault(letter, (index, size))
    return None


def explain(call: FailedCall) -> Explanation | None:
    """The matmul family's contract against the recorded operands."""
    if call.op == "linear":
        return _linear(call)
    if call.op == "einsum":
        return _einsum(call)
    if call.op in OPS:
        return _matmul(call)
    return None


MESSAGES = [re.compile(r"mat1 and mat2 shapes cannot be multiplied"), re.compile(r"batch1 must be a 3D tensor")]
