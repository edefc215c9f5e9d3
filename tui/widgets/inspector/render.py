"""Turning the kernel's snapshot and detail records into Rich renderables for the inspector."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from tui.core.explainers.broadcast import diagram
from tui.core.tracing.shapes import format_shape
from tui.core.tracing.tracer import broadcast_pair
from tui.core.tracing.expressions import operand_names
from tui.core.tracing.table import shapes_text

_SHADES = " ░▒▓█"
"""Intensity without colour, so the heat map still reads under NO_COLOR."""


TABLE_COLUMNS = ("name", "shape", "grad", "dtype", "device", "kind")
"""The variables table's columns: what a learner checks most comes first, so the grad column is
still on screen when the inspector is 47 columns wide (beside the REPL at 120 columns)."""


def shape_cell(row: dict[str, Any]) -> str:
    """What the table's shape column says: a tensor's shape, a module's or optimizer's class."""
    if row["kind"] in ("module", "optimizer"):
        return row.get("type", row["kind"].title())
    return format_shape(row["shape"]) if "shape" in row else "?"


def kind_cell(row: dict[str, Any]) -> str:
    """The kind, with a module's parameter count and an optimizer's groups."""
    if row["kind"] == "module":
        return f"module · {row.get('parameters', 0):,} params"
    if row["kind"] == "optimizer":
        groups = row.get("groups", 0)
        return f"optimizer · {groups} group{'s' if groups != 1 else ''}"
    return row["kind"]


def grad_cell(row: dict[str, Any]) -> str:
    """requires_grad, the .grad shape and grad_fn, compactly (for a module: whether any .grad is set)."""
    parts = []
    if row.get("requires_grad") and not row.get("grad_fn"):  # a grad_fn already says it requires grad
        parts.append("✓")
    if row["kind"] == "module" and row.get("grads"):
        parts.append(f".grad ×{row['grads']}")
    if row.get("grad") is not None:
        parts.append(f".grad {format_shape(row['grad'])}")
    if row.get("grad_fn"):
        parts.append(row["grad_fn"])
    return " ".join(parts)


def table_row(row: dict[str, Any]) -> tuple[str, ...]:
    """One variable's cells, in :data:`TABLE_COLUMNS` order."""
    return (row["name"], shape_cell(row), grad_cell(row) or row.get("note", ""), row.get("dtype", ""),
            row.get("device", ""), kind_cell(row))


def labelled_dims(shape: list[int]) -> str:
    """``dim 0: 2 · dim 1: 3`` (``scalar`` for no dimensions)."""
    return " · ".join(f"dim {i}: {size}" for i, size in enumerate(shape)) or "scalar (no dimensions)"


def _number(value: Any) -> str:
    return "—" if value is None else f"{value:.4g}"


def heat_map(grid: list[list[float]]) -> Text:
    """A 2-D sample drawn with shaded blocks, blue for low and red for high."""
    flat = [x for row in grid for x in row if x == x and abs(x) != float("inf")]
    low, high = (min(flat), max(flat)) if flat else (0.0, 1.0)
    span = (high - low) or 1.0
    text = Text()
    for row in grid:
        for x in row:
            if x != x or abs(x) == float("inf"):
                text.append("!!", style="bold magenta")
                continue
            level = (x - low) / span
            shade = _SHADES[min(len(_SHADES) - 1, int(level * (len(_SHADES) - 1) + 0.5))]
            red, blue = int(255 * level), int(255 * (1 - level))
            text.append(shade * 2, style=f"rgb({red},80,{blue})")
        text.append("\n")
    text.append(f"low {low:.3g} (blue, light)  high {high:.3g} (red, dense)", style="dim")
    return text


def render_detail(detail: dict[str, Any]) -> RenderableType:
    """The detail pane for a tensor, array or module."""
    if detail.get("kind") == "module":
        return render_module(detail)
    if detail.get("kind") == "optimizer":
        return render_optimizer(detail)
    parts: list[RenderableType] = [Text(detail.get("name", ""), style="bold")]
    if "shape" in detail:
        parts.append(Text(f"shape {format_shape(detail['shape'])}: {labelled_dims(detail['shape'])}", style="cyan"))
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row("dtype · device", f"{detail.get('dtype')} · {detail.get('device', 'cpu')}")
        if detail.get("stride") is not None:
            contiguous = "contiguous" if detail.get("contiguous") else "not contiguous (view with .reshape or .contiguous())"
            facts.add_row("stride", f"{tuple(detail['stride'])} · {contiguous}")
        if "numel" in detail:
            facts.add_row("elements · bytes", f"{detail['numel']:,} · {detail['bytes']:,}")
        if "is_leaf" in detail:
            facts.add_row("is_leaf · grad_fn", f"{detail['is_leaf']} · {detail.get('grad_fn') or 'None'}")
            facts.add_row("requires_grad · .grad", f"{detail.get('requires_grad')} · "
                          f"{format_shape(detail['grad']) if detail.get('grad') is not None else 'None'}")
        stats = detail.get("stats")
        if stats:
            # A big tensor's figures come from a sample: said on their own rows, as the note under
            # them is below the fold of an 80x24 detail pane and a sample's max reads as the max.
            of = " (sample)" if stats.get("sample") else ""
            facts.add_row(f"min · max · mean{of}", f"{_number(stats.get('min'))} · {_number(stats.get('max'))} · {_number(stats.get('mean'))}")
            facts.add_row(f"NaN · inf{of}", Text(f"{stats.get('nan', 0)} · {stats.get('inf', 0)}",
                                            style="bold red" if stats.get("nan") or stats.get("inf") else ""))
            if stats.get("sample"):
                facts.add_row("", Text(f"from an evenly spaced sample of {stats['sample']:,} values", style="dim"))
        parts.append(facts)
    if detail.get("note"):
        parts.append(Text(detail["note"], style="yellow"))
    if detail.get("preview"):
        parts += [Text("values", style="bold"), Text(detail["preview"])]
    if detail.get("heat"):
        parts += [Text("heat map (evenly spaced sample)", style="bold"), heat_map(detail["heat"])]
    return Group(*parts)


