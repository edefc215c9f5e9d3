"""Checks on the learner's ``nn.Module``s: the layers it has and what its forward pass computes.

A model is judged by behaviour, not by how it is written: an ``nn.Sequential``, a class with
attributes or the functional API all pass, as long as the linear layers have the right sizes
and the output equals the expected formula computed with the model's own weights. The model
lives in the learner's process; the judge gets a
:class:`~tui.core.grading.learner.RemoteModule` (its layers and weights as data, its forward
run remotely) and rebuilds each linear layer here from the weights to compute the formula.
"""

from __future__ import annotations

from typing import Any, Callable

from tui.core.grading.checks import Fail, compare_tensors


def linear_layers(model: Any, what: str) -> list[Any]:
    """The model's ``nn.Linear`` layers in the order they were registered, rebuilt in the judge."""
    import torch
    from torch import nn

    from tui.core.grading.checks import describe
    from tui.core.grading.learner import RemoteModule

    if not isinstance(model, RemoteModule):
        raise Fail(f"{what} should be an nn.Module, but is {describe(model)}")
    layers = []
    for info in model.linear_layers():
        layer = nn.Linear(int(info["in_features"]), int(info["out_features"]), bias=bool(info.get("bias")))
        with torch.no_grad():
            if info.get("weight") is not None and info["weight"].shape == layer.weight.shape:
                layer.weight.copy_(info["weight"])
            if layer.bias is not None and info.get("bias_tensor") is not None and info["bias_tensor"].shape == layer.bias.shape:
                layer.bias.copy_(info["bias_tensor"])
        layers.append(layer)
    return layers


def parameter_count(model: Any) -> int:
    """How many numbers the model learns."""
    return sum(p.numel() for p in model.parameters())


def module_types(model: Any) -> list[str]:
    """The type names of the model and every module inside it (``["Sequential", "Linear", "ReLU", ...]``)."""
    return [kind for _, kind, _ in model.modules]


def sequential_children(model: Any) -> list[str] | None:
    """For an ``nn.Sequential``: its children's type names, in order; otherwise None."""
    top = model.modules[0][2] if model.modules else {}
    return list(top["children"]) if model.type_name == "Sequential" and "children" in top else None


def expect_layers(model: Any, sizes: list[int], what: str) -> list[Any]:
    """Fail unless the model's linear layers map ``sizes[0] -> sizes[1] -> ...``, biases included."""
    layers = linear_layers(model, what)
    want = list(zip(sizes, sizes[1:]))
    got = [(layer.in_features, layer.out_features) for layer in layers]
    if sorted(got) == sorted(want):
        # Whatever order __init__ created them in, put the layers in the order data flows.
        left = list(layers)
        layers = []
        for pair in want:
            layers.append(next(layer for layer in left if (layer.in_features, layer.out_features) == pair))
            left.remove(layers[-1])
        got = want
    if got != want:
        shown = " -> ".join(str(s) for s in sizes)
        raise Fail(f"{what} should have linear layers {shown} ({len(want)} of them), but has "
                   f"{', '.join(f'{a}->{b}' for a, b in got) or 'none'}")
    if any(layer.bias is None for layer in layers):
        raise Fail(f"{what}: every linear layer needs a bias (bias=True, the default)")
    expected = sum(a * b + b for a, b in want)
    if parameter_count(model) != expected:
        raise Fail(f"{what} has {parameter_count(model)} parameters but should have {expected}; "
                   "does it hold extra layers?")
    return layers


def expect_forward(model: Any, formula: Callable[[Any, list[Any]], Any], inputs: list[Any], what: str,
                   layers: list[Any]) -> None:
    """Fail unless ``model(x)`` equals ``formula(x, layers)`` for each input (computed with its weights)."""
    import torch

    for x in inputs:
        with torch.no_grad():
            try:
                got = model(x)
            except Exception as error:  # the learner's forward failing is the verdict
                raise Fail(f"{what} failed on an input of shape {tuple(x.shape)}: {type(error).__name__}: {error}") from None
            want = formula(x, layers)
        compare_tensors(got, want, f"{what}(x) for x of shape {tuple(x.shape)}", rtol=1e-4, atol=1e-5)


def relu_then_sigmoid(x: Any, layers: list[Any]) -> Any:
    """The toy network's forward pass from its two linear layers."""
    import torch

    hidden = torch.relu(layers[0](x))
    return torch.sigmoid(layers[1](hidden))


def relu_between(x: Any, layers: list[Any]) -> Any:
    """An MLP's forward pass: ReLU after every linear layer but the last."""
    import torch

    for layer in layers[:-1]:
        x = torch.relu(layer(x))
    return layers[-1](x)


def expect_toy_model(model: Any, what: str) -> None:
    """The course's 3-4-2 network: ReLU after the hidden layer, sigmoid at the end, 26 parameters."""
    import torch

    layers = expect_layers(model, [3, 4, 2], what)
    generator = torch.Generator().manual_seed(7)
    inputs = [torch.randn(5, 3, generator=generator), torch.randn(2, 4, 3, generator=generator)]
    expect_forward(model, relu_then_sigmoid, inputs, what, layers)
