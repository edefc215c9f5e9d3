"""Rich renderables for the training view: the full loss curve, the decision boundary, the statistics."""

from __future__ import annotations

import math

from rich.table import Table
from rich.text import Text

from tui.core.training.engine import Report

_BLOCKS = " ▁▂▃▄▅▆▇█"
_CLASS_STYLES = ("on rgb(40,70,160)", "on rgb(170,60,50)", "on rgb(60,140,70)", "on rgb(150,120,40)")
_CLASS_MARKS = "·x+o"


def loss_curve(losses: list[float], width: int, height: int, log: bool = False) -> Text:
    """The whole run's loss, averaged into ``width`` columns and drawn ``height`` rows high."""
    values = [v for v in losses if math.isfinite(v) and (v > 0 or not log)]
    if len(values) < 2:
        return Text("(the loss curve appears once training starts)", style="dim")
    width = max(8, width - 10)
    per = len(values) / width
    columns = [sum(chunk) / len(chunk) for i in range(width)
               if (chunk := values[int(i * per):max(int(i * per) + 1, int((i + 1) * per))])]
    scale = [math.log10(v) for v in columns] if log else columns
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    levels = [(v - low) / span * height * 8 for v in scale]
    text = Text()
    for row in range(height, 0, -1):
        label = (10 ** high if log else high) if row == height else (10 ** low if log else low) if row == 1 else None
        text.append(f"{label:>8.3g} " if label is not None else " " * 9, style="dim")
        for level in levels:
            fill = level - (row - 1) * 8
            text.append(_BLOCKS[int(max(0, min(8, fill)))], style="cyan")
        text.append("\n")
    text.append(f"{'':9}steps 1 to {len(values):,}{' (log scale)' if log else ''}", style="dim")
    return text


def boundary_map(grid: list[list[int]]) -> Text:
    """The predicted class over the plane, one coloured cell per grid point (marks for NO_COLOR)."""
    text = Text()
    for row in grid:
        for label in row:
            text.append(_CLASS_MARKS[label % 4], style=_CLASS_STYLES[label % 4])
        text.append("\n")
    text.append("predicted class over the input plane", style="dim")
    return text


def grad_bars(norms: dict[str, float]) -> Text:
    """One bar per layer: the gradient norm on a log scale, so vanishing and exploding both show."""
    if not norms:
        return Text("")
    text = Text("gradient norm per layer (log scale)\n", style="bold")
    for name, value in norms.items():
        width = 0 if value <= 0 else int(max(0, min(30, (math.log10(value) + 6) * 3)))
        style = "red" if value > 100 or value < 1e-5 else "green"
        text.append(f"layer {name:>3} {value:9.2e} ", style="dim")
        text.append("█" * width + "\n", style=style)
    return text


def stats_table(report: Report, steps: int, best: float, device: str, first_loss: float | None) -> Table:
    """Step, loss, best, accuracy, speed, time and device."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    last = report.losses[-1] if report.losses else None
    done = report.steps[-1] if report.steps else 0
    remaining = (steps - done) / report.steps_per_s if report.steps_per_s else 0
    table.add_row("step", f"{done:,} of {steps:,}")
    table.add_row("loss", f"{last:.4f}" if last is not None else "—")
    table.add_row("best · first", f"{best:.4f} · {first_loss:.4f}" if first_loss is not None else "—")
    if report.accuracy is not None:
        table.add_row("accuracy", f"{report.accuracy:.1%}")
    table.add_row("speed", f"{report.steps_per_s:,.0f} steps/s · {report.samples_per_s:,.0f} samples/s")
    table.add_row("time", f"{report.elapsed:.1f} s elapsed · {remaining:.1f} s left")
    table.add_row("lr", f"{report.lr:g}")
    table.add_row("device", device + (f" · {report.memory}" if report.memory else ""))
    return table
