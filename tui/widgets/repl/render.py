"""Turning REPL updates into Rich renderables for the log."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tui.core.repl.notes import note_for
from tui.core.tracing.shapes import tensor_header
from tui.kernel.events import Failure, Notice, Page, Result, StreamText
from tui.kernel.repl import InputEcho

SHORT_ECHO = 20
"""A one-line source up to this long is echoed as plain text: it fits even the narrowest log."""
_NOTICE_STYLES = {"info": "cyan", "warning": "yellow", "error": "bold red"}


@lru_cache(maxsize=1)
def _python_lexer() -> Any:
    """One Pygments lexer for every echo: looking it up by name costs ~0.1 ms each time."""
    from pygments.lexers.python import PythonLexer

    return PythonLexer()


def warm_up() -> None:
    """Highlight a line now: Pygments compiles the Python lexer's patterns on first use (30 ms),
    which would otherwise delay the echo of the learner's first run."""
    render_input(InputEcho(0, "x = [1]"))


def render_input(echo: InputEcho) -> RenderableType:
    """``In [n]:`` and the source, highlighted; continuation lines start with ``...:``."""
    code = Syntax(echo.source, _python_lexer(), theme="ansi_dark").highlight(echo.source)
    code.rstrip()
    prompt = f"In [{echo.number}]: "
    lines = code.split("\n")
    if len(lines) == 1 and len(echo.source) <= SHORT_ECHO:  # the usual one-liner: no table to lay out
        return Text.assemble((prompt, "bold green"), lines[0])
    # A grid, so a line too long for the log wraps under its code, not back at column 0 under the prompts.
    grid = Table.grid()
    grid.add_column(no_wrap=True, style="bold green")
    grid.add_column(overflow="fold")
    for index, line in enumerate(lines):
        line.no_wrap = False  # Syntax.highlight marks its text no_wrap, which would cut the line instead
        grid.add_row(prompt if index == 0 else "...: ".rjust(len(prompt)), line)
    return grid


def render_result(result: Result) -> RenderableType:
    """A value; a tensor gets its shape, dtype and device on a line of their own first."""
    value = Text.from_ansi(result.text)
    if result.tensor is None:
        return value
    return Group(Text(tensor_header(result.tensor), style="bold cyan"), value)


def render_stream(stream: StreamText) -> RenderableType:
    """Printed text; stderr in red."""
    text = Text.from_ansi(stream.text.rstrip("\n"))
    if stream.name == "stderr":
        text.stylize("red")
    return text


def _render_frame(frame: dict[str, Any]) -> RenderableType:
    where = f"In [{frame['cell']}]" if frame.get("cell") else "your code"
    name = "" if frame["name"] == "<module>" else f", in {frame['name']}"
    head = Text(f"{where}, line {frame['line']}{name}", style="cyan")
    source = "\n".join(frame["source"])
    code = Syntax(source, "python", theme="ansi_dark", line_numbers=True, start_line=frame["first_line"],
                  highlight_lines={frame["line"]}, background_color="default", word_wrap=True)
    parts: list[RenderableType] = [head, code]
    if frame.get("repeats"):
        parts.append(Text(f"  [the line above repeated {frame['repeats']:,} more times]", style="dim"))
    return Group(*parts)


def render_failure(failure: Failure) -> RenderableType:
    """An error: the learner's frames with the failing line marked, the error, and a note."""
    parts: list[RenderableType] = []
    short = failure.short
    if short:
        if short.get("hidden_frames"):
            parts.append(Text(f"… {short['hidden_frames']} earlier frames not shown", style="dim"))
        parts += [_render_frame(frame) for frame in short["frames"]]
        syntax = short.get("syntax")
        if syntax and syntax.get("text"):
            caret = " " * max(0, (syntax.get("offset") or 1) - 1) + "^"
            parts.append(Text(f"line {syntax['line']}: {syntax['text']}\n{' ' * (len(str(syntax['line'])) + 7)}{caret}", style="cyan"))
        raised = short.get("raised_in")
        if raised and short["frames"]:
            parts.append(Text(f"raised inside {raised['name']} ({_short_path(raised['file'])}:{raised['line']})", style="dim"))
    elif failure.traceback and failure.ename not in ("KeyboardInterrupt", "SystemExit"):
        parts.append(Text.from_ansi("\n".join(failure.traceback[-3:-1])))
    evalue = short["evalue"] if short else failure.evalue
    parts.append(Text.assemble((failure.ename, "bold red"), (f": {evalue}" if evalue else "", "red")))
    note = note_for(failure.ename)
    if note:
        parts.append(Text(note, style="yellow"))
    if short and short.get("explanation"):
        parts.append(render_explanation(short["explanation"]))
    return Group(*parts)


def render_explanation(explanation: dict[str, Any]) -> RenderableType:
    """A shape error in plain words: the op, its operands' shapes, what disagrees, a fix, the layers."""
    layer = f" in layer {explanation['layer']}" if explanation.get("layer") else ""
    lines: list[RenderableType] = [Text(f"Shape error: {explanation['op']}{layer}", style="bold yellow")]
    lines += [_indented(Text(operand, style="cyan")) for operand in explanation["operands"]]
    lines += [_indented(Text(line, style="cyan")) for line in explanation.get("diagram", [])]
    lines.append(_indented(Text.assemble(("Problem: ", "bold"), explanation["problem"])))
    lines.append(_indented(Text.assemble(("Fix: ", "bold green"), explanation["fix"])))
    if explanation.get("layers"):
        lines.append(_indented(Text("Layers that ran:", style="bold")))
        lines += [_indented(Text(line, style="red" if line.endswith("FAILED") else ""), 4) for line in explanation["layers"]]
    return Group(*lines)


def _indented(text: Text, indent: int = 2) -> Padding:
    """``text`` with every line it wraps to ``indent`` columns in (a leading "  " indents only the
    first line: in a narrow log the rest of a "Problem:" line went back to column 0)."""
    return Padding(text, (0, 0, 0, indent), expand=False)


def _short_path(path: str) -> str:
    marker = "site-packages/"
    return path.split(marker, 1)[1] if marker in path else path


def render_page(page: Page) -> RenderableType:
    """Help text from ``obj?``."""
    return Text.from_ansi(page.text.rstrip())


def render_notice(notice: Notice) -> RenderableType:
    """Something the app says about the kernel."""
    return Text(notice.text, style=_NOTICE_STYLES.get(notice.level, ""))
