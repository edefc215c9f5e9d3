"""An opt-in pytest plugin: the CPU each test used, its own process's and every descendant's.

    CPU_REPORT=/tmp/cpu.jsonl .venv/bin/python -m pytest -p tests.cpu_report -n 0   # default: cpu-report.jsonl

Around each test (setup, call and teardown) it reads this process's CPU (``getrusage``: itself and
the children it has reaped) and the user+system time, children included, of every live descendant
from /proc (kernels, graders and training processes that session fixtures keep: the test that
keeps them busy is charged). One JSON line per test: ``id``, ``own`` and ``other`` CPU-seconds,
``wall``. A process that dies unreaped by this tree (a runner killed with its children) takes its
CPU with it, so a test can show a negative ``other``; sums over a run are still close. Under
pytest-xdist each worker writes its own lines to the same file. Linux only (/proc).
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _descendants_cpu() -> float:
    """User+system seconds of every live process below this one, their reaped children included."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        cpu[pid] = sum(int(f) for f in fields[11:15]) / _TICKS  # utime stime cutime cstime
    total, todo = 0.0, [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            total += cpu.get(child, 0.0)
            todo.append(child)
    return total


def _cpu() -> tuple[float, float]:
    """(this process's CPU, its reaped children's plus its live descendants')."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime + _descendants_cpu()


class CpuReport:
    """Writes one line per test to the file named by $CPU_REPORT (default ``cpu-report.jsonl``)."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115  (closed at unconfigure)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        own, other = _cpu()
        started = time.monotonic()
        yield
        own_after, other_after = _cpu()
        line = {"id": item.nodeid, "own": round(own_after - own, 3), "other": round(other_after - other, 3),
                "wall": round(time.monotonic() - started, 3)}
        self._file.write(json.dumps(line) + "\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def pytest_configure(config: pytest.Config) -> None:
    report = CpuReport(os.environ.get("CPU_REPORT", "cpu-report.jsonl"))
    config.pluginmanager.register(report, "cpu-report-writer")
    config.add_cleanup(report.close)
