"""What a learner sees between Enter and a quick result: one frame with the echo, the value and
an empty input; keys typed meanwhile are kept; the log is at its end as soon as it is written.

These use a scripted kernel session so the moment the result arrives is under the test's control.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest
from textual import events

from tests.app.repl_helpers import log_text, wait_until
from tui.app import make_app
from tui.kernel.events import Result, RunOutcome, StreamText
from tui.kernel.repl import InputEcho, StateChanged
from tui.widgets.repl import ReplPanel

SIZE = (100, 30)


class HeldSession:
    """Answers a run with ``2`` only when the test lets it."""

    started = True

    def __init__(self) -> None:
        self.go = asyncio.Event()

    async def execute(self, code, on_events, expressions=None, silent=False, **options):
        await self.go.wait()
        on_events([Result("2", final=True)])
        return RunOutcome("ok", 1)

    async def is_alive(self):
        return True

    async def shutdown(self):
        pass


@asynccontextmanager
async def held_workbench():
    """The app on the workbench, its REPL on a :class:`HeldSession`: yields (pilot, panel, session)."""
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        session = HeldSession()
        service = app.repl
        service.session = session
        service.state = "ready"
        service._ready.set()
        await pilot.press("w")
        yield pilot, app.screen.query_one(ReplPanel), session


@pytest.fixture
def echo_waits_for_the_result(monkeypatch):
    """The echo waits for the result (up to 30 s, not 30 ms), however slowly the test runs."""
    monkeypatch.setattr("tui.kernel.repl.ECHO_DELAY", 30.0)


async def until_the_run_ends(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.repl.number == 1 and pilot.app.repl.state == "ready", what="the run's end")
    await pilot.pause()


@pytest.mark.usefixtures("echo_waits_for_the_result")
async def test_nothing_is_painted_between_enter_and_the_result_then_one_frame_shows_it_all():
    async with held_workbench() as (pilot, panel, session):
        panel.input.replace_all("1 + 1")
        await pilot.pause()
        painted: list[tuple[str, str]] = []  # what the log and the input held at each paint
        display = pilot.app._display
        pilot.app._display = lambda screen, update: (painted.append((log_text(panel), panel.input.text)), display(screen, update))
        await pilot.press("enter")
        await pilot.pause()
        # The echo is written and the input cleared while the kernel works, but not painted:
        # the result may be a few ms away, and a frame now would delay it.
        assert "In [1]: 1 + 1" in log_text(panel) and panel.input.text == ""
        assert painted == []
        session.go.set()
        await wait_until(pilot, lambda: painted, what="a paint")
        log, typed = painted[0]
        assert log.split("In [1]: 1 + 1")[-1].strip() == "2" and typed == ""


@pytest.mark.usefixtures("echo_waits_for_the_result")
async def test_keys_typed_before_the_result_start_a_fresh_input_and_are_kept():
    async with held_workbench() as (pilot, panel, session):
        panel.input.replace_all("1 + 1")
        await pilot.press("enter")
        await pilot.press("x", "y")
        assert panel.input.text == "xy"
        session.go.set()
        await until_the_run_ends(pilot)
        assert panel.input.text == "xy"  # the echo arriving later does not wipe what was typed


async def test_updates_emitted_together_are_handled_as_one_message():
    async with held_workbench() as (pilot, panel, _):
        handled: list[int] = []
        shown = panel.log_view.show
        panel.log_view.show = lambda updates: (handled.append(len(updates)), shown(updates))
        panel._listener([InputEcho(1, "print('a')")])
        panel._listener([StreamText("stdout", "a\n")])
        panel._listener([StateChanged("ready")])
        await pilot.pause()
        assert handled == [3]


async def test_the_log_is_scrolled_to_its_end_as_soon_as_it_is_written():
    async with held_workbench() as (pilot, panel, _):
        await pilot.pause()
        log = panel.log_view
        log.show([StreamText("stdout", "".join(f"line {n}\n" for n in range(80)))])
        assert log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y  # no frame needed first


@pytest.mark.usefixtures("echo_waits_for_the_result")
async def test_a_key_in_the_same_burst_as_enter_is_kept():
    # Over SSH or tmux, Enter and the next keys can arrive together: the input handles them all
    # before the panel hears of the run, and the run must not then clear what they typed.
    async with held_workbench() as (pilot, panel, session):
        panel.input.replace_all("1 + 1")
        for key, character in [("enter", "\r"), ("y", "y")]:
            panel.input.post_message(events.Key(key, character))
        await pilot.pause()
        session.go.set()
        await until_the_run_ends(pilot)
        assert panel.input.text == "y"
        assert "In [1]: 1 + 1" in log_text(panel)


async def test_a_long_print_is_written_a_slice_per_frame_in_order():
    from tui.widgets.repl.log import LINES_PER_TURN

    async with held_workbench() as (pilot, panel, _):
        await pilot.pause()
        log = panel.log_view
        log.show([InputEcho(1, "for i in range(1000): print(i)"),
                  StreamText("stdout", "".join(f"{n}\n" for n in range(1000))), Result("done", final=True)])
        assert len(log.lines) <= LINES_PER_TURN + 1  # the echo and the first slice; the UI is free again
        await wait_until(pilot, lambda: log_text(panel).endswith("done"), what="the rest of the output")
        lines = log_text(panel).split("\n")
        assert lines[1:1001] == [str(n) for n in range(1000)] and lines[-1] == "done"


async def test_the_app_collects_garbage_less_often_than_python_would():
    # Python's thresholds ran collections in the middle of most REPL round trips.
    import gc

    from tui.app import GC_THRESHOLDS

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        async with make_app(start_kernel=False).run_test(size=SIZE):
            assert gc.get_threshold() == GC_THRESHOLDS and GC_THRESHOLDS[0] > 700
    finally:
        gc.set_threshold(*before)


async def test_an_error_that_ends_a_flood_comes_after_its_kept_tail_at_the_end_of_the_log():
    # ctrl+c against a flood of prints: the KeyboardInterrupt used to be written after the first
    # 2,000 lines, far above the tail the log ends with, where no learner looks for it.
    from tui.kernel.events import Failure, ShortTraceback
    from tui.kernel.repl import RunFinished

    async with held_workbench() as (pilot, panel, _):
        await pilot.pause()
        log = panel.log_view
        record = {"frames": [], "evalue": "", "explanation": None}
        log.show([InputEcho(1, "for i in range(10**7): print(i)"),
                  StreamText("stdout", "".join(f"{n}\n" for n in range(3000))),
                  Failure("KeyboardInterrupt", ""), ShortTraceback(record),
                  RunFinished(1, RunOutcome("error", 1), 1.0)])
        await wait_until(pilot, lambda: "KeyboardInterrupt" in log_text(panel) and not log._writes,
                         what="the run written")
        lines = log_text(panel).rstrip().split("\n")
        failure = next(i for i, line in enumerate(lines) if line.startswith("KeyboardInterrupt"))
        assert lines.index("2999") < failure, "the error is not after the last lines printed"
        assert any("lines not shown" in line for line in lines[:failure])


async def test_what_the_log_keeps_to_redraw_is_bounded_by_rows_not_by_writes():
    # A value that wraps to thousands of rows is one write: counted as one line, a few of them
    # would make a redraw at a new width render far more than the log holds.
    from tui.widgets.repl.log import KEPT_LINES

    async with held_workbench() as (pilot, panel, _):
        await pilot.pause()
        log = panel.log_view
        tall = "\n".join(str(n) for n in range(KEPT_LINES))
        log.show([Result(tall), Result(tall), Result(tall)])
        await wait_until(pilot, lambda: not log._writes, what="the values written")
        assert len(log._written) == 1 and log._written_lines <= KEPT_LINES + 1
