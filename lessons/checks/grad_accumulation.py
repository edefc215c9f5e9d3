"""Hidden tests of the ``grad-accumulation`` lesson: equal to the full batch, never run on the full batch."""

from __future__ import annotations

import copy
from typing import Any

from tui.core.grading.cases import Submission, named, obey_rules
from tui.core.grading.checks import Fail, compare_number, compare_tensors


def _setup(seed: int, n: int) -> tuple[Any, Any, Any]:
    import torch
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    g = torch.Generator().manual_seed(seed)
    return model, torch.randn(n, 4, generator=g), torch.randn(n, 2, generator=g)


def _batch_sizes(sub: Submission) -> list[int]:
    """The leading size of each forward call of the model (the first argument) in the last call."""
    return [shape[0] if shape else 0 for shape in sub.last.forwards.get("0", [])]


def _check_chunks(sizes: list[int], n: int, k: int, what: str) -> None:
    if k > 1 and n in sizes:
        raise Fail(f"{what} ran the model on the whole batch of {n} at once; run it on {k} chunks of {n // k}")
    if sum(sizes) != n or len(sizes) != k:
        raise Fail(f"{what} ran the model on batches of {sizes}; it should see {k} chunks covering the {n} samples once")


@named("one step equal to the full batch's, in 1, 3 and 4 micro-batches, with momentum")
def equals_full_batch(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    for k in (3, 4, 1):
        n = 12
        model, X, Y = _setup(k, n)
        twin = copy.deepcopy(model)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        twin_opt = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
        start = [p.detach().clone() for p in model.parameters()]
        for call in (1, 2):
            got = sub.accumulated_step(model, opt, nn.MSELoss(), X, Y, k)
            obey_rules(sub, "accumulated_step", model=model)
            _check_chunks(_batch_sizes(sub), n, k, f"accumulated_step(micro_batches={k})")
            twin_opt.zero_grad()
            loss = nn.MSELoss()(twin(X), Y)
            loss.backward()
            twin_opt.step()
            for (name, p), q, s in zip(model.named_parameters(), twin.parameters(), start):
                if torch.allclose(p, q, rtol=1e-5, atol=1e-6):
                    continue
                moved, wanted = (p - s).detach(), (q - s).detach()
                if call == 1 and k > 1 and torch.allclose(moved, k * wanted, rtol=1e-4, atol=1e-6):
                    raise Fail(f"with {k} micro-batches the step is {k} times too large: divide each "
                               f"micro-batch's loss by {k} before backward()")
                if call == 2:
                    raise Fail(f"the second call's step is wrong ({name}): the gradients of the first call were "
                               "still there. Zero them before accumulating")
                raise Fail(f"with {k} micro-batches, {name} after the step differs from one step on the whole batch")
            compare_number(got, loss.item(), f"the returned loss (micro_batches={k})", rtol=1e-5, atol=1e-7)


@named("gradients of the whole batch's mean loss, starting from zero, without a step")
def accumulates(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    from tui.core.grading.learner import LearnerRaised

    for k, stale in ((2, False), (2, True), (5, True)):
        n = 10
        model, X, Y = _setup(10 + k, n)
        twin = copy.deepcopy(model)
        if stale:
            for p in model.parameters():
                p.grad = torch.full_like(p, 3.0)  # stale gradients from "an earlier step"
        before = [p.detach().clone() for p in model.parameters()]
        try:
            sub.accumulate(model, nn.MSELoss(), X, Y, k)
        except LearnerRaised as error:
            if stale:
                raise
            raise Fail(f"accumulate failed on a fresh model, whose .grad is None ({error.describe()}); clear gradients "
                       "with model.zero_grad() instead of assuming .grad exists") from None
        obey_rules(sub, "accumulate", model=model)
        _check_chunks(_batch_sizes(sub), n, k, f"accumulate(micro_batches={k})")
        if any(not torch.equal(b, p) for b, p in zip(before, model.parameters())):
            raise Fail("accumulate changed the parameters; it should only fill .grad (no optimizer step)")
        nn.MSELoss()(twin(X), Y).backward()
        for (name, p), q in zip(model.named_parameters(), twin.parameters()):
            if p.grad is None:
                raise Fail(f"{name}.grad is None after accumulate")
            if stale and torch.allclose(p.grad - 3.0, q.grad, rtol=1e-4, atol=1e-6):
                raise Fail("the gradients include the stale ones that were already in .grad: zero them first")
            if torch.allclose(p.grad, k * q.grad, rtol=1e-4, atol=1e-6):
                raise Fail(f"the gradients are {k} times too large: divide each micro-batch's loss by {k}")
            compare_tensors(p.grad, q.grad, f"{name}.grad (micro_batches={k})", rtol=1e-4, atol=1e-6)


STEP_TESTS = [equals_full_batch]
ACCUMULATE_TESTS = [accumulates]
