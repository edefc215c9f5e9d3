"""Recurrent layers: ``LSTM``, ``GRU``, ``RNN``.

PyTorch checks these in Python before any torch op runs, so the explanation comes from the
module call the tracer recorded (its input shapes) and the module's own attributes.

Contract: input (L, N, input_size), or (N, L, input_size) with ``batch_first=True``, or one
sequence (L, input_size); each initial state (num_layers x directions, N, hidden_size), whatever
``batch_first`` says.
"""

from __future__ import annotations

from tui.core.explainers.call import Explanation, FailedCall, layer_call, shape

KINDS = {"LSTM", "GRU", "RNN"}


def explain(call: FailedCall) -> Explanation | None:
    """Check a recurrent layer's call against its contract."""
    if call.kind not in KINDS or not call.layer_inputs:
        return None
    a = call.attributes
    x, states = call.layer_inputs[0], call.layer_inputs[1:]
    kind, size, hidden = call.kind, a.get("input_size"), a.get("hidden_size")
    layers = a.get("num_layers", 1) * (2 if a.get("bidirectional") else 1)
    batch_first = bool(a.get("batch_first"))
    layout = "(N, L, input_size)" if batch_first else "(L, N, input_size)"
    operands = [f"input {shape(x)}"] + [f"{'h0' if i == 0 else 'c0'} {shape(s)}" for i, s in enumerate(states)]
    operands.append(f"{kind}(input_size={size}, hidden_size={hidden}, num_layers={a.get('num_layers', 1)}, "
                    f"batch_first={batch_first}, bidirectional={bool(a.get('bidirectional'))})")
    if len(x) not in (2, 3):
        ones = [i for i, d in enumerate(x) if d == 1]
        fix = (f"drop the extra dim: x.squeeze({ones[0]}) gives {shape(x[:ones[0]] + x[ones[0] + 1:])}" if len(x) == 4 and ones
               else f"reshape to {layout}")
        return Explanation(kind.lower(), operands, f"{kind} takes a 3-D batch {layout} or one 2-D sequence; this input is {len(x)}-D.",
                           fix + (" (for images, treat rows as steps: (N, H, W) with input_size=W)." if len(x) == 4 else "."))
    if size is not None and x[-1] != size:
        return Explanation(kind.lower(), operands, f"the layer expects input_size = {size} features in the input's last dim, but it has {x[-1]}.",
                           f"build it as {layer_call(call, {'input_size': x[-1]})}, or project the features to {size} first "
                           f"(e.g. nn.Linear({x[-1]}, {size})).")
    if not states:
        return None
    batch = (x[0] if batch_first else x[1]) if len(x) == 3 else None
    expected = (layers, batch, hidden) if batch is not None else (layers, hidden)
    for name, state in zip(("h0", "c0"), states):
        if tuple(state) == expected:
            continue
        problem = f"{name} must be (num_layers x directions, batch, hidden_size) = {shape(expected)}, but it is {shape(state)}."
        if len(state) == len(expected) - 1 and tuple(state) == expected[1:]:
            return Explanation(kind.lower(), operands, problem + " The layers dim is missing.",
                               f"add it: {name}.unsqueeze(0) gives {shape((1,) + tuple(state))}.")
        if len(state) == 3 and state[0] != layers and state[1:] == expected[1:]:
            return Explanation(kind.lower(), operands, problem + f" Dim 0 counts layers x directions: {a.get('num_layers', 1)} x "
                               f"{2 if a.get('bidirectional') else 1} = {layers}.",
                               f"make it torch.zeros({layers}, {batch}, {hidden}) (or leave the initial state out: zeros are the default).")
        if len(state) == 3 and batch is not None and state[1] != batch:
            other = x[1] if batch_first else x[0]
            if state[1] == other:
                flag = "False" if batch_first else "True"
                return Explanation(kind.lower(), operands, problem + f" The state's batch is {state[1]}, which is the input's dim "
                                   f"{1 if batch_first else 0}: the layer reads the input as {layout}, so it sees a batch of {batch}.",
                                   f"build the layer with batch_first={flag} if your input is "
                                   f"{'(L, N, features)' if batch_first else '(N, L, features)'}, or transpose the input: x.transpose(0, 1). "
                                   f"The state stays (layers, batch, hidden) either way.")
            return Explanation(kind.lower(), operands, problem + f" The input's batch is {batch}: the last batch of an epoch is often smaller.",
                               f"build the initial state from the input: torch.zeros({layers}, x.size({0 if batch_first else 1}), {hidden}).")
        return Explanation(kind.lower(), operands, problem, f"make it {shape(expected)} (or leave the initial state out).")
    return None
