"""The code editor of exercise and try steps: Python highlighting, auto-indent, dedent on backspace.

Long lines wrap; the line numbers show where a wrapped line goes on (its next row has none), so
no code is ever hidden past the panel's edge.

Enter keeps the line's indentation (one level more after a colon, one less after ``return``);
backspace in leading spaces goes back one level, as the REPL's input does. Escape is left to
the step, which takes focus off the editor (Textual's TextArea would move focus to the next
widget instead, so the same key did different things on different steps).
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from tui.core.repl.indent import dedent_target, indent_after


class CodeEditor(TextArea):
    """A Python editor for a step's code."""

    DEFAULT_CSS = """
    CodeEditor { border: tall $surface-lighten-2; }
    CodeEditor:focus { border: tall $accent; }
    """

    def __init__(self, text: str, *, soft_wrap: bool = True, line_numbers: bool = True, **kwargs: object) -> None:
        super().__init__(text, language="python", soft_wrap=soft_wrap, tab_behavior="indent",
                         show_line_numbers=line_numbers, **kwargs)  # type: ignore[arg-type]

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.prevent_default()  # not TextArea's focus_next: the step's binding stops editing
            return
        if self.read_only or self.selection.start != self.selection.end:
            return
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.insert("\n" + " " * indent_after(before))
        elif event.key == "backspace":
            target = dedent_target(before)
            if target is not None:
                event.prevent_default()
                event.stop()
                self.delete((row, target), (row, column))
