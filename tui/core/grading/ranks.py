"""Calling the learner's function on every rank of a real ``torch.distributed`` group (gloo, CPU).

Used inside the learner's process for exercises about data parallelism: it forks ``world`` ranks,
each joins one gloo group over TCP on 127.0.0.1, calls the learner's function with its own
arguments, and sends back its answer (the same data as a plain call's, see
:mod:`tui.core.grading.sandbox`). Ranks inherit the learner's process's fences, so they cannot reach
the course either. A rank that neither answers nor ends within ``timeout`` seconds (a rank stuck
in an ``all_reduce`` the other never makes) is reported as such, and every rank is killed.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import time
from typing import Any, Callable

from tui.core.grading.values import dump  # imported before the fences go up (no tui imports after)

Answer = Callable[[int, Any, tuple, dict], dict]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rank(rank: int, world: int, port: int, target: Any, args: tuple, kwargs: dict, answer: Answer, fd: int,
          timeout: float) -> None:
    import datetime

    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    try:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world,
                                timeout=datetime.timedelta(seconds=timeout))
        try:
            payload = dump(answer(rank, target, args, kwargs))
            # Leave together: a rank that tears the group down while another is still connecting
            # (the learner's function made no collective call) makes that one fail to join.
            dist.barrier()
        finally:
            dist.destroy_process_group()
    except BaseException as error:  # noqa: BLE001  (joining the group failed: said to the judge)
        payload = dump({"fault": f"rank {rank} could not run: {type(error).__name__}: {error}"})
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(payload)
    os._exit(0)


def run_ranks(world: int, target: Any, per_rank: list[tuple[tuple, dict]], answer: Answer,
              timeout: float) -> list[bytes | None]:
    """Each rank's answer bytes (``torch.save`` of plain data), or None for a rank that gave none."""
    port = _free_port()
    pids, reads = [], []
    for rank in range(world):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            args, kwargs = per_rank[rank]
            try:
                _rank(rank, world, port, target, args, kwargs, answer, write_fd, timeout)
            finally:
                os._exit(70)
        os.close(write_fd)
        pids.append(pid)
        reads.append(read_fd)
    chunks: dict[int, list[bytes]] = {fd: [] for fd in reads}
    open_fds, deadline = set(reads), time.monotonic() + timeout
    while open_fds and time.monotonic() < deadline:
        for fd in select.select(list(open_fds), [], [], max(0.0, deadline - time.monotonic()))[0]:
            data = os.read(fd, 1 << 20)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.discard(fd)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    for fd in reads:
        os.close(fd)
    return [b"".join(chunks[fd]) if fd not in open_fds and chunks[fd] else None for fd in reads]
