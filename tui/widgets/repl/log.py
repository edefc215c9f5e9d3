"""The REPL's scrolling log: renders updates, joins an error with its short traceback, limits floods."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace

from rich.console import RenderableType
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import RichLog

from tui.core.repl.output_limit import OutputLimiter
from tui.kernel.events import Failure, Notice, Page, Result, ShortTraceback, StreamText
from tui.kernel.repl import InputEcho, LateOutput, LogCleared, RunFinished, StateChanged, Update
from tui.widgets.repl.log_place import Place, Written, row_in_redrawn, top_place
from tui.widgets.repl.render import (
    render_failure,
    render_input,
    render_notice,
    render_page,
    render_result,
    render_stream,
)
from tui.widgets.repl.scrollbar import RowKeptScrollBar

KEPT_LINES = 3000
LINES_PER_TURN = 100
REFLOW_AFTER = 0.15
"""Seconds after the last resize before the log is drawn again at its new width."""
"""Lines written at a time; the rest wait for the next frame. Writing a flood's first 2,000
lines at once held the UI for 70 ms; 100 lines take 3 to 5 ms."""
_DRAWN = object()
"""A place in the queue of writes: note the time once everything before it is on screen."""


def _could_not_draw(error: Exception, update: Update | None = None) -> str:
    """What the log says instead of output it could not turn into text (``update``) or draw."""
    said = f"[tensordojo could not draw this output: {type(error).__name__}: {error}]"
    return f"{said} {update!r:.500}" if update is not None else said


class ReplLog(RichLog):
    """Everything the REPL printed, newest at the bottom; keeps the last :data:`KEPT_LINES` lines."""

    DEFAULT_CSS = """
    ReplLog { height: 1fr; background: $surface; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        # min_width: RichLog renders at least 78 columns wide by default, which cut long lines
        # off (behind a sideways scrollbar) in the REPL docked beside a lesson at 80 columns.
        super().__init__(wrap=True, markup=False, highlight=False, max_lines=KEPT_LINES, min_width=20, **kwargs)  # type: ignore[arg-type]
        self._limiter = OutputLimiter()
        self._pending: Failure | None = None
        self._writes: deque[tuple[RenderableType, int] | object] = deque()
        """Renderables (with their line counts) waiting to be written, in order."""
        self._drain_scheduled = False
        self.drawn_at = 0.0
        """perf_counter() when the latest result or error was on screen (the benchmark reads it)."""
        self._rows: dict[int, Strip] = {}
        """The visible rows as last drawn, by the log line each shows."""
        self._rows_key: tuple = ()
        self._late_from: object = None
        """The run whose late output was written last (its header is not repeated)."""
        self._written: deque[Written] = deque()
        """What the log holds (about :data:`KEPT_LINES` lines), as written: drawn again at a new
        width (see :meth:`_reflow`)."""
        self._written_lines = 0
        self._reflow_timer: Timer | None = None
        self._place: Place | None = None
        """Where the learner had scrolled to when the width began to change (None: the end)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's vertical scrollbar, made as Textual makes it but of the row-keeping kind."""
        if self._vertical_scrollbar is None and hasattr(self.app, "_start_widget"):
            bar = RowKeptScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return super().vertical_scrollbar

    def render_lines(self, crop: Region) -> list[Strip]:
        """The visible rows, reusing those that a scroll only moved.

        Textual keeps a widget's drawn rows by their place on the screen, so every scroll (each
        new line at the end of the log) restyled every visible row again: 1.5 ms of the frame
        that shows a result. Here a row is kept by the log line it shows while it stays visible,
        and only rows that come into view are drawn.
        """
        gutter = self.styles.gutter
        if gutter.top or gutter.bottom:
            return super().render_lines(crop)
        width = self.region.width
        scroll_x, scroll_y = self.scroll_offset
        key = (self.region.size, scroll_x, self.rich_style,
               self.background_colors, self.hover_style, tuple(self.get_line_filters()))
        kept = self._rows if key == self._rows_key else {}
        first = self._start_line + scroll_y  # lines trimmed from the top keep their numbers
        strips = [kept.get(first + y) for y in crop.line_range]
        missing = [index for index, strip in enumerate(strips) if strip is None]
        if missing:  # usually the few rows at the bottom: draw them in one go
            top, bottom = crop.y + missing[0], crop.y + missing[-1]
            drawn = super().render_lines(Region(0, top, width, bottom - top + 1))
            strips[missing[0]:missing[-1] + 1] = drawn
        # A row past the end is blank until a line is written there: it is not kept.
        rows = {first + y: strip for y, strip in zip(crop.line_range, strips) if scroll_y + y < len(self.lines)}
        self._rows, self._rows_key = rows, key
        if crop.column_span != (0, width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips

    @property
    def print_columns(self) -> int:
        """The columns a line of output can take without wrapping: the width less the padding and
        a scrollbar's room (kept even before the log is long enough to show one); 0 before layout."""
        return max(0, self.size.width - self.styles.gutter.width - self.styles.scrollbar_size_vertical)

    _height_seen = 0
    """The log's visible height at the last resize: the scroll position was set for it."""

    def on_resize(self) -> None:
        """A shorter log (the input grew with a recalled cell) still shows the latest output if it
        showed it before, rather than keeping its top row and hiding the end."""
        # At its end for the height it was seen at, or (taller now, the scroll cut back) for this one.
        was_at_end = (self.scroll_y + self._height_seen >= self.virtual_size.height - 1
                      or self.scroll_y >= self.max_scroll_y)
        if self.scrollable_content_region.height:  # hidden, it keeps the height it was seen at
            self._height_seen = self.scrollable_content_region.height
        if was_at_end:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        if self._written and self.size.width and self._drawn_at_another_width():
            # Once the resizing stops: a terminal dragged wider and narrower sends a burst of sizes.
            if self._reflow_timer is not None:
                self._reflow_timer.stop()
            else:  # the burst's first size: the learner's place is the one they chose
                self._place = None if was_at_end else top_place(self._written, len(self.lines), int(self.scroll_y))
            self._reflow_timer = self.set_timer(REFLOW_AFTER, self._reflow)
        if self._writes and not self._drain_scheduled and self._laid_out():
            # What came while the log was hidden, written after the width was compared: written
            # first, at the new width, it hid the older lines' old width and they stayed cut.
            self._drain()

    def _drawn_at_another_width(self) -> bool:
        """Whether anything kept was drawn at a width other than the log's (or before it had one)."""
        columns = self.print_columns
        return any(entry.width != columns for entry in self._written)

    def _reflow(self) -> None:
        """Draw everything again at the log's new width.

        RichLog keeps lines as drawn: after the terminal narrowed, lines drawn wide ran past the
        edge (a word cut, behind a sideways scrollbar), and after it widened they kept the old
        narrow wrap."""
        self._reflow_timer = None
        place, self._place = self._place, None
        if not self._laid_out() or not self._drawn_at_another_width():
            return
        kept = list(self._written)
        self.clear()
        if place is None:  # at the end: drawn a slice a frame, following the end
            self._writes.extendleft((entry.content, entry.lines) for entry in reversed(kept))  # before what waits
            if not self._drain_scheduled:
                self._drain()
            return
        # Scrolled up: now, everything down to a screen below the learner's place (so the place
        # exists to scroll to); the rest a slice a frame, as any output, which does not move the view.
        anchor = next((index for index, entry in enumerate(kept) if entry is place.entry), len(kept) - 1)
        height = self.scrollable_content_region.height
        shown_from = needed = 0
        self._growing = True
        try:
            for index, entry in enumerate(kept):
                self._write_one(entry.content, entry.lines, laid_out=True)
                if index == anchor:  # the new top row is in this entry: two screens below its end will do
                    shown_from, needed = len(self.lines) - self._written[-1].rows, self._written[-1].rows + 2 * height
                elif index > anchor and len(self.lines) - shown_from > needed:
                    self._writes.extendleft((later.content, later.lines) for later in reversed(kept[index + 1:]))
                    break
        finally:
            self._growing = False
        if self._grown:
            self._grown = False
            self._fit_scrollbars()
        row = row_in_redrawn(place, kept, list(self._written), len(self.lines), self.app.console)
        self.scroll_to(y=row or 0, animate=False, immediate=True)
        if self._writes and not self._drain_scheduled:
            self._drain_scheduled = True
            self.call_after_refresh(self._drain)

    def clear(self) -> ReplLog:
        """Empty the log (its line numbers start again, so the kept rows go too)."""
        self._rows = {}
        self._written.clear()
        self._written_lines = 0
        return super().clear()

    def show(self, updates: list[Update]) -> None:
        """Draw a batch of updates: up to :data:`LINES_PER_TURN` lines now, the rest a slice
        per frame after it (in order, behind anything still waiting)."""
        for update in updates:
            try:
                self._show_one(update)
            except Exception as error:  # odd kernel output must never take the app down
                self._add(_could_not_draw(error, update))
        if not self._drain_scheduled:
            self._drain()

    def _add(self, content: RenderableType, lines: int = 1) -> None:
        self._writes.append((content, lines))

    def _add_stream(self, stream: StreamText) -> None:
        lines = stream.text.splitlines(keepends=True)
        for start in range(0, len(lines), LINES_PER_TURN):
            piece = lines[start:start + LINES_PER_TURN]
            self._add(render_stream(StreamText(stream.name, "".join(piece))), len(piece))

    _run_started = False
    """A run's echo waits to be written: the log goes to its end for it, wherever it was."""

    def _drain(self) -> None:
        """Write what waits, up to :data:`LINES_PER_TURN` lines, then scroll to the end if the log
        was at its end (or a run the learner started is written): a learner scrolled up to read
        is not pulled down by a thread's output.

        ``RichLog.write`` would scroll only after the next frame, showing a new line one frame
        (about 17 ms) late; the virtual size is already known here, so this scrolls now.
        """
        self._drain_scheduled = False
        laid_out = self._laid_out()
        if not laid_out and self._size_known:
            return  # hidden (F2 shows the inspector instead): written at the real width when shown
        self._growing = laid_out
        follow = self._run_started or self.scroll_y >= self.max_scroll_y
        try:
            written = self._write_waiting(laid_out)
        finally:
            self._growing = False
        if self._grown:
            self._grown = False
            self._fit_scrollbars()
        if laid_out and written and follow:
            self._place, self._run_started = None, False  # followed: a redraw to come keeps the end in view
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        if self._writes and not self._drain_scheduled:
            # After the next frame, not after this widget's next message: Textual handles a
            # widget's queued messages back to back, which would write everything in one go.
            self._drain_scheduled = True
            self.call_after_refresh(self._drain)

    def _write_waiting(self, laid_out: bool) -> int:
        """Write what waits, up to :data:`LINES_PER_TURN` lines; return the lines written."""
        written = 0
        while self._writes and written < LINES_PER_TURN:
            item = self._writes.popleft()
            if item is _DRAWN:
                self.call_after_refresh(self._mark_drawn)
                continue
            content, lines = item  # type: ignore[misc]
            self._write_one(content, lines, laid_out)
            written += lines
        return written

    def _write_one(self, content: RenderableType, lines: int, laid_out: bool) -> None:
        before = self._start_line + len(self.lines)
        # Before the first layout RichLog keeps writes for later and scrolls after them itself.
        # At the log's own width, not one measured against the app's console (which need
        # not follow the terminal): what was written at a width is drawn again at a new one.
        width = self.print_columns if laid_out and self.print_columns >= self.min_width else None
        try:
            self.write(content, width=width, scroll_end=False if laid_out else None)
        except Exception as error:  # a renderable that cannot be drawn is named, not raised
            content, width = _could_not_draw(error), None
            self.write(content)
        # Kept by the rows it took (a long value wraps to many), so a redraw at a new width
        # costs at most the rows the log holds.
        self._keep_written(Written(content, lines, max(1, self._start_line + len(self.lines) - before), width))

    def _keep_written(self, entry: Written) -> None:
        self._written.append(entry)
        self._written_lines += entry.rows
        while self._written_lines > KEPT_LINES and len(self._written) > 1:
            self._written_lines -= self._written.popleft().rows

    _growing = False
    """Lines are being written: a longer log asks for a layout pass, which waits for the end."""
    _grown = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> ReplLog:
        # RichLog.write sets the virtual size, which asks for a layout pass: while writing,
        # note it and let _fit_scrollbars decide once the writes are done.
        if layout and self._growing:
            self._grown, layout = True, False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _fit_scrollbars(self) -> None:
        """After lines were written: a layout pass of the screen when the log now needs a
        scrollbar it did not show (or no longer needs one); otherwise only the scrollbars
        follow the new length, which spares the frame that shows a result a layout (0.6 ms)."""
        width, height = self.container_size
        virtual = self.virtual_size
        vertical = self.styles.overflow_y == "scroll" or (self.styles.overflow_y == "auto" and virtual.height > height)
        room = width - (self.styles.scrollbar_size_vertical if vertical else 0)
        horizontal = self.styles.overflow_x == "scroll" or (self.styles.overflow_x == "auto" and virtual.width > room)
        if (horizontal, vertical) == (self.show_horizontal_scrollbar, self.show_vertical_scrollbar):
            self._scroll_update(virtual)
        else:
            super().refresh(layout=True)

    def _laid_out(self) -> bool:
        return self.scrollable_content_region.width > 0

    def _show_one(self, update: Update) -> None:
        if isinstance(update, StateChanged):
            return
        if isinstance(update, LateOutput):
            self._show_late(update)
            return
        if isinstance(update, LogCleared):  # what waits to be written goes too (a run's pending error stays)
            self._writes.clear()
            self._place = None
            self.clear()
            return
        self._late_from = None
        if isinstance(update, InputEcho):
            self._limiter = OutputLimiter()
            self._run_started = True
            self._add(render_input(update))
        elif isinstance(update, StreamText):
            visible = self._limiter.feed(update.text)
            if visible:
                self._add_stream(StreamText(update.name, visible))
        elif isinstance(update, Result):
            self._add(render_result(update))
            self._writes.append(_DRAWN)
        elif isinstance(update, Failure):
            self._pending = update
        elif isinstance(update, ShortTraceback):
            if self._pending is not None:
                self._pending = replace(self._pending, short=update.record)
                if not self._limiter.hidden:  # else after the flood's kept tail, at the run's end
                    self._write_failure(self._pending)
        elif isinstance(update, Page):
            self._add(render_page(update))
        elif isinstance(update, Notice):
            self._add(render_notice(update))
        elif isinstance(update, RunFinished):
            self._finish_run()

    def _show_late(self, late: LateOutput) -> None:
        """Output a run sent after it ended, under a line saying whose it is (once per stretch)."""
        if self._late_from != late.number:
            self._late_from = late.number
            self._add(render_notice(Notice(f"… printed by In [{late.number}] after it ended:" if late.number
                                           else "… printed by code that had already ended:")))
        for event in late.events:
            if isinstance(event, StreamText):
                self._add_stream(event)
            elif isinstance(event, Result):
                self._add(render_result(event))
            elif isinstance(event, Failure):
                self._add(render_failure(event))

    def _write_failure(self, failure: Failure) -> None:
        self._pending = None
        self._add(render_failure(failure))
        self._writes.append(_DRAWN)

    def _mark_drawn(self) -> None:
        self.drawn_at = time.perf_counter()

    def _finish_run(self) -> None:
        note, tail = self._limiter.finish()
        if note:
            self._add(render_notice(Notice(note)))
        if tail:
            self._add_stream(StreamText("stdout", tail))
        if self._pending is not None:
            self._write_failure(self._pending)
