"""Joining: ``cat`` and ``stack``, the DataLoader's batching of samples, U-Net skip connections.

Contract: ``cat`` needs every dim but the joined one equal; ``stack`` needs equal shapes. In a
DataLoader, ``default_collate`` stacks the samples of one batch, so each sample must be one size.
"""

from __future__ import annotations

from tui.core.explainers.call import Explanation, FailedCall, shape


def _depth(call: FailedCall) -> int:
    """How many halvings ran before the failure (pooling and stride-2 layers)."""
    halvings = 0
    for layer in call.ran:
        inputs, out = layer.inputs[0] if layer.inputs else None, layer.output
        if inputs is not None and out is not None and len(inputs) == len(out) >= 3 and layer.kind not in ("Sequential",):
            if all(o * 2 <= i + 1 and o < i for i, o in zip(inputs[2:], out[2:])):
                halvings += 1
    return halvings


def _first_image(call: FailedCall):
    for layer in call.ran:
        if layer.inputs and len(layer.inputs[0]) >= 3:
            return layer.inputs[0]
    return None


def _cat(call: FailedCall) -> Explanation | None:
    shapes = call.inputs
    if len(shapes) < 2:
        return None
    dim = call.facts.get("dim", call.param(1, "dim", 0))
    ndim = len(shapes[0])
    if not isinstance(dim, int) or not ndim:
        return None
    dim %= ndim
    operands = [f"tensor {i} {shape(s)}" for i, s in enumerate(shapes[:6])] + ([f"... {len(shapes)} tensors"] if len(shapes) > 6 else [])
    for index, s in enumerate(shapes[1:], 1):
        if len(s) != ndim:
            return Explanation("cat", operands, f"every tensor needs {ndim} dims; tensor {index} has {len(s)}.",
                               f"give tensor {index} the same number of dims (unsqueeze/reshape) before joining.")
        bad = next((d for d in range(ndim) if d != dim and s[d] != shapes[0][d]), None)
        if bad is None:
            continue
        problem = (f"cat along dim {dim} needs every other dim equal; tensor {index} has {s[bad]} in dim {bad} "
                   f"where tensor 0 has {shapes[0][bad]}.")
        if ndim >= 3 and bad >= 2 and abs(s[bad] - shapes[0][bad]) == 1:
            depth = max(_depth(call), 1)
            image = _first_image(call)
            size = f" The input image is {'x'.join(map(str, image[2:]))}" if image else ""
            problem += (f" Off by one in a spatial dim, as in a U-Net skip connection: an odd size was halved (pooling "
                        f"rounds down) and the upsampled map came back one short.{size}; with {depth} halvings each side "
                        f"must be a multiple of 2^{depth} = {2 ** depth}.")
            return Explanation("cat", operands, problem,
                               f"use input sizes that are multiples of {2 ** depth} (resize or pad the images), or crop/pad "
                               f"before joining: F.interpolate(up, size=skip.shape[2:]) or F.pad.")
        fix = f"make dim {bad} equal ({shapes[0][bad]}) in every tensor"
        if bad != dim and s[dim] == shapes[0][dim]:
            fix += f", or join along the dim that differs (dim={bad}) if that is what you meant"
        return Explanation("cat", operands, problem, fix + ".")
    return None


def _stack(call: FailedCall) -> Explanation | None:
    shapes = call.inputs
    if len(shapes) < 2:
        return None
    first = shapes[0]
    index = next((i for i, s in enumerate(shapes) if s != first), None)
    if index is None:
        return None
    other = shapes[index]
    what = "sample" if call.in_collate else "entry"
    operands = [f"{what} 0 {shape(first)}", f"{what} {index} {shape(other)}"] + ([f"({len(shapes)} tensors in all)"] if len(shapes) > 2 else [])
    problem = f"stack needs every tensor to have exactly one shape; {what} 0 is {shape(first)} and {what} {index} is {shape(other)}."
    if call.in_collate:
        problem = ("the DataLoader batches samples by stacking them (its default_collate), so every sample of a batch "
                   f"must have one shape; sample 0 of this batch is {shape(first)}, sample {index} is {shape(other)}.")
    if len(first) == len(other) == 3 and first[1:] == other[1:] and {first[0], other[0]} == {1, 3}:
        problem += " One has 1 channel, the other 3: grayscale images among RGB ones."
        fix = "convert every image to RGB when loading (Image.convert('RGB')) in the Dataset."
    elif len(other) == len(first) - 1 and first[1:] == other or len(first) == len(other) - 1 and other[1:] == first:
        problem += " One is missing the channel dim: a grayscale image loaded as 2-D among RGB ones."
        fix = "convert every image to RGB when loading (Image.convert('RGB')), so each is (3, H, W)."
    elif sorted(first) == sorted(other) and len(first) >= 2:
        problem += " They hold the same sizes in another order: one is transposed."
        fix = "transpose/permute that tensor to the common layout before stacking (check height and width order)."
    elif len(first) == len(other) == 1:
        problem += " Sequences of different lengths."
        fix = ("pad them to one length (torch.nn.utils.rnn.pad_sequence, with a collate_fn in the DataLoader) and keep the "
               "lengths; or batch_size=1.")
    else:
        fix = "make every item one size (resize or crop images to a fixed size, e.g. transforms.Resize((H, W)))"
        fix += " in the Dataset's __getitem__, or pass the DataLoader a collate_fn that pads." if call.in_collate else ", or use torch.cat to join along an existing dim."
    if call.in_collate and "collate_fn" not in fix:
        fix += " Do it in the Dataset's __getitem__ so every sample comes out one size."
    return Explanation("stack (DataLoader batching)" if call.in_collate else "stack", operands, problem, fix)


def explain(call: FailedCall) -> Explanation | None:
    """Check a cat or stack call against its contract."""
    if call.op in ("cat", "concat", "concatenate", "hstack", "vstack"):
        return _cat(call)
    if call.op == "stack":
        return _stack(call)
    return None
