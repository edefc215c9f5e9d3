"""Hidden tests of the ``autograd`` lesson's exercises."""

from __future__ import annotations

from typing import Any, Callable

from tui.core.grading.cases import Draw, Submission, agrees, agrees_on_random, named
from tui.core.grading.checks import Fail, compare


class _Fn:
    """A function of a tensor with a readable name, so failure messages can say which one."""

    def __init__(self, text: str, fn: Callable[[Any], Any]) -> None:
        self.text, self.fn = text, fn

    def __call__(self, t: Any) -> Any:
        return self.fn(t)

    def __repr__(self) -> str:
        return self.text


def _scalar_cases() -> list[tuple]:
    import torch

    return [
        (_Fn("3*t**2", lambda t: 3 * t ** 2), 2.0),
        (_Fn("t**3 - 2*t", lambda t: t ** 3 - 2 * t), -1.0),
        (_Fn("torch.sin", torch.sin), 0.0),
        (_Fn("torch.exp", torch.exp), 1.0),
    ]


def _polynomial(d: Draw) -> tuple:
    a, b, c = (d.int(-4, 4) for _ in range(3))
    return _Fn(f"{a}*t**3 + {b}*t**2 + {c}*t", lambda t: a * t ** 3 + b * t ** 2 + c * t), d.int(-30, 30) / 10


def _tensor_fn(d: Draw) -> tuple:
    import torch

    fn = d.choice([_Fn("(t**2 + t).sum()", lambda t: (t ** 2 + t).sum()),
                   _Fn("(3 * t.sin()).sum()", lambda t: (3 * t.sin()).sum()),
                   _Fn("(t**3).mean()", lambda t: (t ** 3).mean()),
                   _Fn("torch.logsumexp(t.flatten(), 0)", lambda t: torch.logsumexp(t.flatten(), 0))])
    return fn, d.tensor(*[d.int(1, 4) for _ in range(d.int(1, 3))])


@named("no graph is recorded and no gradient is touched")
def predicts_without_graph(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(5, 3)
    got = sub.predict(model, x)
    compare(got, ref.predict(model, x), "predict(model, x)")
    if got.requires_grad or got.grad_fn is not None:
        raise Fail("predict's result still records a graph (requires_grad=True); run the model inside "
                   "`with torch.no_grad():`")
    if any(p.grad is not None for p in model.parameters()):
        raise Fail("predict left gradients on the model's parameters; inference needs no backward()")


DERIVATIVE_TESTS = [
    agrees("derivative", _scalar_cases, title="3t² at 2, t³ - 2t at -1, sin at 0, exp at 1"),
    agrees_on_random("derivative", _polynomial, title="random cubic polynomials", examples=30),
]
GRADIENT_TESTS = [
    agrees("gradient", lambda: [(_Fn("(t**2 + t).sum()", lambda t: (t ** 2 + t).sum()),
                                 __import__("torch").tensor([1.0, 2.0, 3.0]))], title="(x**2 + x).sum() gives 2x + 1"),
    agrees_on_random("gradient", _tensor_fn, title="random functions and shapes, input left as it was", examples=30),
]
PREDICT_TESTS = [predicts_without_graph]
