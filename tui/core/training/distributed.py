"""Data-parallel training on ``torch.distributed``: N ranks, one model copy each, gradients averaged.

``tensordojo train --nproc N`` starts N rank processes on this machine with
``torch.multiprocessing`` and a TCP rendezvous at
``--master-addr:--master-port``; ``--nnodes`` and ``--node-rank`` have torchrun's meanings, so the
same command on two machines (node ranks 0 and 1, the first machine's address) trains one model
over both. Backend ``gloo`` on the CPU, ``nccl`` on CUDA with one rank per GPU.

Each rank wraps the model in ``DistributedDataParallel``, draws the same global batch (the same
seed) and trains on its shard of it (:class:`~tui.core.training.engine.Trainer`): ``--batch-size``
is per rank, the global batch is that times the world size, and the learning rate is kept as set
(not scaled with the batch). DDP averages the gradients, so one step equals a one-process step on
the global batch: ``--check-equivalence`` shows it in float64.

Reporting costs one collective per report (about 20 a second), not one per step: each rank keeps
its losses on its device and, at a report, an ``all_gather`` brings every rank's losses and figures
(steps/s, the share of its time in the gradient all-reduce) to all; rank 0 reports the mean loss
and broadcasts what happens next (go on, stop, a new learning rate, the steps to the next report).
A rank that fails ends the run: the others are stopped and the message names the rank and why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from tui.core.processes.exit_status import describe_exit
from tui.core.training.config import TrainConfig
from tui.core.training.engine import REPORT_SECONDS, Report, RunControl, Trainer

FIRST_INTERVAL = 10
"""Steps before the first report; later intervals follow rank 0's speed (about :data:`REPORT_SECONDS`)."""
DEFAULT_PORT = 29500
"""torchrun's default rendezvous port, used when the run spans several nodes and none is given."""


class LaunchError(Exception):
    """The ranks could not be started, or one of them failed; the message names the rank and why."""


@dataclass
class Plan:
    """Where the ranks run: ``nproc`` per node on ``nnodes`` nodes, this one being ``node_rank``."""

    nproc: int = 1
    nnodes: int = 1
    node_rank: int = 0
    master_addr: str = "127.0.0.1"
    master_port: int = 0
    """0: a free port on this machine (one node only)."""

    @property
    def world(self) -> int:
        """Ranks in all."""
        return self.nproc * self.nnodes

    def problems(self) -> list[str]:
        """Every setting that is wrong, as messages naming the option."""
        found = []
        if self.nproc < 1:
            found.append(f"--nproc {self.nproc}: give a number of processes of 1 or more, or auto")
        if self.nnodes < 1:
            found.append(f"--nnodes {self.nnodes}: give 1 or more")
        elif not 0 <= self.node_rank < self.nnodes:
            found.append(f"--node-rank {self.node_rank}: give 0 to {self.nnodes - 1} (--nnodes {self.nnodes})")
        if self.nnodes > 1 and not self.master_port:
            found.append("--master-port: give the port node 0 listens on (the same on every node)")
        if not 0 <= self.master_port < 65536:
            found.append(f"--master-port {self.master_port}: give a port from 1 to 65535")
        return found


def auto_nproc() -> int:
    """``--nproc auto``: one rank per CUDA GPU, else 1."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 1


def free_port() -> int:
    """A TCP port nothing listens on now (the rendezvous of a one-node run)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _comm_hook(trainer: Trainer) -> Callable:
    """DDP's all-reduce of each gradient bucket, timed: the seconds add up in ``trainer.comm_seconds``."""
    from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook

    def timed(state, bucket):  # noqa: ANN001, ANN202 - DDP refuses a hook whose annotations are not its own types
        began = time.perf_counter()

        def done(future: Any) -> Any:
            trainer.comm_seconds += time.perf_counter() - began
            return future.value()[0]

        return allreduce_hook(state, bucket).then(done)

    return timed


def build_rank(config: TrainConfig, rank: int, world: int, local_rank: int) -> Trainer:
    """This rank's trainer, its model wrapped in ``DistributedDataParallel`` (the process group is up)."""
    import torch
    from torch.nn.parallel import DistributedDataParallel

    if torch.distributed.get_backend() == "nccl":
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
        trainer = Trainer(config, rank, world, device)
        trainer.device_name = f"cuda:{local_rank} ({torch.cuda.get_device_name(local_rank)})"
        trainer.stepped = DistributedDataParallel(trainer.model, device_ids=[local_rank])
    else:
        trainer = Trainer(config, rank, world, torch.device("cpu"))
        trainer.stepped = DistributedDataParallel(trainer.model)
    trainer.comm_seconds = 0.0
    trainer.stepped.register_comm_hook(None, _comm_hook(trainer))
    return trainer


