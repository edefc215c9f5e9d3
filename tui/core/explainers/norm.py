"""Normalisation: ``BatchNorm1d/2d``, ``LayerNorm``, ``GroupNorm``.

Contract: batch norm reads channels at dim 1 ((N, C) or (N, C, L) for 1d) and needs more than one
value per channel when training; layer norm's ``normalized_shape`` is the input's trailing dims;
group norm's ``num_channels`` is dim 1 and divisible by ``num_groups``.
"""

from __future__ import annotations

from tui.core.explainers.call import Explanation, FailedCall, layer_call, shape


def _batch_norm(call: FailedCall) -> Explanation | None:
    x = call.inputs[0] if call.inputs else call.layer_inputs[0] if call.layer_inputs else None
    if x is None:
        return None
    features = call.attributes.get("num_features") or (call.inputs[1][0] if len(call.inputs) > 1 and call.inputs[1] else None)
    operands = [f"input {shape(x)}"] + ([f"num_features={features}"] if features else [])
    kind = call.kind or "BatchNorm"
    if "more than 1 value per channel" in call.message:
        return Explanation("batch_norm", operands,
                           f"in training mode batch norm needs more than one value per channel to compute a variance; this "
                           f"batch has {x[0]} sample{'s' if x[0] != 1 else ''} and {'no spatial dims' if len(x) == 2 else 'spatial size ' + 'x'.join(map(str, x[2:]))}. "
                           f"Usually the last batch of an epoch holds a single sample.",
                           "drop the short last batch: DataLoader(..., drop_last=True); for predicting one sample call "
                           "model.eval() first (batch norm then uses its running statistics).")
    if features is None or (len(x) > 1 and x[1] == features):
        return None
    if len(x) == 3 and x[2] == features:
        return Explanation("batch_norm", operands,
                           f"a 3-D input is read as (N, C, L): channels at dim 1, which is {x[1]} here, but the layer has "
                           f"{features} features, which is your last dim: the data is (N, L, C).",
                           f"put the features at dim 1 around the layer: bn(x.transpose(1, 2)).transpose(1, 2); or flatten "
                           f"the positions into the batch: bn(x.reshape(-1, {features})).reshape({shape(x)[1:-1]}).")
    if len(x) >= 2:
        wanted = kind if kind.startswith("BatchNorm") else ("BatchNorm1d" if len(x) <= 3 else "BatchNorm2d")
        ctor = layer_call(call, {"num_features": x[1]}) if call.kind else f"nn.{wanted}({x[1]})"
        return Explanation("batch_norm", operands,
                           f"batch norm reads channels at dim 1: the input has {x[1]} there, the layer was built for {features}.",
                           f"make the layer {ctor} to match what feeds it, or change the previous layer to give {features}.")
    return None


def _layer_norm(call: FailedCall) -> Explanation | None:
    if not call.inputs:
        return None
    x = call.inputs[0]
    ns = call.attributes.get("normalized_shape") or call.param(1, "normalized_shape")
    ns = tuple(ns) if isinstance(ns, (list, tuple)) else (ns,) if isinstance(ns, int) else None
    if not ns or tuple(x[-len(ns):]) == ns:
        return None
    operands = [f"input {shape(x)}", f"normalized_shape={list(ns)}"]
    problem = f"layer norm normalises the last {len(ns)} dim(s), which must be {shape(ns)}, but the input ends in {shape(x[-len(ns):])}."
    if len(ns) == 1 and len(x) >= 3 and x[1] == ns[0]:
        problem += f" Dim 1 is {ns[0]}: the input is channels-first (N, C, ...), as conv layers give."
        perm = "permute(0, 2, 3, 1)" if len(x) == 4 else "transpose(1, 2)"
        back = "permute(0, 3, 1, 2)" if len(x) == 4 else "transpose(1, 2)"
        fix = f"move channels last around the norm: ln(x.{perm}).{back}; or use nn.GroupNorm(1, {ns[0]}), which reads channels at dim 1."
    else:
        ctor = layer_call(call, {"normalized_shape": (x[-1],)}) if call.kind == "LayerNorm" else f"nn.LayerNorm({x[-1]})"
        fix = f"make it {ctor} to normalise the {x[-1]} features the input has, or feed it an input whose last dim is {ns[-1]}."
    return Explanation("layer_norm", operands, problem, fix)


def _group_norm(call: FailedCall) -> Explanation | None:
    x = call.inputs[0] if call.inputs else call.layer_inputs[0] if call.layer_inputs else None
    if x is None or len(x) < 2:
        return None
    groups = call.attributes.get("num_groups") or call.param(1, "num_groups")
    channels = call.attributes.get("num_channels") or (call.inputs[1][0] if len(call.inputs) > 1 else None)
    operands = [f"input {shape(x)}", f"num_groups={groups}, num_channels={channels}"]
    c = x[1]
    if channels is not None and c != channels:
        fits = groups if isinstance(groups, int) and groups and c % groups == 0 else next((g for g in (32, 16, 8, 4, 2, 1) if c % g == 0), 1)
        return Explanation("group_norm", operands,
                           f"group norm reads channels at dim 1: the input has {c}, the layer was built for {channels}.",
                           f"make it nn.GroupNorm({fits}, {c}) (the channel count divisible by the groups).")
    if isinstance(groups, int) and groups and c % groups:
        fits = next(g for g in range(min(groups, c), 0, -1) if c % g == 0)
        return Explanation("group_norm", operands, f"{c} channels cannot be split into {groups} equal groups.",
                           f"use a group count that divides {c}, e.g. nn.GroupNorm({fits}, {c}).")
    return None


def explain(call: FailedCall) -> Explanation | None:
    """Check a normalisation call against its contract."""
    op, kind = call.op or "", call.kind or ""
    if op == "batch_norm" or kind.startswith("BatchNorm"):
        return _batch_norm(call)
    if op == "layer_norm" or kind == "LayerNorm":
        return _layer_norm(call)
    if op == "group_norm" or kind == "GroupNorm" or "divisible by num_groups" in call.message:
        return _group_norm(call)
    return None
