"""Hidden tests of the ``data-parallel`` lesson, run on a real two-process gloo group.

Each test forks two ranks from the grading process (the learner's function comes with the fork),
joins them in a ``torch.distributed`` group over TCP on 127.0.0.1, runs the learner's code on every
rank and sends back what each rank ended with. The expected values are computed here, in the
grading process, without any group; the ranks never see them.
"""

from __future__ import annotations

import os
import traceback
from typing import Any, Callable

from tui.core.grading.cases import Submission, named
from tui.core.grading.checks import Fail

WORLD = 2
GROUP_SECONDS = 60.0
"""How long the ranks may take before the test gives up on them (a hang in all_reduce, say)."""


def _rank_main(rank: int, port: int, work: Callable[[int], Any], conn: Any) -> None:
    """One rank: join the group, do ``work(rank)``, send ``("ok", result)`` or ``("error", text)``."""
    import datetime

    import torch
    import torch.distributed as dist

    from tui.core.training.distributed import _die_with_parent

    _die_with_parent()
    torch.set_num_threads(1)
    try:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=WORLD,
                                timeout=datetime.timedelta(seconds=GROUP_SECONDS))
        try:
            conn.send(("ok", work(rank)))
        finally:
            dist.destroy_process_group()
    except BaseException as error:  # the learner's error, reported like any other
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "solution.py"]
        where = f"line {frames[-1].lineno}: " if frames else ""
        first = str(error).strip().splitlines()
        conn.send(("error", f"{where}{type(error).__name__}" + (f": {first[0]}" if first else "")))
    finally:
        conn.close()
        os._exit(0)


def run_group(work: Callable[[int], Any]) -> list[Any]:
    """``work(rank)`` on each of :data:`WORLD` ranks of a gloo group; their results in rank order.

    Raises:
        Fail: a rank raised (the message names the rank and the error) or did not answer in time.
    """
    import multiprocessing

    from tui.core.training.distributed import free_port

    context = multiprocessing.get_context("fork")
    port = free_port()
    pipes = [context.Pipe(duplex=False) for _ in range(WORLD)]
    ranks = [context.Process(target=_rank_main, args=(rank, port, work, pipes[rank][1]), daemon=True)
             for rank in range(WORLD)]
    for rank in ranks:
        rank.start()
    results = []
    try:
        for index, (reader, writer) in enumerate(pipes):
            writer.close()
            if not reader.poll(GROUP_SECONDS):
                raise Fail(f"rank {index} did not finish in {GROUP_SECONDS:.0f} s: is every rank making the same "
                           "collective calls (all_reduce on each rank, in the same order)?")
            try:
                kind, value = reader.recv()
            except EOFError:
                raise Fail(f"rank {index} ended without an answer") from None
            if kind == "error":
                raise Fail(f"on rank {index}: {value}")
            results.append(value)
    finally:
        for rank in ranks:
            if rank.is_alive():
                rank.kill()
            rank.join()
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

    def work(rank: int) -> Any:
        model, x, y = _model_and_batch(rank)
        before = [p.detach().clone() for p in model.parameters()]
        nn.MSELoss()(model(x), y).backward()
        sub.average_gradients(model)
        moved = any(not torch.equal(p, b) for p, b in zip(model.parameters(), before))
        return [p.grad.tolist() if p.grad is not None else None for p in model.parameters()], moved

    results = [([None if g is None else torch.tensor(g) for g in grads], moved) for grads, moved in run_group(work)]
    own = [_own_gradients(rank) for rank in range(WORLD)]
    mean = [sum(grads) / WORLD for grads in zip(*own)]
    for rank, (grads, moved) in enumerate(results):
        if moved:
            raise Fail(f"rank {rank}'s weights changed: average_gradients only averages .grad; the optimizer steps")
        for index, (got, want) in enumerate(zip(grads, mean)):
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

    def work(rank: int) -> Any:
        model, x, y = _model_and_batch(rank)
        model[0].weight.requires_grad_(False)  # frozen: its .grad stays None
        nn.MSELoss()(model(x), y).backward()
        sub.average_gradients(model)
        return [p.grad.tolist() if p.grad is not None else None for p in model.parameters()]

    results = [[None if g is None else torch.tensor(g) for g in grads] for grads in run_group(work)]
    if results[0][0] is not None:
        raise Fail("the frozen layer's .grad should stay None")
    for index in range(1, len(results[0])):
        if not torch.allclose(results[0][index], results[1][index], rtol=1e-6, atol=1e-8):
            raise Fail(f"parameter {index} differs between the ranks after averaging")


def _shards(sub: Submission, samples: list[int]) -> list[list[Any]]:
    def work(rank: int) -> Any:
        got = sub.my_shard(list(samples))
        return list(got) if not isinstance(got, list) else got

    return run_group(work)


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
