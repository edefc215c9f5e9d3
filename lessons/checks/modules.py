"""Hidden tests of the ``modules`` lesson's exercises: judged by the layers and what forward computes."""

from __future__ import annotations

from tui.core.grading.cases import Submission, named, obey_rules
from tui.core.grading.checks import Fail, compare_number
from tui.core.grading.models import (expect_forward, expect_layers, expect_toy_model, module_types, relu_between,
                                     sequential_children)


def _build(factory, what: str):  # noqa: ANN001, ANN202
    try:
        return factory()
    except Exception as error:  # the learner's constructor failing is the verdict
        raise Fail(f"{what} raised {type(error).__name__}: {error}") from None


@named("ToyModel(): 3 -> 4 (ReLU) -> 2 (sigmoid), 26 parameters")
def toy_model(sub: Submission, ref: Submission) -> None:
    import torch

    torch.manual_seed(0)
    model = _build(sub.ToyModel, "ToyModel()")
    expect_toy_model(model, "ToyModel()")


@named("outputs are probabilities, for any leading dimensions")
def toy_outputs(sub: Submission, ref: Submission) -> None:
    import torch

    torch.manual_seed(1)
    model = _build(sub.ToyModel, "ToyModel()")
    out = model(torch.randn(2, 3, 5, 3) * 10)
    if tuple(out.shape) != (2, 3, 5, 2):
        raise Fail(f"ToyModel() on an input of shape (2, 3, 5, 3) gives shape {tuple(out.shape)}, not (2, 3, 5, 2)")
    if not bool(((out >= 0) & (out <= 1)).all()):
        raise Fail("ToyModel()'s outputs should lie in [0, 1]: end with a sigmoid")


@named("counts trainable parameters")
def counts(sub: Submission, ref: Submission) -> None:
    from torch import nn

    frozen = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 1))
    frozen[0].requires_grad_(False)
    cases = [
        ("nn.Linear(784, 128) then nn.Linear(128, 10)", nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))),
        ("nn.Linear(3, 4, bias=False)", nn.Linear(3, 4, bias=False)),
        ("nn.Conv2d(3, 8, 3)", nn.Conv2d(3, 8, 3)),
        ("a model whose first layer is frozen", frozen),
        ("nn.ReLU()", nn.ReLU()),
    ]
    for text, model in cases:
        flags = [p.requires_grad for p in model.parameters()]
        got = sub.count_parameters(model)
        obey_rules(sub, "count_parameters")
        if [p.requires_grad for p in model.parameters()] != flags:
            raise Fail(f"count_parameters({text}) changed which parameters train (requires_grad); only count them")
        want = ref.count_parameters(model)
        if isinstance(got, int) and got == sum(p.numel() for p in model.parameters()) != want:
            raise Fail(f"count_parameters({text}) is {got}, but frozen parameters (requires_grad=False) "
                       f"do not train: should be {want}")
        if isinstance(got, int) and got == len(list(model.parameters())) != want:
            raise Fail(f"count_parameters({text}) is {got}: that counts the parameter tensors; count their "
                       f"elements with .numel(): should be {want}")
        compare_number(got, want, f"count_parameters({text})", rtol=0, atol=0)


@named("make_mlp builds the layers asked for, ReLU between them, none at the end")
def mlp(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    for sizes in ([4, 8, 3], [2, 5], [784, 128, 64, 10], [3, 3, 3, 3]):
        what = f"make_mlp({sizes})"
        torch.manual_seed(0)
        model = _build(lambda s=sizes: sub.make_mlp(list(s)), what)
        layers = expect_layers(model, sizes, what)
        relus = [kind for kind in module_types(model) if kind == "ReLU"]
        children = sequential_children(model)
        if children and children[-1] != "Linear":
            raise Fail(f"{what} ends with {children[-1]}; the last layer's output should stay as it is")
        if children is not None and len(relus) != len(sizes) - 2:
            raise Fail(f"{what} has {len(relus)} ReLU layers; it needs one between each pair of linear layers: {len(sizes) - 2}")
        g = torch.Generator().manual_seed(3)
        expect_forward(model, relu_between, [torch.randn(6, sizes[0], generator=g)], what, layers)


TOY_TESTS = [toy_model, toy_outputs]
COUNT_TESTS = [counts]
MLP_TESTS = [mlp]
