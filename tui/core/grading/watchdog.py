"""The watchdog over one grading job: the judge's events, the time limit and the memory limit.

While the judge runs the hidden tests, the runner waits here for its events (JSON lines on a
pipe) and, every 0.1 s, sums the private resident memory of everything below the zygote (the
learner's process and whatever it started, see :mod:`tui.core.grading.process_tree`). The wait
ends when the judge is done or its pipe closes, when the time is up, or when the tree holds more
than :data:`MEMORY_LIMIT`; afterwards :func:`end_tree` kills the whole tree.
"""

from __future__ import annotations

import json
import os
import select
import time
from typing import Any, Callable

from tui.core.grading import process_tree
from tui.core.grading.report import TIMED_OUT

MEMORY_LIMIT = 1536 * 1024 * 1024
"""The most private resident memory the learner's process tree may hold."""
MEMORY_LOOK_EVERY = 0.1
"""Seconds between two looks at the tree's memory."""


class EventPipe:
    """Newline-separated JSON events read from a pipe."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer, self.items, self.closed = fd, b"", [], False

    def read(self) -> None:
        """Read what the pipe holds now; mark it closed at its end."""
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.closed = True
            return
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        self.items += [json.loads(line) for line in lines if line]

    @property
    def done(self) -> bool:
        """Whether the last event is ``done``."""
        return bool(self.items) and self.items[-1].get("event") == "done"


def timed_out(timeout: float) -> str:
    """Why a job was stopped at its time limit, for the learner."""
    return f"timed out after {timeout:g} s: an endless loop, or far too much work?"


def watch_limits(events: EventPipe, zygote: int, control: Any, on_control: Callable[[], object],
                 started: float, timeout: float) -> tuple[str, str]:
    """Read ``events`` until the judge is done or stops, or a limit is hit.

    ``control`` is the zygote's socket; ``on_control`` reads it when it has something (such as
    the end of a learner's process). Returns ``("crashed", "")`` when the events ended (the
    caller tells done from gone), or the status and reason of the limit that was hit.
    """
    next_memory_look = 0.0
    while not events.closed and not events.done:
        now = time.monotonic()
        if now >= started + timeout:
            return TIMED_OUT, timed_out(timeout)
        if now >= next_memory_look:
            next_memory_look = now + MEMORY_LOOK_EVERY
            if process_tree.private_memory(process_tree.below(zygote)) > MEMORY_LIMIT:
                return "crashed", (f"your code used more than {MEMORY_LIMIT / 2**30:.1f} GB of memory and was "
                                   "stopped; use smaller tensors")
        ready = select.select([events.fd, control], [], [], min(MEMORY_LOOK_EVERY, started + timeout - now))[0]
        if control in ready:
            on_control()
        if events.fd in ready:
            events.read()
    return "crashed", ""


def end_tree(zygote: int, judge_pid: int) -> None:
    """Kill everything below the zygote (the learner's tree) and the judge; reap the judge."""
    process_tree.kill_all(process_tree.below(zygote) + [judge_pid])
    os.waitpid(judge_pid, 0)
