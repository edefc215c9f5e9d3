"""The REPL benchmark's terminal harness: the real app in a pty, read through a terminal emulator."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tui.bench.repl import ReplFigures, measure_in_terminal


def kernel_socket_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("tensordojo-kernel-*"))


def test_the_benchmark_sees_results_and_interrupts_on_the_emulated_screen():
    before = kernel_socket_folders()
    figures = ReplFigures()
    measure_in_terminal(figures, round_trips=2, interrupts=1, warm_up=1)
    # It quits the app with ctrl+q, as a learner would: the kernel is stopped and its sockets go.
    assert kernel_socket_folders() <= before
    assert len(figures.round_trips) == 2 and len(figures.interrupts) == 1
    # Each figure is a real, positive time from key to screen; how fast is for the benchmark to say.
    assert all(seconds > 0 for seconds in figures.round_trips)
    assert figures.interrupts[0] > 0


def test_the_plain_kernel_floor_is_timed_without_tensordojo_code():
    from tui.bench.repl import bare_kernel_round_trips

    before = kernel_socket_folders()
    times = bare_kernel_round_trips(3, pause=0.01, warm_up=1)
    assert len(times) == 3 and all(seconds > 0 for seconds in times)
    assert kernel_socket_folders() <= before  # its socket folder is removed too