def run_rank(trainer: Trainer, report: Callable[[Report], None] | None, control: RunControl | None = None,
             every: float = REPORT_SECONDS) -> Report:
    """Train this rank to the run's end; rank 0 passes ``report`` (and may pass ``control``), the others None.

    Every rank reports at the same step counts (rank 0 broadcasts the next one), so the collectives
    line up; between reports the loop is the single-process one.
    """
    import torch
    import torch.distributed as dist

    control = control or RunControl()
    world, device, steps = trainer.world, trainer.device, trainer.config.steps
    step, clock = trainer._make_step(), time.perf_counter
    per_rank_batch = trainer.config.batch_size
    trainer.start_step = trainer.step_count
    interval, reports, pending = FIRST_INTERVAL, 0, []
    began = last = clock()
    comm_before = trainer.comm_seconds
    final: Report | None = None
    while True:
        stop = trainer.step_count >= steps
        if not stop:
            pending.append(step())
            if len(pending) < interval and trainer.step_count < steps:
                continue
        now = clock()
        span = max(now - last, 1e-9)
        own = torch.tensor([len(pending) / span, (trainer.comm_seconds - comm_before) / span], dtype=torch.float64,
                           device=device)
        payload = torch.cat([torch.stack(pending).to(torch.float64) if pending else own[:0], own])
        gathered = [torch.empty_like(payload) for _ in range(world)]
        dist.all_gather(gathered, payload)
        table = torch.stack(gathered)
        losses = table[:, :len(pending)].mean(0).tolist()
        figures = table[:, len(pending):].tolist()
        pending, last, comm_before = [], now, trainer.comm_seconds
        reports += 1
        finished = trainer.step_count >= steps
        final = trainer._report(losses, began, reports % 10 == 1 or finished, finished, "finished" if finished else "",
                                detail=reports % 4 == 1 or finished)
        final.ranks = [(rate, rate * per_rank_batch, share) for rate, share in figures]
        final.step_count = trainer.step_count
        if report is not None:
            final.paused = control.paused and not final.done
            report(final)
            if final.paused:
                control.wait_while_paused()
                last = clock()
        # Rank 0 says what happens next: stop (1 or 0), the learning rate (0: unchanged), the next interval.
        order = torch.zeros(3, dtype=torch.float64, device=device)
        if trainer.rank == 0:
            rate = figures[0][0]
            order[0] = float(final.done or control.stop_requested)
            order[1] = control.new_lr or 0.0
            order[2] = max(1, round(rate * every))
            control.new_lr = None
        dist.broadcast(order, 0)
        stop_now, new_lr, interval = bool(order[0]), float(order[1]), int(order[2])
        if new_lr > 0:
            for group in trainer.optimizer.param_groups:
                group["lr"] = new_lr
        if final.done:
            return final
        if stop_now:
            final = trainer._report([], began, True, True, "stopped")
            final.step_count = trainer.step_count
            if report is not None:
                report(final)
            return final


class SharedControl:
    """:class:`~tui.core.training.engine.RunControl` across processes: the training process sets it
    (pause, resume, stop, a new learning rate) and rank 0, a process of its own, reads it."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self._running = context.Event()
        self._running.set()
        self._stop = context.Value("b", 0)
        self._lr = context.Value("d", 0.0)

    def pause(self) -> None:
        """Hold rank 0 (and so every rank, at the next report) before its next step."""
        self._running.clear()

    def resume(self) -> None:
        """Let the ranks go on."""
        self._running.set()

    @property
    def paused(self) -> bool:
        """Whether the run is held."""
        return not self._running.is_set()

    @property
    def stop_requested(self) -> bool:
        """Whether the run was asked to end."""
        return bool(self._stop.value)

    def stop(self) -> None:
        """End the run at the next report (a paused run ends too)."""
        self._stop.value = 1
        self._running.set()

    @property
    def new_lr(self) -> float | None:
        """A learning rate waiting to be applied, or None."""
        return self._lr.value or None

    @new_lr.setter
    def new_lr(self, value: float | None) -> None:
        self._lr.value = float(value or 0.0)

    def wait_while_paused(self) -> None:
        """Block while paused (waking up for a stop)."""
        while not self._running.wait(0.1):
            pass


def _die_with_parent() -> None:
    """Linux: this rank is killed when the process that started it ends, however it ends (the app's
    training process exits at once when the app closes; a killed command must not leave ranks behind)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _rank_entry(local_rank: int, config: TrainConfig, plan: Plan, backend: str, sink: Any, save_to: str,
                control: Any = None) -> None:
    """One rank's process: join the group, train, rank 0 reports (and obeys ``control``); leave the group."""
    import torch.distributed as dist

    from tui.core.training.device import set_training_threads

    _die_with_parent()
    set_training_threads()
    rank = plan.node_rank * plan.nproc + local_rank
    dist.init_process_group(backend, init_method=f"tcp://{plan.master_addr}:{plan.master_port}", rank=rank,
                            world_size=plan.world, timeout=timedelta(hours=24))
    # A day: while rank 0 is paused the others wait in a collective, and a pause may be long. A rank
    # that dies is still noticed at once: its peers' connections close.
    try:
        trainer = build_rank(config, rank, plan.world, local_rank)
        if rank == 0 and hasattr(sink, "started"):
            sink.started(trainer)
        final = run_rank(trainer, sink.report if rank == 0 else None, control if rank == 0 else None)
        if rank == 0:
            if save_to:
                from tui.core.training.checkpoint import save

                save(trainer, save_to)
            sink.finish(trainer, final)
        dist.barrier()
    finally:
        dist.destroy_process_group()


