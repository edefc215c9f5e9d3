"""Element-wise ops and broadcasting: the dimension PyTorch names, counted on right-aligned shapes.

Contract: line the shapes up from the right; in every dim the sizes are equal or one is 1.
"""

from __future__ import annotations

from tui.core.explainers.broadcast import broadcast, diagram, explain_failure
from tui.core.explainers.call import Explanation, FailedCall, shape
from tui.core.tracing.expressions import operand_names


def explain(call: FailedCall) -> Explanation | None:
    """Explain a broadcasting failure from the two operands' shapes."""
    if "must match the size of tensor b" not in call.message and not (len(call.inputs) >= 2 and not broadcast(call.inputs[0], call.inputs[1]).ok):
        return None
    op = call.op or "an element-wise op"
    if len(call.inputs) < 2:
        numbers = call.numbers(r"tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)")
        if not numbers:
            return None
        a, b, dim = numbers
        return Explanation(op, [f"a has size {a} in dimension {dim}", f"b has size {b} there"],
                           f"dimension {dim}: {a} vs {b}, and neither is 1.",
                           "make the sizes equal or 1 in that dimension (reshape or .unsqueeze()).", unsure=True)
    a, b = call.inputs[0], call.inputs[1]
    outcome = broadcast(a, b)
    if outcome.ok:
        return None
    problem = explain_failure(a, b)
    fix = "make the sizes equal or 1 in that dimension: reshape, .unsqueeze() a missing dimension in the right place, or transpose one operand."
    if sorted(a) == sorted(b) and a != b:
        problem += " The operands hold the same sizes in another order: one is transposed or permuted."
        fix = "permute/transpose one operand to the other's layout (check which dim is batch, sequence, features)."
    elif len(a) != len(b):
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        for d in range(len(long_)):
            if tuple(long_[:d] + long_[d + 1:]) == tuple(short):
                fix = (f"the {shape(short)} operand lacks dim {d} of the {shape(long_)} one; broadcasting pads on the left, "
                       f"so add it where it belongs: .unsqueeze({d}) (or keepdim=True in the reduction that made it).")
                break
    names = operand_names(call.source, call.op or "") if call.source and call.op else None
    left, right = names or ("a", "b")
    if names:
        problem = problem.replace(f"{shape(a)} and {shape(b)} do not", f"{left} {shape(a)} and {right} {shape(b)} do not")
    return Explanation(op, [f"{left} {shape(a)}", f"{right} {shape(b)}"], problem, fix, diagram(a, b, names=(left, right)))
