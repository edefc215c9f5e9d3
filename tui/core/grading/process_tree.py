"""The learner's process tree, seen from the runner through /proc: its members, memory and end.

Every process a learner's code starts ends up below the zygote (a child subreaper), so the tree is
"everything below the zygote" while one job runs. Memory is the private resident memory (resident
minus shared pages) summed over the tree: pages the fork shares with the zygote (torch itself) do
not count, a learner's 3 GB tensor does. Where /proc is missing, the lists are empty and only the
learner's own process group is killed.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _parents() -> dict[int, int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    return parents


def below(root: int) -> list[int]:
    """Running processes below ``root`` (not ``root`` itself)."""
    parents = _parents()
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def private_memory(pids: list[int]) -> int:
    """Bytes of private resident memory held by these processes together."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
        except OSError:
            continue
        total += max(0, int(fields[1]) - int(fields[2])) * PAGE
    return total


def kill_all(pids: list[int], group: int | None = None) -> None:
    """SIGKILL these processes (and a process group), ignoring those already gone."""
    if group:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
