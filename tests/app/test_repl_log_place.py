"""The REPL log keeps the learner's place when the terminal's width changes, and no line keeps an old width.

The log is drawn again at each new width. A learner scrolled up to an earlier result finds the same
line at the top afterwards (narrower and wider alike); a log at its end stays there and follows new
output; output that came while the log was hidden does not leave the older lines at their old width.
The updates are shown straight to the log (no kernel): what is tested is the drawing.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from tests.app.repl_helpers import log_text, wait_until
from tests.waiting import resize_to
from tui.app import make_app
from tui.kernel.events import StreamText
from tui.kernel.repl import InputEcho
from tui.widgets.repl import ReplPanel
from tui.widgets.repl.log import ReplLog

CELLS = 6
ROWS = 30


def cell_updates(cell: int) -> list:
    """A cell with a long echo and ROWS printed lines, each long enough to wrap in a narrow log."""
    lines = "".join(f"cell{cell} row{row:02d} " + "word " * 40 + "\n" for row in range(ROWS))
    return [InputEcho(cell, f"show_rows({cell})  # " + "a long comment " * 8), StreamText("stdout", lines)]


@asynccontextmanager
async def workbench_with_cells(size: tuple[int, int]):
    """The workbench (no kernel) with CELLS cells written to its log: yields (pilot, log)."""
    app = make_app(start_kernel=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        panel = app.screen.query_one(ReplPanel)
        log = panel.log_view
        await wait_until(pilot, lambda: log.print_columns > 0, what="the log laid out")
        log.show([update for cell in range(1, CELLS + 1) for update in cell_updates(cell)])
        await wait_until(pilot, lambda: everything_shown(log), what="the cells written")
        yield pilot, log


def everything_shown(log: ReplLog) -> bool:
    text = "\n".join(line.text for line in log.lines)
    return f"cell{CELLS} row{ROWS - 1:02d}" in text and "In [1]:" in text


def fits(log: ReplLog) -> bool:
    return bool(log.lines) and max(line.cell_length for line in log.lines) <= log.scrollable_content_region.width


def top_row(log: ReplLog) -> str:
    return log.lines[round(log.scroll_y)].text.strip()


async def scroll_to_line(pilot, log: ReplLog, start: str) -> None:
    """Scroll as a learner would, until the row starting with ``start`` is the top one."""
    row = next(index for index, line in enumerate(log.lines) if line.text.startswith(start))
    log.scroll_to(y=row, animate=False, immediate=True)
    await wait_until(pilot, lambda: top_row(log).startswith(start), what=f"{start!r} at the top")
    assert log.scroll_y < log.max_scroll_y, "the learner's place is above the end"


async def resize_and_wait_for_the_redraw(pilot, log: ReplLog, size: tuple[int, int]) -> None:
    """Resize the terminal and wait until the log is drawn again, whole, at its new width."""
    before = len(log.lines)
    await resize_to(pilot, *size)
    await wait_until(pilot, lambda: fits(log) and len(log.lines) != before and everything_shown(log),
                     what=f"the log drawn again at {size}")


async def test_a_log_scrolled_up_keeps_the_same_line_at_the_top_narrower_and_wider():
    async with workbench_with_cells((200, 50)) as (pilot, log):
        await scroll_to_line(pilot, log, "cell3 row10")
        await resize_and_wait_for_the_redraw(pilot, log, (80, 24))
        assert top_row(log).startswith("cell3 row10"), f"the top row is now {top_row(log)!r}"
        await resize_and_wait_for_the_redraw(pilot, log, (200, 50))
        assert top_row(log).startswith("cell3 row10"), f"the top row is now {top_row(log)!r}"


async def test_a_log_scrolled_up_to_a_cell_keeps_that_cell_at_the_top():
    async with workbench_with_cells((80, 24)) as (pilot, log):
        await scroll_to_line(pilot, log, "In [4]:")
        await resize_and_wait_for_the_redraw(pilot, log, (200, 50))
        assert top_row(log).startswith("In [4]:"), f"the top row is now {top_row(log)!r}"
        await resize_and_wait_for_the_redraw(pilot, log, (100, 30))
        assert top_row(log).startswith("In [4]:"), f"the top row is now {top_row(log)!r}"


async def test_a_log_at_its_end_stays_at_its_end_and_follows_new_output():
    async with workbench_with_cells((200, 50)) as (pilot, log):
        assert log.scroll_y >= log.max_scroll_y > 0
        for size in ((80, 24), (200, 50)):
            await resize_and_wait_for_the_redraw(pilot, log, size)
            await wait_until(pilot, lambda: log.scroll_y >= log.max_scroll_y, what=f"the log at its end at {size}")
            log.show([StreamText("stdout", f"new output at {size[0]}\n")])
            await wait_until(pilot, lambda: top_row_at_end(log) == f"new output at {size[0]}", what="the new line shown")


def top_row_at_end(log: ReplLog) -> str:
    """The last row in view, once the log is at its end."""
    if log.scroll_y < log.max_scroll_y:
        return ""
    return log.lines[-1].text.strip()


async def test_output_that_came_while_the_log_was_hidden_leaves_no_line_at_the_old_width():
    # Written first, at the new width, it once hid that the older lines had another width: the
    # long echo stayed cut at the width it was drawn at.
    app = make_app(start_kernel=False)
    async with app.run_test(size=(109, 30)) as pilot:  # narrow: f2 swaps the REPL for the inspector
        await pilot.press("w")
        panel = app.screen.query_one(ReplPanel)
        log = panel.log_view
        await wait_until(pilot, lambda: log.print_columns > 90, what="the log laid out")
        source = "total = " + " + ".join(f"weight_{i}" for i in range(12))
        log.show([InputEcho(1, source)])
        await wait_until(pilot, lambda: "weight_11" in log_text(panel), what="the echo")
        await pilot.press("f2")
        await wait_until(pilot, lambda: log.size.width == 0, what="the REPL hidden")
        await resize_to(pilot, 80, 24)
        log.show([StreamText("stdout", "printed while hidden\n")])
        await pilot.press("f2")
        await wait_until(pilot, lambda: log.size.width > 0 and "printed while hidden" in log_text(panel),
                         what="the REPL shown with the new line")
        await wait_until(pilot, lambda: fits(log) and "weight_11" in log_text(panel) and log.max_scroll_x == 0,
                         what="every line at the new width, the echo whole")
        echo = log_text(panel).split("printed while hidden")[0]
        assert " ".join(echo.split()) == f"In [1]: {source}", "every word of the echo, in order"


async def test_pageup_and_pagedown_scroll_the_log_while_the_input_keeps_its_text():
    # Without a mouse the log was out of reach: the input took pageup to move its cursor.
    async with workbench_with_cells((80, 24)) as (pilot, log):
        field = pilot.app.screen.query_one(ReplPanel).input
        field.replace_all("x = 1")
        field.focus()
        await pilot.pause()
        end = log.scroll_y
        assert end >= log.max_scroll_y > 0
        await pilot.press("pageup")
        await wait_until(pilot, lambda: log.scroll_y < end, what="the log a page up")
        assert end - log.scroll_y >= log.scrollable_content_region.height - 1, "it moved about a page"
        await pilot.press("pageup", "pagedown", "pagedown")
        await wait_until(pilot, lambda: log.scroll_y >= log.max_scroll_y, what="the log back at its end")
        assert field.text == "x = 1" and field.has_focus


async def test_output_that_comes_while_scrolled_up_keeps_the_place_and_a_new_run_goes_to_the_end():
    # A thread printing every second pulled a learner reading an earlier result down each time.
    async with workbench_with_cells((80, 24)) as (pilot, log):
        await scroll_to_line(pilot, log, "cell2 row05")
        log.show([StreamText("stdout", "from a thread\n")])
        await wait_until(pilot, lambda: "from a thread" in log.lines[-1].text, what="the thread's line written")
        await pilot.pause()
        assert top_row(log).startswith("cell2 row05"), f"the top row is now {top_row(log)!r}"
        log.show([InputEcho(CELLS + 1, "print('mine')"), StreamText("stdout", "mine\n")])
        await wait_until(pilot, lambda: top_row_at_end(log) == "mine", what="the new run at the end")


async def test_ctrl_l_clears_the_log_for_good_and_new_output_still_shows():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        panel = app.screen.query_one(ReplPanel)
        await wait_until(pilot, lambda: panel.log_view.print_columns > 0, what="the log laid out")
        app.repl._emit(cell_updates(1))  # as the kernel's output would come
        await wait_until(pilot, lambda: "cell1 row29" in log_text(panel), what="the cell shown")
        panel.input.replace_all("x = 1")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: not log_text(panel).strip(), what="the log cleared")
        assert panel.input.text == "x = 1", "the input keeps what was typed"
        app.repl._emit(cell_updates(2))
        await wait_until(pilot, lambda: "cell2 row29" in log_text(panel), what="new output shown")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.query(ReplPanel), what="the workbench left")
        await pilot.press("w")
        panel = app.screen.query_one(ReplPanel)
        await wait_until(pilot, lambda: "cell2 row29" in log_text(panel), what="the workbench's log again")
        assert "cell1" not in log_text(panel), "a cleared log came back when the REPL was opened again"
