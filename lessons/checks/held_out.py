"""Hidden tests of the training loop's ``held-out-error`` exercise: values in, values out.

The learner's function gets a model and two sets of points and returns two numbers; each test
compares them with the reference's on the same inputs, and checks that measuring left no
gradient on the model and recorded no autograd graph (observed in the learner's process while the
call ran, not read from the source).
"""

from __future__ import annotations

from tui.core.grading.cases import Draw, Submission, agrees_on_random, named
from tui.core.grading.checks import Fail, compare


def _toy_model(seed: int):  # noqa: ANN202 - torch is imported only when a test runs
    import torch
    from torch import nn

    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())


def _points(d: Draw) -> tuple:
    """A model and two point sets from three draws, so a failure shrinks in a few steps."""
    import torch

    n, m, seed = d.int(1, 30), d.int(1, 60), d.int(0, 2**16)
    g = torch.Generator().manual_seed(seed)
    return (_toy_model(seed), torch.randn(n, 3, generator=g), torch.rand(n, 2, generator=g),
            torch.randn(m, 3, generator=g), torch.rand(m, 2, generator=g))


@named("the training and the fresh error, as two floats, with no gradients left behind")
def measures_both(sub: Submission, ref: Submission) -> None:
    import torch

    g = torch.Generator().manual_seed(11)
    for n, m in ((20, 200), (5, 3)):
        model = _toy_model(n)
        X, Y = torch.randn(n, 3, generator=g), torch.rand(n, 2, generator=g)
        X_new, Y_new = torch.randn(m, 3, generator=g), torch.rand(m, 2, generator=g)
        call = sub.call("held_out_mse", model, X, Y, X_new, Y_new, watch_graph=True)
        if call.error is not None:
            raise call.error
        want = ref.held_out_mse(model, X, Y, X_new, Y_new)
        compare(call.result, want, f"held_out_mse on {n} training and {m} fresh points", rtol=1e-5, atol=1e-7)
        if any(p.grad is not None for p in model.parameters()):
            raise Fail("held_out_mse left gradients on the model: measure under torch.no_grad(), without backward()")
        if sub.last.graph_ops:
            raise Fail("held_out_mse ran the model with autograd on: it recorded a graph that nothing uses; "
                       "measure inside `with torch.no_grad():`, which records none")


HELD_OUT_TESTS = [
    measures_both,
    agrees_on_random("held_out_mse", _points, title="random models and point sets", examples=20, rtol=1e-5, atol=1e-7),
]