def launch(config: TrainConfig, plan: Plan, sink: Any, save_to: str = "", control: Any = None) -> None:
    """Start this node's ranks and wait for them; rank 0 (on node 0) reports to ``sink`` (picklable:
    it goes to the rank's process), which needs ``report(Report)`` and ``finish(trainer, Report)``
    (and may have ``started(trainer)``); it obeys ``control`` (a :class:`SharedControl`) if given.

    Raises:
        LaunchError: a rank failed or died (the others are stopped first); the message names it.
    """
    import torch
    import torch.multiprocessing as mp

    from tui.core.training.device import pick_device

    device, _ = pick_device(config.device)
    backend = "nccl" if device.type == "cuda" else "gloo"
    if backend == "nccl" and plan.nproc > torch.cuda.device_count():
        raise LaunchError(f"--nproc {plan.nproc}: this machine has {torch.cuda.device_count()} GPU(s); one rank per GPU")
    if device.type == "mps":
        raise LaunchError("--nproc: data-parallel runs use gloo on the CPU or nccl on CUDA, not MPS; add --device cpu")
    if not plan.master_port:
        plan = Plan(plan.nproc, plan.nnodes, plan.node_rank, plan.master_addr, free_port())
    # On Linux with gloo, forked ranks start at once with torch already imported (spawned ones import it
    # again: 10 s each on a loaded two-core machine); CUDA and other systems need spawn.
    method = "fork" if backend == "gloo" and sys.platform.startswith("linux") else "spawn"
    context = mp.start_processes(_rank_entry, args=(config, plan, backend, sink, save_to, control), nprocs=plan.nproc,
                                 join=False, start_method=method)
    try:
        while not context.join(timeout=1.0):
            pass
    except mp.ProcessRaisedException as error:
        killed = _killed_first(context.processes, error.error_index)
        if killed is not None:  # a rank killed by a signal made its peer's collective fail: name the cause
            rank = plan.node_rank * plan.nproc + killed
            code = context.processes[killed].exitcode
            raise LaunchError(f"rank {rank} ended: {describe_exit(code)}; the other ranks were stopped") from None
        rank = plan.node_rank * plan.nproc + error.error_index
        lines = [line for line in str(error).strip().splitlines() if line.strip()]
        raise LaunchError(f"rank {rank} failed: {lines[-1].strip() if lines else 'no reason given'}; "
                          "the other ranks were stopped") from None
    except mp.ProcessExitedException as error:
        rank = plan.node_rank * plan.nproc + error.error_index
        code = -signal.Signals[error.signal_name].value if error.signal_name else error.exit_code
        raise LaunchError(f"rank {rank} ended: {describe_exit(code)}; the other ranks were stopped") from None
    finally:
        for process in context.processes:
            if process.is_alive():
                process.kill()
            process.join()
        for error_file in context.error_files:  # torch leaves each rank's /tmp/pytorch-errorfile-* behind
            with contextlib.suppress(OSError):
                os.unlink(error_file)


def _killed_first(processes: list, raised: int) -> int | None:
    """The local index of a rank killed by a signal other than the SIGTERM that stops the rest, when
    the rank that raised is another one (its collective failed because that peer was gone)."""
    for index, process in enumerate(processes):
        code = process.exitcode
        if index != raised and code is not None and code < 0 and code != -signal.SIGTERM:
            return index
    return None


def temporary_checkpoint() -> str:
    """A path for a rank 0 checkpoint the caller reads back (the caller deletes it)."""
    handle, path = tempfile.mkstemp(prefix="tensordojo-", suffix=".pt")
    os.close(handle)
    return path
