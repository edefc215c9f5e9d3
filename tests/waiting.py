"""Waiting on events in tests: the one place where tests poll, and the only one allowed to sleep.

A test never sleeps for a fixed time and never bounds how long something took: on a loaded machine any
delay can be too short and any bound can be too tight. It waits for the event it needs (the paused
report, the palette's entry, the kernel's state) with one of these helpers instead. They poll with
short naps and give up only after ``HANG_GUARD`` seconds, a guard against a hang rather than a time
limit: reaching it means the event never came, and the message says which event that was.

- ``wait_for(predicate, what=...)``: threads and processes (blocking code).
- ``await wait_until(pilot, predicate, what=...)``: Pilot tests (lets the app run between polls).
- ``await wait_for_async(predicate, what=...)``: asyncio code without an app (lets the loop run).
- ``await run_from_palette(pilot, "Training")``: run a command palette entry, once it is highlighted.
- ``await resize_to(pilot, 130, 30)``: resize the terminal and wait until the screen is laid out at it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable

HANG_GUARD = 300.0
"""Seconds after which a wait is taken for a hang. Generous on purpose: it is never a timing check."""

_NAP = 0.01
"""Seconds between two polls of a blocking wait."""


def _hung(what: str, guard: float) -> AssertionError:
    return AssertionError(f"waited {guard:g} s for {what} and it never happened (taken for a hang)")


def wait_for(predicate: Callable[[], object], what: str = "the condition", guard: float = HANG_GUARD) -> object:
    """Poll ``predicate()`` until it returns something truthy, and return that.

    Args:
        predicate: A callable without arguments; polled every few milliseconds.
        what: What is awaited, in words, for the failure message ("the paused report").
        guard: Seconds after which the wait counts as hung and fails.

    Raises:
        AssertionError: ``predicate()`` stayed falsy for ``guard`` seconds.
    """
    deadline = time.monotonic() + guard
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _hung(what, guard)
        time.sleep(_NAP)


async def wait_until(pilot, predicate: Callable[[], object], what: str = "the condition",
                     guard: float = HANG_GUARD) -> object:
    """Let the app under ``pilot`` run until ``predicate()`` is truthy, and return its value.

    Between polls it awaits ``pilot.pause()``, which lets the app handle its pending messages, so
    workers' messages and timers get their turn.

    Raises:
        AssertionError: ``predicate()`` stayed falsy for ``guard`` seconds.
    """
    deadline = time.monotonic() + guard
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _hung(what, guard)
        await pilot.pause()


async def wait_for_async(predicate: Callable[[], object], what: str = "the condition",
                         guard: float = HANG_GUARD) -> object:
    """Poll ``predicate()`` from a coroutine, letting the event loop run between polls; return its value.

    Raises:
        AssertionError: ``predicate()`` stayed falsy for ``guard`` seconds.
    """
    deadline = time.monotonic() + guard
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _hung(what, guard)
        await asyncio.sleep(_NAP)


def _palette_highlight(app, typed: str, entry: str) -> bool:
    """Whether the open palette holds ``typed``, has finished searching for it, and highlights ``entry``."""
    from textual.command import CommandList, CommandPalette
    from textual.worker import WorkerState

    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    searching = any(
        worker.group == CommandPalette._GATHER_COMMANDS_GROUP
        and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for worker in app.workers
    )
    if searching:
        return False
    from textual.command import CommandInput

    if palette.query_one(CommandInput).value.strip() != typed.strip():
        return False
    options = palette.query_one(CommandList)
    if options.highlighted is None:
        return False
    hit = getattr(options.get_option_at_index(options.highlighted), "hit", None)
    return hit is not None and str(hit.text) == entry


async def run_from_palette(pilot, command_text: str, entry: str | None = None,
                           guard: float = HANG_GUARD) -> None:
    """Open the command palette, type ``command_text`` and run the entry it finds.

    Textual fills the palette's list in a worker, so pressing Enter straight after typing can pick
    whatever was highlighted before the search ended. This waits until the search is over and the
    wanted entry is the highlighted one, then presses Enter.

    Args:
        pilot: The Pilot of the app.
        command_text: What to type into the palette.
        entry: The entry's name as the palette lists it; ``command_text`` when not given.
        guard: Seconds after which a wait counts as hung.
    """
    from textual.command import CommandPalette

    wanted = command_text if entry is None else entry
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette),
                     what="the command palette to open", guard=guard)
    await pilot.press(*command_text)
    await pilot.pause()  # lets the palette start its search for the whole text
    await wait_until(pilot, lambda: _palette_highlight(pilot.app, command_text, wanted),
                     what=f"the palette to highlight {wanted!r}", guard=guard)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette),
                     what=f"the palette to close after running {wanted!r}", guard=guard)


def _laid_out_at(screen, width: int, height: int) -> bool:
    """Whether ``screen`` has been laid out at ``width`` x ``height`` and has taken its size classes.

    The app's own size changes as soon as the resize is posted, before any layout: only the regions
    the compositor gave (the footer, docked at the bottom, spans the screen) say a layout happened.
    """
    from textual.widgets import Footer

    footers = [footer for footer in screen.query(Footer) if footer.display]
    laid_out = all(footer.region.right == width and footer.region.bottom == height for footer in footers)
    narrow_below = getattr(screen, "NARROW_BELOW", 0)
    short_below = getattr(screen, "SHORT_BELOW", 0)
    return (laid_out and (not narrow_below or screen.has_class("-narrow") == (width < narrow_below))
            and (not short_below or screen.has_class("-short") == (height < short_below)))


async def resize_to(pilot, width: int, height: int, guard: float = HANG_GUARD) -> None:
    """Resize the terminal, then wait until the screen has been laid out at the new size.

    ``pilot.resize_terminal`` returns once the resize message is handled; the layout, the screen's
    ``-narrow``/``-short`` classes and the widgets' own resize handlers come later. A check made
    before them passes or fails on the old layout (a wait for "the log's width agrees with the
    kernel's" was met by the old size's widths on a loaded run). A test waiting on something that
    follows from the widgets' resize handlers still waits for that itself.
    """
    await pilot.resize_terminal(width, height)
    await wait_until(pilot, lambda: _laid_out_at(pilot.app.screen, width, height),
                     what=f"the screen laid out at {width}x{height}", guard=guard)
