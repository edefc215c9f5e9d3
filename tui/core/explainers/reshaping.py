"""Reshaping and indexing: ``view``/``reshape`` element counts, ``view`` on a non-contiguous tensor,
``expand``, dims out of range (``squeeze``, ``unsqueeze``, ``transpose``...), ``gather``/
``scatter``/``index_select`` index shapes, ``embedding`` indices.
"""

from __future__ import annotations

import math
import re

from tui.core.explainers.call import Explanation, FailedCall, layer_call, product, shape


def _view(call: FailedCall) -> Explanation | None:
    if not call.inputs:
        return None
    source = call.inputs[0]
    numel = product(source)
    if "stride" in call.message or (call.facts.get("contiguous") and not call.facts["contiguous"][0] and "view" in (call.op or "")):
        return Explanation("view", [f"input {shape(source)}"],
                           "the input is not contiguous in memory (after .T, transpose or permute), so view cannot "
                           "reinterpret it without copying.",
                           "use .reshape(...) (it copies when it must), or call .contiguous() before .view(...).")
    params = [p for p in call.facts.get("params", [])[1:] if p is not None]
    target = params[0] if len(params) == 1 and isinstance(params[0], list) else [p for p in params if isinstance(p, int)]
    if not target:
        numbers = call.numbers(r"shape '\[([-\d, ]*)\]'")
        target = numbers or []
    if not target:
        return None
    target = tuple(target)
    op = call.op or "view"
    operands = [f"input {shape(source)} with {numel} elements", f"requested shape {shape(target)}"]
    known = math.prod(d for d in target if d != -1)
    if -1 in target:
        problem = f"{numel} elements cannot be split into parts of {known} (the sizes besides -1 multiply to {known})."
    else:
        problem = f"the requested shape holds {math.prod(target)} elements but the input has {numel}."
    if target[0] not in (-1, source[0]) and len(source) >= 2 and source[0] < target[0] and numel % max(1, math.prod(d for d in target[1:] if d != -1)) == 0:
        problem += (f" The first size {target[0]} is a fixed batch size, but this batch has {source[0]} samples "
                    f"(the last batch of an epoch is smaller).")
        rest = ", ".join(str(d) for d in target[1:]) or "-1"
        return Explanation(op, operands, problem, f"take the batch size from the tensor: x.{op}(x.size(0), {rest}), "
                           f"or x.{op}(-1, {rest}); or DataLoader(..., drop_last=True).")
    per_sample = product(source[1:]) if len(source) >= 2 else None
    if -1 in target and target[0] == -1 and per_sample and per_sample != known and len(source) >= 3:
        problem += (f" Each sample holds {shape(source[1:])} = {per_sample} values, not {known}: the image size reaching this "
                    f"point is not the one the sizes were worked out for.")
        return Explanation(op, operands, problem, f"flatten per sample with x.flatten(1) (gives ({source[0]}, {per_sample})) "
                           f"and make the next nn.Linear take in_features={per_sample}; or feed images of the size the model was built for.")
    first = next((d for d in target if d > 0), 1)
    example = f"({first}, {numel // first})" if numel % first == 0 else f"({numel},)"
    return Explanation(op, operands, problem, f"choose sizes whose product is {numel} (e.g. {example}), or put -1 for one size.")


def _expand(call: FailedCall) -> Explanation | None:
    numbers = call.numbers(r"Target sizes: \[([-\d, ]*)\]")
    source = call.inputs[0] if call.inputs else None
    target = tuple(numbers) if numbers else (call.inputs[1] if len(call.inputs) > 1 else None)
    if source is None or target is None:
        return None
    op = call.op or "expand"
    operands = [f"tensor {shape(source)}", f"target {shape(target)}"]
    pad = len(target) - len(source)
    aligned = (None,) * pad + tuple(source)
    bad = next((d for d in range(len(target) - 1, -1, -1) if aligned[d] not in (None, 1, target[d]) and target[d] != -1), None)
    problem = (f"expand lines the shapes up from the right and can only stretch sizes of 1; right-aligned, dim {bad} is "
               f"{aligned[bad]} in the tensor and {target[bad]} in the target." if bad is not None
               else "expand can only stretch sizes of 1, lining the shapes up from the right.")
    fix = "put a size-1 dim where the tensor should be stretched"
    if len(source) == len(target) - 1:
        for d in range(len(target)):
            if tuple(target[:d] + target[d + 1:]) == tuple(source) or all(s in (1, t) for s, t in zip(source, target[:d] + target[d + 1:])):
                fix = (f"the tensor is missing dim {d} (a reduction without keepdim=True drops it): "
                       f"use keepdim=True in the reduction, or x.unsqueeze({d}) before expanding")
                break
    return Explanation(op, operands, problem, fix + ".")