def render_module(detail: dict[str, Any]) -> RenderableType:
    """A module's layers: parameter shapes and counts, and each layer's last output shape."""
    table = Table(box=None, padding=(0, 1), header_style="bold")
    for column in ("layer", "type", "parameters", "count", "last output"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for layer in detail.get("layers", []):
        params = ", ".join(f"{name} {format_shape(shape)}" for name, shape, _ in layer["params"]) or "—"
        output = format_shape(layer["output"]) if layer.get("output") is not None else "not run yet"
        table.add_row(Text(layer["name"]), Text(layer["type"]), Text(params), f"{layer['count']:,}", Text(output))
    total = Text(f"total {detail.get('total', 0):,} parameters ({detail.get('trainable', 0):,} trainable)", style="bold")
    return Group(Text(f"{detail.get('name', '')}: {detail.get('type', '')}", style="bold"), table, total)


def render_optimizer(detail: dict[str, Any]) -> RenderableType:
    """An optimizer: what it updates (per parameter group) and with which settings."""
    parts: list[RenderableType] = [Text(f"{detail.get('name', '')}: {detail.get('type', 'Optimizer')} optimizer", style="bold")]
    for number, group in enumerate(detail.get("groups", [])):
        settings = [f"{key} {_setting(value)}" for key, value in group.get("settings", {}).items()]
        parts.append(Text(f"group {number}: {group.get('tensors', 0)} tensors, {group.get('values', 0):,} values"))
        if settings:
            parts.append(SettingsLine(settings))
    said = "it has stepped (it keeps state per parameter)" if detail.get("stepped") else "step() not called yet"
    parts.append(Text(said, style="dim"))
    return Group(*parts)


class SettingsLine:
    """An optimizer group's settings, ``lr 0.1 · momentum 0.9``, wrapped between settings (never
    inside one: ``amsgrad`` / ``False`` on two lines read as two things) under a two-column indent."""

    INDENT = "  "

    def __init__(self, settings: list[str]) -> None:
        self.settings = settings

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = ""
        for setting in self.settings:
            joined = f"{line} · {setting}" if line else setting
            if line and len(self.INDENT) + len(joined) > options.max_width:
                yield Text(f"{self.INDENT}{line} ·", style="cyan", overflow="fold")
                joined = setting
            line = joined
        yield Text(f"{self.INDENT}{line}", style="cyan", overflow="fold")


def _setting(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(_setting(item) for item in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_trace(trace: dict[str, Any] | None) -> RenderableType:
    """The last run's ops, grouped under their source lines; broadcasts drawn, silent ones flagged."""
    if trace is None:
        return Text("Tracing is off (%shapes on turns it back on).", style="yellow")
    if not trace["ops"]:
        return Text("The last run ran no torch operations.", style="dim")
    table = Table(box=None, padding=(0, 1), header_style="bold", show_edge=False)
    table.add_column("op", max_width=44)  # a long source line wraps here instead of squeezing the notes
    table.add_column("inputs")
    table.add_column("output")
    last_line: Any = object()
    for op in trace["ops"]:
        if (op.get("cell"), op["line"]) != last_line:
            last_line = (op.get("cell"), op["line"])
            table.add_row(Text(_where(op), style="bold cyan"), "", "")
        name = op["op"] + (f" [{op['layer']}]" if op.get("layer") else "")
        inputs = shapes_text([tuple(s) for s in op["inputs"]]) if op["inputs"] else "—"
        output = Text("FAILED", style="bold red") if op["failed"] else Text(format_shape(op["output"]) if op["output"] is not None else "—")
        table.add_row(Text("  " + name), Text(inputs), output)  # Text: "[m.0]" is not markup
        pair = broadcast_pair(op["op"], [tuple(s) for s in op["inputs"]])
        if pair and not op["failed"]:
            names = operand_names(op["source"], op["op"]) if op.get("source") else None
            table.add_row(Text("\n".join("    " + line for line in diagram(*pair, names=names or ("a", "b"))), style="cyan"), "", "")
        if op.get("note"):
            table.add_row(Text("    ! silent broadcast", style="bold yellow"), Text(op["note"], style="yellow"), "")
    parts: list[RenderableType] = [table]
    if trace.get("dropped"):
        parts.append(Text(f"… {trace['dropped']:,} more torch calls ran (the trace keeps the first {len(trace['ops'])} ops; "
                          "the silent-bug checks went on)", style="dim"))
    for op in trace.get("late_notes") or []:
        parts.append(Text.assemble((_where(op), "bold cyan"), ("\n    ! ", "bold yellow"), (op["note"], "yellow")))
    return Group(*parts)


def _where(op: dict[str, Any]) -> str:
    if op["line"] is None:
        return "(outside your code)"
    cell = f"In [{op['cell']}] " if op.get("cell") is not None else ""
    return f"{cell}line {op['line']}: {op['source']}"
