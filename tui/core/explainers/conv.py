"""Convolutions and pooling: channel count, channels-last images, rank, and too-small inputs.

Contract: a ``convNd`` input is (N, C, *spatial) or unbatched (C, *spatial) with C equal to the
weight's dim 1 times ``groups``; every spatial size, padded, is at least the kernel.
"""

from __future__ import annotations

import re

from tui.core.explainers.call import Explanation, FailedCall, layer_call, shape

_PERMUTE = {1: "permute(0, 2, 1)", 2: "permute(0, 3, 1, 2)", 3: "permute(0, 4, 1, 2, 3)"}


def _spatial(op: str) -> int:
    match = re.search(r"(\d)d", op)
    return int(match.group(1)) if match else 2


def _trail(call: FailedCall, d: int) -> str:
    """The spatial size after each layer that ran: how the image shrank."""
    sizes = []
    for layer in call.ran:
        out = getattr(layer, "output", None)
        if out is not None and len(out) >= d + 1 and layer.kind not in ("Sequential", "ModuleList"):
            sizes.append(f"{layer.name} -> {'x'.join(map(str, out[-d:]))}")
    return "; ".join(sizes[-6:])


def _too_small(call: FailedCall, d: int) -> Explanation:
    x = call.inputs[0] if call.inputs else call.layer_inputs[0] if call.layer_inputs else None
    size = "x".join(map(str, x[-d:])) if x else "?"
    kernel = call.attributes.get("kernel_size") or (call.inputs[1][2:] if call.op and call.op.startswith("conv") and len(call.inputs) > 1 else None)
    ktext = "x".join(map(str, kernel)) if isinstance(kernel, tuple) else str(kernel) if kernel else "the kernel"
    trail = _trail(call, d)
    problem = (f"the input reaching this layer is only {size} per channel, smaller than {ktext} (after padding): "
               f"each stride-2 conv or pooling layer halves the size.")
    if trail:
        problem += f" Size after each layer: {trail}."
    fix = ("give the model larger inputs (resize the images up), or remove a pooling/stride-2 layer, or add padding; "
           "the input must survive every halving.")
    return Explanation(call.op or "conv", [f"input {shape(x)}"], problem, fix)


def explain(call: FailedCall) -> Explanation | None:
    """Check a conv or pool call against its contract."""
    op = call.op or ""
    if not (op.startswith(("conv", "max_pool", "avg_pool", "adaptive", "lp_pool")) or (call.kind or "").startswith(("Conv", "MaxPool", "AvgPool"))):
        return None
    d = _spatial(op or call.kind or "")
    if "greater than actual input size" in call.message or "Output size is too small" in call.message:
        return _too_small(call, d)
    if not op.startswith("conv") or len(call.inputs) < 2:
        return None
    x, weight = call.inputs[0], call.inputs[1]
    groups = call.param(6, "groups", 1) if isinstance(call.param(6, "groups", 1), int) else 1
    expected = weight[1] * groups
    operands = [f"input {shape(x)}", f"weight {shape(weight)} (out_channels={weight[0]}, in_channels={expected})"]
    if len(x) not in (d + 1, d + 2):
        want = f"(N, C, {', '.join('HW'[i] if d == 2 else 'L' if d == 1 else 'DHW'[i] for i in range(d))})"
        if len(x) == d + 3 and x[0] == 1:
            return Explanation(op, operands, f"{op} takes a {d + 2}-D batch {want}; this input is {len(x)}-D: the batch dim "
                               f"appears twice (a leading 1 on top of the batch of {x[1]}).",
                               f"drop the extra dim: x.squeeze(0) gives {shape(x[1:])}; check where the batch was added "
                               f"(unsqueeze(0) on data the DataLoader already batched).")
        if len(x) == d + 3:
            return Explanation(op, operands, f"{op} takes a {d + 2}-D batch {want}; this input is {len(x)}-D, one dim too many.",
                               "merge or drop the extra dim (reshape) so the input is (N, C, spatial...).", unsure=True)
        return Explanation(op, operands, f"{op} takes {want} or one sample (C, ...); this input is only {len(x)}-D: the "
                           f"channel dim (and the batch dim) are missing.",
                           f"add them: x.unsqueeze(0).unsqueeze(0) gives {shape((1, 1) + x)} for one grayscale sample, "
                           f"or x.unsqueeze(1) for a batch of one-channel images.")
    channels = x[1] if len(x) == d + 2 else x[0]
    if channels == expected:
        return None
    layer = call.layer
    problem = f"the layer expects {expected} input channels in dim {1 if len(x) == d + 2 else 0}, but the input has {channels} there."
    if x[-1] == expected and len(x) == d + 1:
        problem += f" It is one sample ({len(x)}-D, no batch dim) whose last dim is {expected}: the channels are last, as images load from files."
        order = ", ".join(str(i) for i in range(d))
        fix = f"move the channels first: x.permute({d}, {order}) gives {shape((x[-1],) + x[:-1])}; add a batch dim with .unsqueeze(0)."
    elif x[-1] == expected and len(x) == d + 2:
        problem += f" Its last dim is {expected}: the channels are last (channels-last data, as images load from files)."
        fix = f"move the channels to dim 1: x = x.{_PERMUTE[d]} gives {shape((x[0], x[-1]) + x[1:-1])}."
    elif channels == 1 and expected == 3:
        problem += " One channel where three are expected: a grayscale image given to a model built for RGB."
        fix = (f"repeat the channel: x.repeat(1, 3, {', '.join(['1'] * d)}), or convert the images to RGB when loading "
               f"(Image.convert('RGB')), or build the first layer for one channel: {layer_call(call, {'in_channels': 1}) if call.kind else 'in_channels=1'}.")
    elif channels == 4 and expected == 3:
        problem += " Four channels where three are expected: RGBA images (a fourth, alpha channel)."
        fix = "keep the colour channels: x[:, :3], or load with Image.convert('RGB')."
    elif channels == 3 and expected == 1:
        problem += " Three channels where one is expected: RGB images given to a model built for grayscale."
        fix = (f"convert the images to grayscale when loading (Image.convert('L')), or build the layer for three channels: "
               f"{layer_call(call, {'in_channels': 3}) if call.kind else 'in_channels=3'}.")
    else:
        before = next((l for l in reversed(call.ran) if l.name != layer and l.output is not None and len(l.output) > 1
                       and l.output[1] == channels and l.kind not in ("Sequential",)), None)
        if before:
            problem = problem[:-1] + f" ({before.name} outputs {channels} channels)."
        ctor = layer_call(call, {"in_channels": channels}) if call.kind else f"in_channels={channels}"
        fix = f"make the layer {ctor} so it takes the {channels} channels it is given, or change what feeds it to give {expected}."
    return Explanation(op, operands, problem, fix)
