"""The REPL's input: Python highlighting, IPython's Enter, history at the edges, Tab completion.

Enter runs the input when it is a complete statement and inserts a newline (indented) when it
is not, as IPython decides; ctrl+j (or ctrl+enter where the terminal reports it) always runs.
Up on the first line and down on the last walk the history. The input grows with its text up to
40% of the panel, then scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


@lru_cache(maxsize=1)
def _transformer():
    from IPython.core.inputtransformer2 import TransformerManager  # 60 ms: on first use only

    return TransformerManager()


def completeness(source: str) -> tuple[bool, int]:
    """Whether ``source`` is ready to run, and the indent for the next line when it is not."""
    lines = source.split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        source = source.rstrip() + "\n"  # a blank last line ends a block, as in IPython
    status, indent = _transformer().check_complete(source)
    if status == "incomplete":
        return False, indent or 0
    return True, 0


PLACEHOLDERS = (
    "Python here · Enter runs a complete statement",
    "Python · Enter runs a complete statement",
    "Enter runs a complete statement",
    "Python · Enter runs",
    "Python",
)
"""The input's placeholder, longest first: the longest that fits is shown (TextArea wraps it, and
the one-row input showed a docked REPL's "Python here · Enter runs a", cut)."""


def placeholder_for(width: int) -> str:
    """The longest placeholder that fits ``width`` columns (the shortest when none does)."""
    return next((text for text in PLACEHOLDERS if len(text) <= width), PLACEHOLDERS[-1])


class ReplInput(TextArea):
    """Multi-line Python input for the REPL."""

    DEFAULT_CSS = """
    ReplInput { height: auto; min-height: 3; max-height: 40%; border: tall $accent; }
    ReplInput:focus { border: tall $accent-lighten-2; }
    """
    BINDINGS = [Binding("ctrl+j,ctrl+enter", "run", "Run", show=True)]

    @dataclass
    class Submitted(Message):
        """The learner asked to run the input."""

        source: str

    @dataclass
    class CompletionRequested(Message):
        """Tab was pressed after some code: complete at ``cursor`` (an index into ``code``)."""

        code: str
        cursor: int

    @dataclass
    class HistoryRequested(Message):
        """Up on the first line (``older``) or down on the last line."""

        older: bool

    def __init__(self, **kwargs: object) -> None:
        super().__init__(language="python", soft_wrap=True, tab_behavior="indent", show_line_numbers=False,
                         placeholder=PLACEHOLDERS[0], **kwargs)  # type: ignore[arg-type]
        # A steady cursor: a blinking one redraws the input twice a second (traffic on a slow SSH
        # link), and a blink frame just before a result delays drawing it by up to a frame.
        self.cursor_blink = False

    def on_resize(self) -> None:
        self.placeholder = placeholder_for(self.content_size.width)

    @property
    def cursor_index(self) -> int:
        """The cursor's position as an index into the text."""
        return self.document.get_index_from_location(self.cursor_location)

    def replace_all(self, text: str) -> None:
        """Show ``text`` with the cursor at its end.

        An edit, not ``self.text = ...``: assigning the text rebuilds the highlighted document
        (about 19 ms here), which was most of the REPL's round trip.
        """
        self.clear_pending = False  # new text (history, a lesson's code) replaces the run's
        self.replace(text, self.document.start, self.document.end)
        self.move_cursor(self.document.end)

    clear_pending = False
    """The input was run and is cleared with its echo or at the next key, whichever is first."""

    def _submit(self, source: str) -> None:
        """Ask for a run, and clear the input when the run's echo is drawn, not now.

        Clearing at once would draw a frame between Enter and a quick result (most take a few
        ms), and that frame's work on the app's event loop delays reading the result. Keys
        pressed before the echo arrives (even in the same burst as Enter) clear the input
        first, so nothing typed is lost.
        """
        self.clear_pending = True
        self.post_message(self.Submitted(source))

    def take_pending_clear(self) -> None:
        """Clear the input now if a run left it to clear."""
        if self.clear_pending:
            self.clear_pending = False
            self.replace_all("")

    def action_run(self) -> None:
        """Run the input whatever its state."""
        if self.text.strip():
            # Without the blank lines a paste ends with: recalled from history, they hid the code.
            self._submit(self.text.rstrip())

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            # Not TextArea's focus_next: escape goes on to the panel (closing a search) and then the
            # screen (back where the learner came from), so one escape always leaves the REPL.
            event.prevent_default()
            return
        self.take_pending_clear()
        handled = {"enter": self._enter, "up": self._up, "down": self._down, "tab": self._tab,
                   "backspace": self._backspace}.get(event.key)
        if handled is not None and handled():
            event.prevent_default()
            event.stop()

    def _enter(self) -> bool:
        source = self.text
        if not source.strip():
            return True
        ready, indent = completeness(source)
        at_end = self.cursor_location == self.document.end
        if ready and (at_end or "\n" not in source):
            self._submit(source.rstrip())
        else:
            self.insert("\n" + " " * indent)
        return True

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def _kept_here(self, event: TextArea.Changed | TextArea.SelectionChanged) -> None:
        # Nothing above listens to the input's edits, and each would otherwise travel up
        # through the panel, its container, the screen and the app: eight message dispatches
        # for every key typed and for the clearing that comes with a run's echo.
        event.stop()

    def _on_paste(self, event: events.Paste) -> None:
        self.take_pending_clear()  # then TextArea's own handler pastes (Textual calls both)

    def _backspace(self) -> bool:
        """In leading spaces, go back one indentation level (as the lesson's code editors do)."""
        from tui.core.repl.indent import dedent_target

        if self.selection.start != self.selection.end:
            return False
        row, column = self.cursor_location
        target = dedent_target(self.document.get_line(row)[:column])
        if target is None:
            return False
        self.delete((row, target), (row, column))
        return True

    def _up(self) -> bool:
        if self.cursor_location[0] != 0:
            return False
        self.post_message(self.HistoryRequested(older=True))
        return True

    def _down(self) -> bool:
        if self.cursor_location[0] != self.document.line_count - 1:
            return False
        self.post_message(self.HistoryRequested(older=False))
        return True

    def _tab(self) -> bool:
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        if not before.strip():
            return False  # at the start of a line Tab indents
        self.post_message(self.CompletionRequested(self.text, self.cursor_index))
        return True
