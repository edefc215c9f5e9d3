"""Hidden tests of the ``manual-backprop`` lesson: the forward pass, and gradients by hand checked against autograd."""

from __future__ import annotations

from typing import Any

from tui.core.grading.cases import Draw, Submission, agrees, agrees_on_random, named, obey_rules, random_settings
from tui.core.grading.checks import Fail, compare_tensors, describe, snapshot, unchanged

NAMES = ("W1_grad", "B1_grad", "W2_grad", "B2_grad")


def network(n: int, seed: int, dtype: Any = None) -> tuple:
    """x (n, 3), Y (n, 2) in {0, 1}, W1 (3, 4), B1 (1, 4), W2 (4, 2), B2 (1, 2)."""
    import torch

    g = torch.Generator().manual_seed(seed)
    dtype = dtype or torch.float64
    x = torch.randn(n, 3, generator=g, dtype=dtype)
    Y = (torch.rand(n, 2, generator=g) > 0.5).to(dtype)
    return (x, Y, *(torch.randn(*s, generator=g, dtype=dtype) for s in [(3, 4), (1, 4), (4, 2), (1, 2)]))


def _forward_case(d: Draw) -> tuple:
    import torch

    x, _, *weights = network(d.int(1, 8), d.int(0, 1000), d.choice([torch.float32, torch.float64]))
    return (x, *weights)


def autograd_gradients(x: Any, Y: Any, *weights: Any) -> list[Any]:
    """The four gradients, the way autograd computes them (the check of the hand-written ones)."""
    import torch

    leaves = [w.detach().clone().requires_grad_(True) for w in weights]
    W1, B1, W2, B2 = leaves
    out = torch.sigmoid(torch.relu(x @ W1 + B1) @ W2 + B2)
    ((out - Y) ** 2).sum().backward()
    return [leaf.grad for leaf in leaves]


def _ratio_note(got: Any, want: Any) -> str:
    import torch

    if got.shape != want.shape or not torch.isfinite(got).all() or want.abs().max() < 1e-12:
        return ""
    for ratio, why in ((0.5, "half: the derivative of (out - Y)**2 is 2 * (out - Y)"),
                       (2.0, "twice too big: is the factor 2 applied twice?"),
                       (-1.0, "the wrong sign: the derivative of (out - Y)**2 is 2 * (out - Y), not 2 * (Y - out)")):
        if torch.allclose(got, ratio * want, rtol=1e-6, atol=1e-9):
            return f"; it is {why}"
    return ""


def _check_gradients(got: Any, want: list[Any], n: int) -> None:
    import torch

    if not isinstance(got, (tuple, list)) or len(got) != 4:
        raise Fail(f"backprop should return 4 tensors ({', '.join(NAMES)}), but returned {describe(got)}")
    for name, g, w in zip(NAMES, got, want):
        if not isinstance(g, torch.Tensor):
            raise Fail(f"{name} should be a tensor, but is {describe(g)}")
        if name.startswith("B") and tuple(g.shape) in ((w.shape[1],), tuple(w.shape)):
            g = g.reshape(w.shape)  # (4,) and (1, 4) are both right for a bias gradient
        if g.shape == w.shape and n > 1 and torch.allclose(g * n, w, rtol=1e-6, atol=1e-9) and w.abs().max() > 1e-12:
            raise Fail(f"{name} is the gradient divided by the batch size {n}: the loss is a sum, not a mean")
        try:
            compare_tensors(g, w, f"{name} for a batch of {n}", rtol=1e-7, atol=1e-10)
        except Fail as failure:
            raise Fail(f"{failure}{_ratio_note(g, w)}") from None


def _by_hand(sub: Submission, args: tuple) -> Any:
    """Call backprop and fail if autograd ran or a graph was recorded (seen in the learner's process)."""
    mine, kept = snapshot(args), snapshot(args)
    call = sub.call("backprop", *mine, watch_graph=True)
    if call.error is not None:
        raise call.error
    got = call.result
    obey_rules(sub, "backprop", autograd=False)
    unchanged(kept, mine, "backprop")
    return got


@named("gradients match autograd's in float64, batches of 1, 5 and 20")
def matches_autograd(sub: Submission, ref: Submission) -> None:
    for n, seed in ((1, 1), (5, 2), (20, 3)):
        args = network(n, seed)
        got = _by_hand(sub, args)
        _check_gradients(got, autograd_gradients(*args), n)


@named("random batches and weights")
def random_batches(sub: Submission, ref: Submission) -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    @random_settings(25)
    @given(st.integers(1, 12), st.integers(0, 10_000))
    def run(n: int, seed: int) -> None:
        args = network(n, seed)
        _check_gradients(_by_hand(sub, args), autograd_gradients(*args), n)

    run()


FORWARD_TESTS = [
    agrees("forward", lambda: [tuple(a for i, a in enumerate(network(4, 0)) if i != 1)],
           title="a batch of 4 in float64", rtol=1e-7, atol=1e-10),
    agrees_on_random("forward", _forward_case, title="random batches, float32 and float64", examples=30),
]
BACKPROP_TESTS = [matches_autograd, random_batches]
