"""Rendering a stepper snapshot: the code, what happened, the values table, the graph."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tui.core.stepper import Snapshot


def render_snapshot(snapshot: Snapshot, position: str) -> RenderableType:
    """Everything about one moment of the timeline; changed rows are marked with ●."""
    parts: list[RenderableType] = [Text(f"{position} · {snapshot.label}", style="bold")]
    if snapshot.code:
        parts.append(Syntax(snapshot.code, "python", theme="ansi_dark", background_color="default", word_wrap=True))
    if snapshot.error:
        # PyTorch's own errors and the stepper's rules ("run forward first") are told apart.
        head = "✗ PyTorch refused: " if snapshot.by_torch else "✗ Not possible here: "
        parts.append(Text.assemble((head, "bold red"), (snapshot.error, "red")))
    if snapshot.message:
        parts.append(Text(snapshot.message, style="yellow" if snapshot.error else ""))
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
    table.add_column("")
    for column in snapshot.view.columns:
        table.add_column(column)
    for row in snapshot.view.rows:
        mark = Text("●", style="bold green") if row.name in snapshot.changed else Text(" ")
        table.add_row(mark, Text(row.name), Text(row.value), Text(row.grad))
    parts += [Text(""), table]
    if snapshot.changed:
        parts.append(Text(f"● changed by this action: {', '.join(sorted(snapshot.changed))}", style="green"))
    parts += [Text(line, style="cyan") for line in snapshot.view.extra]
    if snapshot.view.graph:
        parts += [Text(""), Text("autograd graph of the output", style="bold")]
        parts += [Text(line) for line in snapshot.view.graph]
    return Group(*parts)
