"""Rendering a stepper snapshot: the code, what happened, the values table, the graph.

The values table is drawn as a table when every cell fits on one line; when the room is narrower
(80 columns), each tensor is drawn as a block of labelled lines instead, wrapped at word
boundaries, so no value or gradient is ever cut with an ellipsis.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tui.core.stepper import Snapshot
from tui.widgets.wrapped_code import WrappedCode, highlighted

TREE = " │├└"
"""The characters that draw the autograd tree's branches, before each node's text."""

SEPARATOR = "  ·  "
"""How a scenario joins two values in one cell (the two copies of micro-batches, the two ranks)."""


def split_title(title: str) -> tuple[str, list[str]]:
    """A column title's heading and the labels of the values it joins.

    ``"accumulated .grad: loss / 4  ·  no / 4"`` gives ``("accumulated .grad", ["loss / 4", "no / 4"])``;
    a title of one value gives itself and one empty label.
    """
    pieces = title.split(SEPARATOR)
    if len(pieces) == 1 or ": " not in pieces[0]:
        return title, [""] * len(pieces)
    heading, first = pieces[0].split(": ", 1)
    return heading, [first, *pieces[1:]]


class ValuesTable:
    """The values table of a snapshot: a table where it fits whole, labelled blocks where it does not."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def _mark(self, name: str) -> Text:
        return Text("●", style="bold green") if name in self.snapshot.changed else Text(" ")

    def table(self) -> Table:
        """One row per tensor, one line per row."""
        table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
        table.add_column("")
        for column in self.snapshot.view.columns:
            table.add_column(column, no_wrap=True)
        for row in self.snapshot.view.rows:
            table.add_row(self._mark(row.name), Text(row.name), Text(row.value), Text(row.grad))
        return table

    def blocks(self) -> Group:
        """One block per tensor: its name, then a line per column, its title beside its value.

        A column that joins two values (``accumulated .grad: loss / 4  ·  no / 4``) is drawn as its
        heading, then one labelled line per value (``loss / 4``, ``no / 4``).
        """
        columns = self.snapshot.view.columns
        parts: list[RenderableType] = []
        for row in self.snapshot.view.rows:
            head = Text.assemble(self._mark(row.name), " ", (row.name, "bold"))
            if row.shape:
                head.append(f" {row.shape}", style="dim")
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            for title, value in zip(columns[1:], (row.value, row.grad)):
                heading, labels = split_title(title)
                values = value.split(SEPARATOR)
                if len(values) == 1 or len(labels) != len(values):
                    grid.add_row(title if len(values) == 1 else heading, value)
                    continue
                grid.add_row(heading, "")
                for label, piece in zip(labels, values):
                    grid.add_row(Text(f"  {label}", style="not bold"), piece)
            parts += [head, Padding(grid, (0, 0, 0, 2))]
        return Group(*parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table()
        # Measured with room to spare: a measurement within options is clamped to its width.
        fits = Measurement.get(console, options.update(max_width=10_000), table).maximum <= options.max_width
        yield table if fits else self.blocks()


def render_snapshot(snapshot: Snapshot, position: str) -> RenderableType:
    """Everything about one moment of the timeline; changed rows are marked with ●."""
    parts: list[RenderableType] = [Text(f"{position} · {snapshot.label}", style="bold")]
    if snapshot.code:
        # As a lesson's code: a long line goes on after ↪ under its own indent, never at column 0.
        parts.append(WrappedCode(highlighted(snapshot.code)))
    if snapshot.error:
        # PyTorch's own errors and the stepper's rules ("run forward first") are told apart.
        head = "✗ PyTorch refused: " if snapshot.by_torch else "✗ Not possible here: "
        parts.append(Text.assemble((head, "bold red"), (snapshot.error, "red")))
    if snapshot.message:
        parts.append(Text(snapshot.message, style="yellow" if snapshot.error else ""))
    parts += [Text(""), ValuesTable(snapshot)]
    if snapshot.changed:
        parts.append(Text(f"● changed by this action: {', '.join(sorted(snapshot.changed))}", style="green"))
    parts += [Text(line, style="cyan") for line in snapshot.view.extra]
    if snapshot.view.graph:
        parts += [Text(""), Text("autograd graph of the output", style="bold")]
        parts += [graph_line(line) for line in snapshot.view.graph]
    return Group(*parts)


def graph_line(line: str) -> RenderableType:
    """A line of the autograd tree; when it wraps, it wraps under its text, not under the tree's lines."""
    text = line.lstrip(TREE)
    prefix = line[:len(line) - len(text)]
    if not prefix:
        return Text(line, overflow="fold")
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(prefix, text)
    return grid
