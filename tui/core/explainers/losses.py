"""Losses: ``cross_entropy``/``nll_loss`` and the element-wise losses (``binary_cross_entropy``,
``mse_loss``, ``l1_loss``...).

Contract: class-index losses take logits (N, C, ...) and integer targets (N, ...) with values
in 0..C-1; element-wise losses take two tensors of one shape.
"""

from __future__ import annotations

from tui.core.explainers.broadcast import broadcast, explain_failure
from tui.core.explainers.call import Explanation, FailedCall, shape

CLASS_LOSSES = {"cross_entropy", "nll_loss", "nll_loss2d", "nll_loss_nd"}
ELEMENT_LOSSES = {"binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss", "l1_loss",
                  "smooth_l1_loss", "huber_loss", "kl_div"}


def _class_loss(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    x, t = call.inputs[0], call.inputs[1]
    op = call.op or "cross_entropy"
    operands = [f"input (logits) {shape(x)}", f"target {shape(t)} {call.dtype(1)}".rstrip()]
    classes = x[1] if len(x) >= 2 else x[0] if x else 0
    span = call.value_range(1)
    is_float = call.dtype(1).startswith(("float", "double", "half", "bfloat"))
    if len(x) >= 3 and tuple(t) == tuple(x[:-1]) and x[-1] != x[1]:
        return Explanation(op, operands, f"{op} reads class scores at dim 1 ({x[1]} here), but the targets are {shape(t)}, which is the "
                           f"input without its last dim: the {x[-1]} class scores are last, as a Linear layer leaves them.",
                           f"move the classes to dim 1: {op}(logits.permute(0, {len(x) - 1}, {', '.join(str(d) for d in range(1, len(x) - 1))}), target); "
                           f"or flatten both: {op}(logits.reshape(-1, {x[-1]}), target.reshape(-1)).")
    if len(x) == 3 and x[0] == 1 and len(t) == 1 and x[1] == t[0]:
        rnn = next((l for l in call.ran if l.kind in ("LSTM", "GRU", "RNN")), None)
        where = f" as {rnn.name}'s h_n is (layers x directions, batch, hidden)" if rnn else ""
        return Explanation(op, operands, f"the input {shape(x)} has a leading dim of 1 before the batch of {x[1]}{where}; "
                           f"{op} then reads dim 1 ({x[1]}) as the classes.",
                           f"drop the leading dim: use h_n[-1] (the last layer's state, ({x[1]}, hidden)) before the head, or logits.squeeze(0).")
    if span and span[1] >= classes and "out of bounds" in call.message or (span and span[1] >= classes and not is_float):
        low, high = span
        problem = f"targets go up to {high}, but the model gives {classes} class scores, so valid targets are 0 to {classes - 1}."
        if low >= 1 and high == classes:
            return Explanation(op, operands, problem + " The smallest target is 1: the labels count from 1.",
                               f"subtract 1 from the labels (target - 1) so they run 0..{classes - 1}; "
                               f"or, if there really are {high + 1} classes, give the last layer {high + 1} outputs.")
        return Explanation(op, operands, problem, f"give the last layer {high + 1} outputs (one per class), or map the labels into 0..{classes - 1}.")
    if len(t) == len(x) and len(x) >= 2:
        if t[1] == 1 and t[:1] + t[2:] == x[:1] + x[2:]:
            return Explanation(op, operands, f"the targets have an extra dim of size 1 at dim 1: class-index targets are {shape(x[:1] + x[2:])}, one index per sample.",
                               f"drop it: target.squeeze(1) gives {shape(t[:1] + t[2:])}.")
        if t[1] > 1 and t[:1] == x[:1]:
            problem = f"the targets look one-hot ({t[1]} columns per sample) where {op} wants one class index per sample."
            if t[1] != classes:
                problem += f" They also have {t[1]} columns where the model gives {classes} classes: one of them is wrong."
                return Explanation(op, operands, problem, f"turn one-hot rows into indices with target.argmax(dim=1), and check that the "
                                   f"model's output count ({classes}) is the number of classes ({t[1]} in the targets).", unsure=True)
            return Explanation(op, operands, problem, "turn one-hot rows into indices: target.argmax(dim=1) (integer dtype).")
    if x and t and x[0] != t[0]:
        problem = f"the input has {x[0]} rows (samples) but the target has {t[0]}."
        if classes and t[0] == x[0] * classes and len(x) == 2:
            return Explanation(op, operands, problem + f" {t[0]} = {x[0]} x {classes} classes: one-hot targets were flattened (view(-1)).",
                               "keep one index per sample: target.argmax(dim=1) instead of target.view(-1).")
        if x[0] % t[0] == 0:
            k = x[0] // t[0]
            return Explanation(op, operands, problem + f" {x[0]} is {k} x {t[0]}: the outputs of {k} inputs (or a sequence of {k}) were "
                               "joined or reshaped along dim 0, the batch dim.",
                               f"join per-sample features along dim=1 (torch.cat([...], dim=1)) so the batch stays {t[0]}; "
                               f"or, for one prediction per position, repeat/flatten the targets to match ({x[0]},).", unsure=True)
        if t[0] % x[0] == 0:
            k = t[0] // x[0]
            return Explanation(op, operands, problem + f" The target has {k} times as many rows: it was flattened or joined along dim 0.",
                               "check how the targets are reshaped: one class index per row of the input.", unsure=True)
        return Explanation(op, operands, problem + " The batches do not come from the same place.",
                           "take inputs and targets from the same batch (the last batch can be smaller: use x.size(0), not a fixed batch size).", unsure=True)
    if len(t) == len(x) + 1 and t[1] == 1:
        return Explanation(op, operands, "the targets have an extra dim of size 1 at dim 1.", "drop it: target.squeeze(1).")
    return None


def _element_loss(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    x, t = call.inputs[0], call.inputs[1]
    op = call.op or "loss"
    if x == t:
        return None
    operands = [f"input {shape(x)}", f"target {shape(t)}"]
    problem = f"an element-wise loss compares input and target value by value, so they need one shape; here {shape(x)} and {shape(t)}."
    if len(x) == len(t) + 1 and x[-1] == 1 and x[:-1] == t:
        return Explanation(op, operands, problem, f"make them match: output.squeeze(-1) gives {shape(t)} (or target.unsqueeze(-1)).")
    if len(t) == len(x) + 1 and t[-1] == 1 and t[:-1] == x:
        return Explanation(op, operands, problem, f"make them match: target.squeeze(-1) gives {shape(x)} (or output.unsqueeze(-1)).")
    if len(x) == len(t) + 1 and x[1] == 1 and x[:1] + x[2:] == t:
        return Explanation(op, operands, problem, f"add the channel dim to the target: target.unsqueeze(1) gives {shape(x)}.")
    if len(x) == len(t) and len(x) >= 2 and x[1] == 1 and t[1] in (3, 4) and x[2:] == t[2:]:
        return Explanation(op, operands, problem + f" The target has {t[1]} channels where the output has 1: the masks were loaded as colour images.",
                           "load the masks as one channel (Image.convert('L')), or keep one channel: target[:, :1].")
    if len(x) == len(t) and all(a <= b for a, b in zip(x, t)) and any(a != b for a, b in zip(x, t)):
        ratios = {b // a for a, b in zip(x, t) if a != b and a and b % a == 0}
        if len(ratios) == 1:
            r = ratios.pop()
            return Explanation(op, operands, problem + f" The target is {r} times larger in the spatial dims: the model's output is downsampled by {r}.",
                               f"resize one to the other: F.interpolate(output, size={shape(t[2:])}) or downsample the target by {r}.", unsure=True)
    outcome = broadcast(x, t)
    if not outcome.ok:
        problem += " " + explain_failure(x, t)
    return Explanation(op, operands, problem, "reshape one of them to the other's shape (view_as / squeeze / unsqueeze).", unsure=True)


def explain(call: FailedCall) -> Explanation | None:
    """Check a loss call against its contract."""
    op = call.op or ""
    if op in CLASS_LOSSES or (call.kind or "") in ("CrossEntropyLoss", "NLLLoss"):
        return _class_loss(call)
    if op in ELEMENT_LOSSES:
        return _element_loss(call)
    return None
