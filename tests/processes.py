"""Looking at running processes through /proc (Linux), for tests that check nothing is left behind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    """One process: its id, parent, process group, and whether it still runs (not a zombie)."""

    pid: int
    ppid: int
    pgrp: int
    running: bool


def processes() -> list[Proc]:
    """Every process /proc shows now."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        found.append(Proc(int(stat.parent.name), int(fields[1]), int(fields[2]), fields[0] != "Z"))
    return found


def living_in_group(pgid: int) -> list[int]:
    """Processes of a process group that still run (zombies waiting to be reaped do not count)."""
    return [p.pid for p in processes() if p.pgrp == pgid and p.running]


def descendants(pid: int) -> list[int]:
    """Running processes below pid."""
    children: dict[int, list[int]] = {}
    for proc in processes():
        if proc.running:
            children.setdefault(proc.ppid, []).append(proc.pid)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether pid exists and is not a zombie."""
    return any(p.pid == pid and p.running for p in processes())
