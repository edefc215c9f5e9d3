"""Hidden tests of the ``autograd`` lesson's exercises."""

from __future__ import annotations

from typing import Any

from tui.core.grading.cases import Draw, Submission, agrees, agrees_on_random, named, obey_rules
from tui.core.grading.checks import Fail, compare
from tui.core.grading.sandbox import Expr


def _Fn(text: str, _unused: Any = None) -> Expr:
    """A function of ``t`` given as text: it is built in the learner's process from the text."""
    return Expr(text)


def _scalar_cases() -> list[tuple]:
    import torch

    return [
        (_Fn("3*t**2"), 2.0),
        (_Fn("t**3 - 2*t"), -1.0),
        (_Fn("torch.sin(t)"), 0.0),
        (_Fn("torch.exp(t)"), 1.0),
    ]


def _polynomial(d: Draw) -> tuple:
    a, b, c = (d.int(-4, 4) for _ in range(3))
    return _Fn(f"{a}*t**3 + {b}*t**2 + {c}*t"), d.int(-30, 30) / 10


def _tensor_fn(d: Draw) -> tuple:
    import torch

    fn = d.choice([_Fn("(t**2 + t).sum()"), _Fn("(3 * t.sin()).sum()"), _Fn("(t**3).mean()"),
                   _Fn("torch.logsumexp(t.flatten(), 0)")])
    return fn, d.tensor(*[d.int(1, 4) for _ in range(d.int(1, 3))])


@named("no graph is recorded and no gradient is touched")
def predicts_without_graph(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(5, 3)
    call = sub.call("predict", model, x, watch_graph=True)
    if call.error is not None:
        raise call.error
    got = call.result
    compare(got, ref.predict(model, x), "predict(model, x)")
    if got.requires_grad or got.grad_fn is not None:
        raise Fail("predict's result still records a graph (requires_grad=True); run the model inside "
                   "`with torch.no_grad():`")
    if any(p.grad is not None for p in model.parameters()):
        raise Fail("predict left gradients on the model's parameters; inference needs no backward()")
    obey_rules(sub, "predict", model=model)
    if sub.last.graph_ops:
        raise Fail("predict ran the model with autograd on (it recorded a graph) and detached afterwards; "
                   "run it inside `with torch.no_grad():` so no graph is built")


DERIVATIVE_TESTS = [
    agrees("derivative", _scalar_cases, title="3t² at 2, t³ - 2t at -1, sin at 0, exp at 1", autograd=True),
    agrees_on_random("derivative", _polynomial, title="random cubic polynomials", examples=30, autograd=True),
]
GRADIENT_TESTS = [
    agrees("gradient", lambda: [(_Fn("(t**2 + t).sum()"), __import__("torch").tensor([1.0, 2.0, 3.0]))],
           title="(x**2 + x).sum() gives 2x + 1", autograd=True),
    agrees_on_random("gradient", _tensor_fn, title="random functions and shapes, input left as it was", examples=30,
                     autograd=True),
]
PREDICT_TESTS = [predicts_without_graph]
