"""Hidden tests of the ``data-parallel`` lesson, run on a real two-process gloo group.

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


@named("after average_gradients every rank holds the mean of both ranks' gradients, weights untouched")
def averages(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    models = []
    for rank in range(WORLD):
        model, x, y = _model_and_batch(rank)
        nn.MSELoss()(model(x), y).backward()
        models.append(model)
    before = [[p.detach().clone() for p in model.parameters()] for model in models]
    run_group(sub, "average_gradients", [(model,) for model in models])
    own = [_own_gradients(rank) for rank in range(WORLD)]
    mean = [sum(grads) / WORLD for grads in zip(*own)]
    for rank, model in enumerate(models):
        if any(not torch.equal(p.detach(), b) for p, b in zip(model.parameters(), before[rank])):
            raise Fail(f"rank {rank}'s weights changed: average_gradients only averages .grad; the optimizer steps")
        for index, (p, want) in enumerate(zip(model.parameters(), mean)):
            got = p.grad
            if got is None:
                raise Fail(f"parameter {index}'s .grad is None on rank {rank}: keep the gradients, average them in place")
            if torch.allclose(got, want, rtol=1e-5, atol=1e-7):
                continue
            if torch.allclose(got, want * WORLD, rtol=1e-5, atol=1e-7):
                raise Fail(f"parameter {index} on rank {rank} holds the SUM of the ranks' gradients: all_reduce "
                           f"sums; divide by the world size ({WORLD} here, dist.get_world_size())")
            if torch.allclose(got, own[rank][index], rtol=1e-5, atol=1e-7):
                raise Fail(f"parameter {index} on rank {rank} still holds its own gradient: the ranks did not "
                           "exchange it (dist.all_reduce(p.grad) on every parameter)")
            raise Fail(f"parameter {index} on rank {rank} is not the mean of the ranks' gradients")


@named("with a parameter that got no gradient (a frozen layer), the others are still averaged")
def skips_frozen(sub: Submission, ref: Submission) -> None:
    import torch
    from torch import nn

    models = []
    for rank in range(WORLD):
        model, x, y = _model_and_batch(rank)
        model[0].weight.requires_grad_(False)  # frozen: its .grad stays None
        nn.MSELoss()(model(x), y).backward()
        models.append(model)
    run_group(sub, "average_gradients", [(model,) for model in models])
    grads = [[p.grad for p in model.parameters()] for model in models]
    if grads[0][0] is not None:
        raise Fail("the frozen layer's .grad should stay None")
    for index in range(1, len(grads[0])):
        if grads[0][index] is None or grads[1][index] is None:
            raise Fail(f"parameter {index}'s .grad is None after averaging: keep the gradients, average them in place")
        if not torch.allclose(grads[0][index], grads[1][index], rtol=1e-6, atol=1e-8):
            raise Fail(f"parameter {index} differs between the ranks after averaging")


def _shards(sub: Submission, samples: list[int]) -> list[list[Any]]:
    got = run_group(sub, "my_shard", [(list(samples),) for _ in range(WORLD)])
    return [list(shard) if isinstance(shard, (list, tuple)) else [shard] for shard in got]


@named("the shards of 10 and 11 samples: every sample on exactly one rank, sizes within one")
def shards_cover_once(sub: Submission, ref: Submission) -> None:
    for n in (10, 11, 2):
        samples = list(range(100, 100 + n))
        shards = _shards(sub, samples)
        seen = [s for shard in shards for s in shard]
        if sorted(seen) == sorted(samples * WORLD):
            raise Fail(f"with {n} samples every rank got all of them: each rank must take its own part "
                       "(dist.get_rank() says which rank this is)")
        missing = sorted(set(samples) - set(seen))
        if missing:
            raise Fail(f"with {n} samples, {missing} went to no rank")
        twice = sorted({s for s in seen if seen.count(s) > 1})
        if twice:
            raise Fail(f"with {n} samples, {twice} went to more than one rank (or twice to one)")
        sizes = [len(shard) for shard in shards]
        if max(sizes) - min(sizes) > 1:
            raise Fail(f"with {n} samples the shards have {sizes} samples: balance them (within one sample)")


@named("a rank's shard follows its rank, not a fixed half")
def shard_follows_rank(sub: Submission, ref: Submission) -> None:
    shards = _shards(sub, list(range(6)))
    if shards[0] == shards[1]:
        raise Fail("both ranks got the same shard: use dist.get_rank() to pick this rank's part")


AVERAGE_TESTS = [averages, skips_frozen]
SHARD_TESTS = [shards_cover_once, shard_follows_rank]
