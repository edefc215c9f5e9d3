"""Launching the app must not import torch before the first screen is shown (it costs ~1.4 s)."""

from __future__ import annotations

from tests.waiting import HANG_GUARD
from tui.bench.first_paint import MARKER, time_one_launch, torch_imported_by_first_screen


def test_torch_is_not_imported_by_the_first_screen():
    assert torch_imported_by_first_screen() is False


def test_a_real_launch_in_a_terminal_reaches_the_lesson_list():
    """The benchmark's probe: a pseudo-terminal launch that sees the home screen's text."""
    seconds = time_one_launch(size=(80, 24), timeout=HANG_GUARD)  # raises TimeoutError if it never shows
    assert seconds > 0, f"{MARKER!r} was timed at {seconds} s"  # how fast is for the benchmark to say
