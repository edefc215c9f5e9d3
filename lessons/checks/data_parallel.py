"""Hidden tests of the ``data-parallel`` lesson, run on real gloo groups of two and three processes.

The learner's process forks two ranks, joins them in a ``torch.distributed`` group over TCP on
127.0.0.1, and runs the learner's function on every rank with that rank's arguments (built here:
a model whose gradients this rank computed, or the samples); what each rank ended with comes back
(see ``Learner.call_ranks``). The expected values are computed here, in the judge, without any
group; the ranks never see them.
"""

from __future__ import annotations

from typing import Any

from tui.core.grading.cases import Submission, named
from tui.core.grading.checks import Fail

WORLD = 2
GROUP_SECONDS = 30.0
"""How long the ranks may take before the test gives up on them (a hang in all_reduce, say)."""


def run_group(sub: Submission, name: str, per_rank: list[tuple]) -> list[Any]:
    """Call ``name`` on each rank with its arguments; the results in rank order (arguments mirrored).

    Raises:
        Fail: a rank raised (the message names the rank and the error) or did not answer in time.
    """
    calls = sub.call_ranks(name, per_rank, timeout=GROUP_SECONDS)
    results = []
    for index, call in enumerate(calls):
        if call is None:
            raise Fail(f"rank {index} did not finish in {GROUP_SECONDS:.0f} s: is every rank making the same "
                       "collective calls (all_reduce on each rank, in the same order)?")
        if call.error is not None:
            raise Fail(f"on rank {index}: {call.error.describe()}")
        results.append(call.result)
    return results


def _model_and_batch(rank: int) -> tuple[Any, Any, Any]:
    """The same model on every rank (one seed) and this rank's own batch (a seed per rank)."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 2))
    g = torch.Generator().manual_seed(100 + rank)
    return model, torch.randn(8, 4, generator=g), torch.randn(8, 2, generator=g)


def _own_gradients(rank: int) -> list[Any]:
    """Rank ``rank``'s gradients before any exchange, computed here without a group."""
    from torch import nn

    model, x, y = _model_and_batch(rank)
    nn.MSELoss()(model(x), y).backward()
    return [p.grad.clone() for p in model.parameters()]  # float32, as the ranks' lists come back


def _trained_models(world: int, frozen: bool) -> list[Any]:
    """One model per rank, each with the gradients of its own batch (the first layer frozen if asked)."""
    from torch import nn

    models = []
    for rank in range(world):
        model, x, y = _model_and_batch(rank)
        if frozen:
            model[0].weight.requires_grad_(False)  # frozen: its .grad stays None
        nn.MSELoss()(model(x), y).backward()
        models.append(model)
    return models


def _check_mean(models: list[Any], world: int) -> None:
    """Every rank's gradients are the mean of the ranks' own gradients; weights and None grads untouched."""
    import torch

    own = [_own_gradients(rank) for rank in range(world)]
    mean = [sum(grads) / world for grads in zip(*own)]
    for rank, model in enumerate(models):
        for index, (p, want) in enumerate(zip(model.parameters(), mean)):
            got = p.grad
            if not p.requires_grad:
                if got is not None:
                    raise Fail("the frozen layer's .grad should stay None")
                continue
            if got is None:
                raise Fail(f"parameter {index}'s .grad is None on rank {rank}: keep the gradients, average them in place")
            if torch.allclose(got, want, rtol=1e-5, atol=1e-7):
                continue
            if torch.allclose(got, want * world, rtol=1e-5, atol=1e-7):
                raise Fail(f"parameter {index} on rank {rank} holds the SUM of the ranks' gradients: all_reduce "
                           f"sums; divide by the world size ({world} here, dist.get_world_size())")
            if world != 2 and torch.allclose(got, want * world / 2, rtol=1e-5, atol=1e-7):
                raise Fail(f"parameter {index} on rank {rank} is the sum divided by 2, with {world} ranks: divide "
                           "by dist.get_world_size(), not a fixed number")
            if torch.allclose(got, own[rank][index], rtol=1e-5, atol=1e-7):
                raise Fail(f"parameter {index} on rank {rank} still holds its own gradient: the ranks did not "
                           "exchange it (dist.all_reduce(p.grad) on every parameter)")
            raise Fail(f"parameter {index} on rank {rank} is not the mean of the ranks' gradients")


@named("after average_gradients every rank holds the mean of both ranks' gradients, weights untouched")
def averages(sub: Submission, ref: Submission) -> None:
    import torch

    models = _trained_models(WORLD, frozen=False)
    before = [[p.detach().clone() for p in model.parameters()] for model in models]
    run_group(sub, "average_gradients", [(model,) for model in models])
    for rank, model in enumerate(models):
        if any(not torch.equal(p.detach(), b) for p, b in zip(model.parameters(), before[rank])):
            raise Fail(f"rank {rank}'s weights changed: average_gradients only averages .grad; the optimizer steps")
    _check_mean(models, WORLD)


@named("on 3 ranks, with a frozen layer (no gradient): the others are averaged over all 3")
def skips_frozen(sub: Submission, ref: Submission) -> None:
    models = _trained_models(3, frozen=True)
    try:
        run_group(sub, "average_gradients", [(model,) for model in models])
    except Fail as failed:
        if "NoneType" in str(failed) or "Invalid function argument" in str(failed):
            raise Fail(f"{failed}: the frozen layer's .grad is None; skip a parameter whose .grad is None") from None
        raise
    _check_mean(models, 3)


def _shards(sub: Submission, samples: list[int], world: int = WORLD) -> list[list[Any]]:
    got = run_group(sub, "my_shard", [(list(samples),) for _ in range(world)])
    return [list(shard) if isinstance(shard, (list, tuple)) else [shard] for shard in got]


def _check_cover(shards: list[list[Any]], samples: list[int]) -> None:
    """Every sample on exactly one rank, the shards' sizes within one."""
    n, world = len(samples), len(shards)
    seen = [s for shard in shards for s in shard]
    if sorted(seen) == sorted(samples * world):
        raise Fail(f"with {n} samples every rank got all of them: each rank must take its own part "
                   "(dist.get_rank() says which rank this is)")
    missing = sorted(set(samples) - set(seen))
    if missing:
        raise Fail(f"with {n} samples on {world} ranks, {missing} went to no rank")
    twice = sorted({s for s in seen if seen.count(s) > 1})
    if twice:
        raise Fail(f"with {n} samples on {world} ranks, {twice} went to more than one rank (or twice to one)")
    sizes = [len(shard) for shard in shards]
    if max(sizes) - min(sizes) > 1:
        raise Fail(f"with {n} samples the shards have {sizes} samples: balance them (within one sample)")


@named("the shards of 10, 11 and 2 samples on 2 ranks: every sample on exactly one rank, sizes within one")
def shards_cover_once(sub: Submission, ref: Submission) -> None:
    for n in (10, 11, 2):
        samples = list(range(100, 100 + n))
        _check_cover(_shards(sub, samples), samples)


@named("on 3 ranks: each rank its own part of 6 samples, not a fixed half")
def shard_follows_rank(sub: Submission, ref: Submission) -> None:
    samples = list(range(6))
    shards = _shards(sub, samples, world=3)
    if shards[0] == shards[1]:
        raise Fail("ranks 0 and 1 got the same shard: use dist.get_rank() to pick this rank's part")
    _check_cover(shards, samples)


AVERAGE_TESTS = [averages, skips_frozen]
SHARD_TESTS = [shards_cover_once, shard_follows_rank]
