"""The REPL log and its scrollbar keep the rows they drew: what they draw must be what Textual's
own drawing gives, after every new line and a theme change, and a scroll draws only new rows."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.widgets import RichLog

from tui.kernel.events import StreamText
from tui.widgets.repl.log import ReplLog
from tui.widgets.repl.scrollbar import RowKeptScrollBar

SIZE = (60, 12)


class LogApp(App):
    def compose(self) -> ComposeResult:
        yield ReplLog()


def segments(strips) -> list[list[tuple]]:
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


def textuals_own(widget, base: type, crop: Region):
    """The rows as Textual draws them, from scratch."""
    widget._styles_cache.clear()
    return base.render_lines(widget, crop)


def whole(widget) -> Region:
    return Region(0, 0, widget.region.width, widget.region.height)


async def write_line(pilot, log: ReplLog, text: str) -> None:
    log.show([StreamText("stdout", text + "\n")])
    await pilot.pause()


def assert_drawn_as_textual_would(log: ReplLog) -> None:
    assert segments(log.render_lines(whole(log))) == segments(textuals_own(log, RichLog, whole(log)))
    bar = log.vertical_scrollbar
    if bar.display:  # the thumb follows the log's length and the rows match
        assert (bar.window_virtual_size, bar.window_size) == (len(log.lines), log.scrollable_content_region.height)
        assert segments(bar.render_lines(whole(bar))) == segments(textuals_own(bar, ScrollBar, whole(bar)))


async def test_rows_match_textuals_own_drawing_as_the_log_fills_and_scrolls():
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(ReplLog)
        assert isinstance(log.vertical_scrollbar, RowKeptScrollBar)
        for n in range(40):  # first into blank rows below the end, then scrolling
            await write_line(pilot, log, f"line {n} " + "x" * (n % 7))
            assert_drawn_as_textual_would(log)
        assert log.scroll_y > 0 and log.vertical_scrollbar.display
        log.scroll_to(y=5, animate=False, immediate=True)  # the learner scrolls back
        await pilot.pause()
        assert_drawn_as_textual_would(log)
        app.theme = "textual-light"
        await pilot.pause()
        assert_drawn_as_textual_would(log)


async def test_a_new_line_draws_only_the_row_that_came_into_view(monkeypatch):
    drawn: list[int] = []
    original = RichLog.render_line
    monkeypatch.setattr(RichLog, "render_line", lambda self, y: (drawn.append(y), original(self, y))[1])
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(ReplLog)
        for n in range(30):
            await write_line(pilot, log, f"line {n}")
        log.render_lines(whole(log))
        drawn.clear()
        await write_line(pilot, log, "one more")
        log.render_lines(whole(log))
        assert drawn == [log.region.height - 1]  # not every row of the log


async def test_a_moving_thumb_draws_only_rows_of_a_new_kind():
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(ReplLog)
        for n in range(200):
            log.show([StreamText("stdout", f"line {n}\n")])
        await pilot.pause()
        bar = log.vertical_scrollbar
        bar.render_lines(whole(bar))
        rendered: list[int] = []
        cache = bar._styles_cache
        original = cache.render_line
        cache.render_line = lambda *args, **kwargs: (rendered.append(1), original(*args, **kwargs))[1]
        for n in range(5):
            await write_line(pilot, log, f"more {n}")
            bar.render_lines(whole(bar))
        assert len(rendered) <= 2 * 5  # at most the two partial ends each time, not all 12 rows
        assert_drawn_as_textual_would(log)


class NarrowLogApp(App):
    CSS = "ReplLog { width: 34; }"

    def compose(self) -> ComposeResult:
        yield ReplLog()


async def test_a_line_wider_than_a_narrow_log_wraps_instead_of_being_cut():
    # The REPL docked beside a lesson at 80 columns is about 34 wide.
    from tui.kernel.repl import InputEcho

    app = NarrowLogApp()
    async with app.run_test(size=(80, 12)) as pilot:
        log = app.query_one(ReplLog)
        await pilot.pause()
        log.show([InputEcho(1, "torch.arange(6).reshape(2, 3)"), StreamText("stdout", "x" * 50 + "\n")])
        await pilot.pause()
        width = log.scrollable_content_region.width
        assert all(line.cell_length <= width for line in log.lines)
        assert "".join(line.text for line in log.lines).replace(" ", "") == "In[1]:torch.arange(6).reshape(2,3)" + "x" * 50
        assert not log.show_horizontal_scrollbar
