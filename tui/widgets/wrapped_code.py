"""Code that always fits: a line longer than the room goes on, after a ``↪`` marker, on the next line.

Used for every code block a lesson shows (Markdown fences and indented blocks, examples in a
task, the reference solution): Textual's own fence crops a long line at the panel's edge with no
sign of it, and ``# torch.float3`` cut at 80 columns reads as ``# torch.float``, a wrong answer.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownFence

MARKER = "↪ "
"""Starts the continuation of a line that did not fit."""


def highlighted(code: str, lexer: str = "python") -> Text:
    """The code as highlighted Rich text (the theme the app uses for code)."""
    syntax = Syntax(code, lexer or "text", theme="ansi_dark", background_color="default")
    text = syntax.highlight(code.rstrip("\n"))
    text.rstrip()
    return text


class WrappedCode:
    """A Rich renderable: code lines cut to the width, each continuation marked with ``↪``."""

    def __init__(self, text: Text | str) -> None:
        self.text = Text(text) if isinstance(text, str) else text

    def lines(self, width: int) -> list[Text]:
        """The lines as drawn at ``width`` columns."""
        out: list[Text] = []
        room = max(width - len(MARKER), 1)
        for line in self.text.split("\n", allow_blank=True):
            if width < len(MARKER) + 2 or line.cell_len <= width:
                out.append(line)
                continue
            out.append(line[:width])
            rest = line[width:]
            while rest.cell_len:
                out.append(Text(MARKER, style="dim") + rest[:room])
                rest = rest[room:]
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((line.cell_len for line in self.text.split("\n", allow_blank=True)), default=0)
        return Measurement(min(longest, len(MARKER) + 2), longest)


class WrappedFence(MarkdownFence):
    """A Markdown code block drawn with :class:`WrappedCode`: never cropped."""

    DEFAULT_CSS = """
    WrappedFence { overflow: hidden hidden; }
    WrappedFence > Static { width: 1fr; height: auto; padding: 1 2; }
    WrappedFence:ansi > Static { padding: 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static(WrappedCode(highlighted(self.code, self.lexer)), id="code-content")

    def set_content(self, content: object) -> None:
        for static in self.query("#code-content").results(Static):
            static.update(WrappedCode(highlighted(self.code, self.lexer)))


class StepMarkdown(Markdown):
    """Markdown whose code blocks wrap with a marker instead of being cropped."""

    BLOCKS = {**Markdown.BLOCKS, "fence": WrappedFence, "code_block": WrappedFence}
