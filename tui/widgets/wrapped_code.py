"""Code that always fits: a line longer than the room goes on, after a ``↪`` marker, on the next line.

A line breaks after a space or at the edge of a word, never inside a name or a number (unless one
name is wider than the room), and its continuation keeps the line's indent.

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


def _is_word(char: str) -> bool:
    """Part of a name or number: ``torch.float32`` split anywhere reads as another name."""
    return char.isalnum() or char in "_."


def break_at(line: str, room: int, start: int = 0) -> int:
    """Where to end a piece of ``line`` that may hold ``room`` columns: after the last space that
    fits when it leaves the piece at least half full, else at the last edge of a word (``(``,
    ``,``, an operator), else at ``room`` (one word wider than the room is cut, as nothing else
    fits). Never at or before ``start``."""
    if len(line) <= room:
        return len(line)
    # A continuation never starts with what closes or follows the text before it (", labels").
    edges = [p for p in range(start + 1, room + 1)
             if not (_is_word(line[p - 1]) and _is_word(line[p])) and line[p] not in ",;:)]}"]
    if not edges:
        return room
    after_space = [p for p in edges if line[p - 1] == " " and p - start >= (room - start) // 2]
    return (after_space or edges)[-1]


class _WrappedLines:
    """A Rich renderable drawn as the lines its subclass's ``lines(width)`` gives for the width it gets."""

    def lines(self, width: int) -> list[Text]:
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()


class WrappedCode(_WrappedLines):
    """A Rich renderable: code lines wrapped at word edges to the width, each continuation marked
    with ``↪`` under the line's own indent."""

    def __init__(self, text: Text | str) -> None:
        self.text = Text(text) if isinstance(text, str) else text

    def lines(self, width: int) -> list[Text]:
        """The lines as drawn at ``width`` columns."""
        out: list[Text] = []
        for line in self.text.split("\n", allow_blank=True):
            if width < len(MARKER) + 2 or line.cell_len <= width:
                out.append(line)
                continue
            plain = line.plain
            indent = len(plain) - len(plain.lstrip(" "))
            if indent + len(MARKER) > width // 2:
                indent = 0  # a deep indent would leave the continuation too little room
            lead = Text(" " * indent) + Text(MARKER, style="dim")
            cut = break_at(plain, width, start=indent)
            out.append(line[:cut])
            rest, offset = line[cut:], cut
            room = width - lead.cell_len
            while rest.cell_len:
                cut = break_at(plain[offset:], room)
                out.append(lead + rest[:cut])
                rest, offset = rest[cut:], offset + cut
        return out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((line.cell_len for line in self.text.split("\n", allow_blank=True)), default=0)
        return Measurement(min(longest, len(MARKER) + 2), longest)


def entry_break(line: str, room: int) -> int:
    """As :func:`break_at`, but a name stays with the bracket that follows it where another edge fits:
    ``model(`` / ``x[0:2])``, not ``model(x`` / ``[0:2])``."""
    if len(line) <= room:
        return len(line)
    edges = [p for p in range(1, room + 1)
             if not (_is_word(line[p - 1]) and _is_word(line[p])) and line[p] not in ",;:)]}"
             and not (line[p] in "([" and _is_word(line[p - 1]))]
    if not edges:
        return break_at(line, room)
    after_space = [p for p in edges if line[p - 1] == " " and p >= room // 2]
    return (after_space or edges)[-1]


class WrappedLine(_WrappedLines):
    """A Rich renderable: one line of words and code (a stepper timeline entry) wrapped at word and
    punctuation edges, so no name or number is split; continuations start at the left edge. Only a
    word wider than the room is split (after a dot of a dotted name if it has one, as in
    ``optimizer.`` ``zero_grad()``), and its continuation then starts with ``↪``."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def lines(self, width: int) -> list[Text]:
        """The lines as drawn at ``width`` columns."""
        width = max(width, len(MARKER) + 1)
        out: list[Text] = []
        rest, lead = self.text.copy(), Text()
        while True:
            room = width - lead.cell_len
            plain = rest.plain
            cut = entry_break(plain, room)
            forced = cut < len(plain) and _is_word(plain[cut - 1]) and _is_word(plain[cut])
            if forced:  # a dotted name wider than the room: split after a dot, not inside a name
                dots = [p for p in range(2, cut) if plain[p - 1] == "." and plain[p - 2] != "."
                        and (plain[p].isalpha() or plain[p] == "_") and (plain[p - 2].isalnum() or plain[p - 2] == "_")]
                cut = dots[-1] if dots else cut
            out.append(lead + rest[:cut])
            if cut >= len(plain):
                return out
            lead = Text(MARKER, style="dim") if forced else Text()
            rest = rest[cut:]
            stripped = len(rest.plain) - len(rest.plain.lstrip(" "))
            rest = rest[stripped:]
            if not rest.plain:
                return out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.text.cell_len, len(MARKER) + 8), self.text.cell_len)


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