def _dim_range(call: FailedCall) -> Explanation | None:
    numbers = call.numbers(r"range of \[(-?\d+), (-?\d+)\], but got (-?\d+)")
    if not numbers:
        return None
    low, high, got = numbers
    source = call.inputs[0] if call.inputs else None
    ndim = high + 1
    op = call.op or "op"
    unsq = op.startswith("unsqueeze")
    operands = [f"tensor {shape(source)}" if source is not None else f"a {ndim}{'-1' if unsq else ''}-D tensor"]
    have = len(source) if source is not None else (ndim - 1 if unsq else ndim)
    problem = (f"dim={got} does not exist: the tensor has {have} dim{'s' if have != 1 else ''}, so "
               f"{'unsqueeze takes' if unsq else 'valid dims are'} {low} to {high}.")
    fix = f"use a dim from {low} to {high}"
    if source is not None and (not unsq and got >= len(source)):
        problem += " It has fewer dims than the code assumes: an earlier squeeze(), a reduction (max, sum, mean) or a batch of one removed one."
        fix += "; or keep the dim earlier (keepdim=True, squeeze(dim) with an explicit dim)"
    return Explanation(op, operands, problem, fix + ".")


def _index_shape(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    source, index = call.inputs[0], call.inputs[1]
    op = call.op or "gather"
    operands = [f"input {shape(source)}", f"index {shape(index)}"]
    dim = call.param(1, "dim")
    if "same number of dimensions" in call.message or (op in ("gather", "scatter", "scatter_", "scatter_add") and len(index) != len(source)):
        where = dim if isinstance(dim, int) else len(source) - 1
        return Explanation(op, operands, f"{op} needs the index to have as many dims as the input ({len(source)}); it has {len(index)}.",
                           f"add the missing dim: index.unsqueeze({where % len(source) if source else where}) "
                           f"(e.g. labels.unsqueeze(1) to pick one entry per row).")
    span = call.value_range(1)
    if span and isinstance(dim, int) and source:
        size = source[dim % len(source)]
        return Explanation(op, operands, f"the index goes up to {span[1]}, but dim {dim} has size {size} (valid 0 to {size - 1}).",
                           f"keep indices below {size}; check which dim you index.")
    return None


def _embedding(call: FailedCall) -> Explanation | None:
    if len(call.inputs) < 2:
        return None
    index, weight = call.inputs[0], call.inputs[1]
    count = weight[0]
    span = call.value_range(0)
    operands = [f"indices {shape(index)}" + (f" from {span[0]} to {span[1]}" if span else ""),
                f"weight {shape(weight)} (num_embeddings={count})"]
    if span and span[0] < 0:
        return Explanation("embedding", operands, f"an index is negative ({span[0]}); rows are 0 to {count - 1}.",
                           "check the tokenizer/vocabulary lookup: padding or unknown tokens must map to a real row.")
    high = span[1] if span else None
    problem = (f"the largest index is {high}, but the table has num_embeddings = {count} rows (valid 0 to {count - 1})."
               if high is not None else f"an index is outside the table's {count} rows (valid 0 to {count - 1}).")
    ctor = layer_call(call, {"num_embeddings": high + 1}) if call.kind == "Embedding" and high is not None else f"nn.Embedding({(high or count) + 1}, ...)"
    return Explanation("embedding", operands, problem,
                       f"size the table from the data: {ctor} (vocabulary size = largest index + 1, e.g. len(vocab)); "
                       f"or map unseen tokens to an <unk> index below {count}.")


def _index(call: FailedCall) -> Explanation | None:
    match = re.search(r"index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)", call.message)
    if not match:
        return None
    index, dim, size = (int(g) for g in match.groups())
    source = call.inputs[0] if call.inputs else None
    operands = ([f"tensor {shape(source)}"] if source else [f"dimension {dim} of size {size}"]) + [f"index {index} in dimension {dim}"]
    return Explanation("index", operands,
                       f"dimension {dim} has size {size}, so its valid indices are 0 to {size - 1} (or -{size} to -1).",
                       f"use an index below {size}; check which dimension you meant (x[i] indexes dim 0, x[:, i] dim 1).")


def explain(call: FailedCall) -> Explanation | None:
    """Check a reshape or index call against its contract."""
    op = call.op or ""
    if "Dimension out of range" in call.message or "dimension out of range" in call.message:
        return _dim_range(call)
    if op in ("view", "reshape") or "view size is not compatible" in call.message:
        return _view(call)
    if op in ("expand", "expand_as", "broadcast_to") or "expanded size" in call.message:
        return _expand(call)
    if op == "embedding" or call.kind == "Embedding":
        return _embedding(call)
    if op in ("gather", "scatter", "scatter_", "scatter_add", "scatter_add_", "index_select", "take_along_dim"):
        return _index_shape(call)
    if op in ("index", "index_put", "select"):
        return _index(call)
    return None
