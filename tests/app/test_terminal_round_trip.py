"""The REPL benchmark's terminal harness: the real app in a pty, read through a terminal emulator."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tui.bench.repl import ReplFigures, measure_in_terminal
from tui.core.processes.temp_folders import owner_alive
from tui.kernel.session import SOCKET_FOLDER_PREFIX


def kernel_socket_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{SOCKET_FOLDER_PREFIX}*"))


def left_behind(before: set[Path]) -> set[Path]:
    """Socket folders made since ``before`` and still there although their owner is this process or has
    ended. A folder whose owner runs on is another test's live kernel (the suite runs in parallel
    workers): comparing the whole temp folder counted those, and failed a loaded run."""
    def owner(path: Path) -> int:
        return int(path.name[len(SOCKET_FOLDER_PREFIX):].split("-", 1)[0])

    return {path for path in kernel_socket_folders() - before
            if owner(path) == os.getpid() or not owner_alive(owner(path))}


def test_the_benchmark_sees_results_and_interrupts_on_the_emulated_screen():
    before = kernel_socket_folders()
    figures = ReplFigures()
    measure_in_terminal(figures, round_trips=2, interrupts=1, warm_up=1)
    # It quits the app with ctrl+q, as a learner would: the kernel is stopped and its sockets go.
    assert not left_behind(before)
    assert len(figures.round_trips) == 2 and len(figures.interrupts) == 1
    # Each figure is a real, positive time from key to screen; how fast is for the benchmark to say.
    assert all(seconds > 0 for seconds in figures.round_trips)
    assert figures.interrupts[0] > 0


def test_the_plain_kernel_floor_is_timed_without_tensordojo_code():
    from tui.bench.repl import bare_kernel_round_trips

    before = kernel_socket_folders()
    times = bare_kernel_round_trips(3, pause=0.01, warm_up=1)
    assert len(times) == 3 and all(seconds > 0 for seconds in times)
    assert not left_behind(before)  # its socket folder is removed too
