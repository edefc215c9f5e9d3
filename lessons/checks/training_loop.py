"""Hidden tests of the ``training-loop`` lesson's exercises."""

from __future__ import annotations

import copy
from typing import Any, Callable

from tui.core.grading.cases import Submission, named, obey_rules
from tui.core.grading.checks import Fail, compare_number, snapshot, unchanged
from tui.core.grading.models import expect_toy_model


def _optimizers() -> list[tuple[str, Callable[[Any], Any]]]:
    import torch

    return [("SGD with momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
            ("Adam", lambda ps: torch.optim.Adam(ps, lr=0.01))]


@named("one step, twice in a row, with SGD and with Adam")
def steps_like_the_reference(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    from tui.core.training.toy import toy_data

    X, Y = toy_data(20)
    for label, make in _optimizers():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
        twin = copy.deepcopy(model)
        opt, twin_opt = make(model.parameters()), make(twin.parameters())
        for call in (1, 2):
            before = [p.detach().clone() for p in model.parameters()]
            kept, args = snapshot((X, Y)), snapshot((X, Y))
            got = sub.train_step(model, opt, nn.MSELoss(), *args)
            obey_rules(sub, "train_step", model=model)
            want = ref.train_step(twin, twin_opt, nn.MSELoss(), X, Y)
            unchanged(kept, args, "train_step")
            if all(torch.equal(b, p) for b, p in zip(before, model.parameters())):
                raise Fail(f"with {label}, train_step left the parameters as they were: call optimizer.step()")
            for (name, p), q in zip(model.named_parameters(), twin.parameters()):
                if not torch.allclose(p, q, rtol=1e-5, atol=1e-6):
                    if call == 2:
                        raise Fail(f"with {label}, the second call's step is wrong ({name} differs): its gradient "
                                   "included the first step's. Call optimizer.zero_grad() before loss.backward()")
                    raise Fail(f"with {label}, after one step {name} differs from one optimizer step on the loss "
                               "of (X, Y): compute the loss, backward(), then optimizer.step(), once")
            compare_number(got, want, f"train_step's return value (call {call}, {label})", rtol=1e-5, atol=1e-7)


@named("the fitted 3-4-2 model has a mean squared error below 0.01 on the 20 toy points")
def fits_the_toy_data(sub: Submission, ref: Submission) -> None:
    import torch

    from tui.core.training.toy import toy_data

    X, Y = toy_data(20)
    model = sub.fit(X.clone(), Y.clone())
    expect_toy_model(model, "the model fit returned")
    with torch.no_grad():
        mse = ((model(X) - Y) ** 2).mean().item()
    if not mse < 0.01:
        raise Fail(f"the model's mean squared error on the toy data is {mse:.4f}; it must be below 0.01. Four hidden "
                   "units only fit these points from some starting weights: try several seeds, more steps or Adam")


@named("accuracy as a fraction between 0 and 1, with no gradients left behind")
def measures_accuracy(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    g = torch.Generator().manual_seed(5)
    for n, classes in ((50, 3), (7, 2), (1, 4)):
        torch.manual_seed(n)
        model = nn.Linear(4, classes)
        X, y = torch.randn(n, 4, generator=g), torch.randint(0, classes, (n,), generator=g)
        got = sub.accuracy(model, X, y)
        obey_rules(sub, "accuracy", model=model)
        want = ref.accuracy(model, X, y)
        if isinstance(got, (int, float)) and want > 0 and abs(got - 100 * want) < 1e-6 and got != want:
            raise Fail(f"accuracy is {got}: that is a percentage; return the fraction {want:.4f}")
        compare_number(got, want, f"accuracy for {n} samples of {classes} classes", rtol=1e-6, atol=1e-9)
        if any(p.grad is not None for p in model.parameters()):
            raise Fail("accuracy left gradients on the model: measure under torch.no_grad(), without backward()")


TRAIN_STEP_TESTS = [steps_like_the_reference]
FIT_TESTS = [fits_the_toy_data]
ACCURACY_TESTS = [measures_accuracy]
