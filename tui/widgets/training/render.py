"""What the training view draws: the full loss curve, the decision boundary, the statistics.

Each is :class:`Lines`, rows of styled runs with styles made once, redrawn several times a second
while training; see :mod:`tui.widgets.training.canvas` for why not Rich ``Text``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from tui.core.training.config import TrainConfig
from tui.core.training.curve import LossSummary
from tui.core.training.engine import Report
from tui.core.training.readout import format_loss

_BLOCKS = " ▁▂▃▄▅▆▇█"
_CLASS_STYLES = tuple(Style.parse(f"on rgb({rgb})") for rgb in ("40,70,160", "170,60,50", "60,140,70", "150,120,40"))
_CLASS_MARKS = "·x+o"
_PLAIN = Style()
"""Unstyled text: an empty style rather than None, which NO_COLOR's monochrome filter cannot read."""
DIM, BOLD, CYAN, RED, GREEN = (Style.parse(name) for name in ("dim", "bold", "cyan", "red", "green"))


@dataclass
class Lines:
    """Rows of ``(text, style)`` runs: a Rich renderable whose lines are already laid out."""

    rows: list[list[tuple[str, Style | None]]] = field(default_factory=lambda: [[]])

    def append(self, text: str, style: Style | None = None) -> None:
        """Add ``text`` to the last row; each newline in it starts a new row."""
        first, *more = text.split("\n")
        if first:
            self.rows[-1].append((first, style))
        for part in more:
            self.rows.append([(part, style)] if part else [])

    @property
    def plain(self) -> str:
        """The text without styles."""
        return "\n".join("".join(text for text, _ in row) for row in self.rows)

    def segments(self, row: int) -> list[Segment]:
        """One row as Rich segments."""
        return [Segment(text, style or _PLAIN) for text, style in self.rows[row]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for index in range(len(self.rows)):
            yield from self.segments(index)
            if index < len(self.rows) - 1:
                yield Segment.line()


def loss_curve(losses: LossSummary, width: int, height: int, log: bool = False) -> Lines:
    """The whole run's loss, averaged into ``width`` columns and drawn ``height`` rows high."""
    shown = losses.count(log)
    if shown < 2:
        text = Lines()
        text.append("(the loss curve appears once training starts)", DIM)
        return text
    columns = losses.columns(max(8, width - 10), log)
    scale = [math.log10(v) for v in columns] if log else columns
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    levels = [(v - low) / span * height * 8 for v in scale]
    text = Lines()
    for row in range(height, 0, -1):
        label = (10 ** high if log else high) if row == height else (10 ** low if log else low) if row == 1 else None
        text.append(f"{label:>8.3g} " if label is not None else " " * 9, DIM)
        # One run per row, not per cell: this is redrawn while training and runs cost render time.
        text.append("".join(_BLOCKS[int(max(0, min(8, level - (row - 1) * 8)))] for level in levels) + "\n", CYAN)
    text.append(f"{'':9}steps 1 to {shown:,}{' (log scale)' if log else ''}", DIM)
    return text


def _sample(count: int, keep: int) -> list[int]:
    """``keep`` indices spread evenly over ``range(count)``, first and last included."""
    return [round(i * (count - 1) / (keep - 1)) for i in range(keep)] if keep > 1 else [0]


def boundary_map(grid: list[list[int]], width: int = 0, height: int = 0,
                 points: list[tuple[float, float, int]] | None = None) -> Lines:
    """The predicted class over the plane, one coloured cell per grid point (marks for NO_COLOR),
    with data points drawn over it as their class number (``0`` or ``1``, bold).

    The grid is resampled to ``width`` columns and ``height`` rows (the caption included) when they
    are given: sampled down so it never wraps on an 80-column terminal nor runs off a 24-line one,
    repeated up so it fills a large terminal's room. A point is drawn in the cell its coordinates
    fall in; where the map's class differs from the point's, the model gets that point wrong.
    """
    if width and grid and grid[0]:
        grid = [[row[i] for i in _sample(len(grid[0]), width)] for row in grid]
    if height > 1 and grid:
        grid = [grid[i] for i in _sample(len(grid), height - 1)]
    cells = [[(_CLASS_MARKS[label % 4], _CLASS_STYLES[label % 4]) for label in row] for row in grid]
    if cells and cells[0] and points:
        rows, cols = len(cells), len(cells[0])
        for u, v, label in points:
            row, col = round(v * (rows - 1)), round(u * (cols - 1))
            if 0 <= row < rows and 0 <= col < cols:
                cells[row][col] = (str(label % 10), _point_style(grid[row][col], label))
    text = Lines()
    for row_cells in cells:
        start = 0
        for end in range(1, len(row_cells) + 1):  # one span per run of the same style
            if end == len(row_cells) or row_cells[end][1] is not row_cells[start][1]:
                text.append("".join(mark for mark, _ in row_cells[start:end]), row_cells[start][1])
                start = end
        text.append("\n")
    text.append("predicted class over the plane", DIM)  # 30 columns: whole at 80x24
    return text


_POINT_COLOURS = ("rgb(150,190,255)", "rgb(255,170,150)", "rgb(160,230,160)", "rgb(240,210,120)")
_POINT_STYLES: dict[tuple[int, int], Style] = {}


def _point_style(background: int, label: int) -> Style:
    """A data point of class ``label`` on the region of class ``background``: bold, a light tint of its
    own class's colour, so a point on the wrong side stands out (made once per pair)."""
    key = (background % 4, label % 4)
    if key not in _POINT_STYLES:
        _POINT_STYLES[key] = Style.parse(f"bold {_POINT_COLOURS[key[1]]}") + _CLASS_STYLES[key[0]]
    return _POINT_STYLES[key]


def rank_table(report: Report) -> Lines:
    """A data-parallel run's ranks: each one's steps/s, samples/s and all-reduce share (empty for one process)."""
    text = Lines()
    if not report.ranks:
        return text
    text.append(f"{len(report.ranks)} processes (ranks)\n", BOLD)
    text.append("rank  steps/s  samples/s  all-reduce\n", DIM)
    for rank, (rate, samples, share) in enumerate(report.ranks):
        text.append(f"{rank:>4} {rate:>8,.0f} {_compact(samples):>10} {share:>11.0%}\n")
    return text


def settings_summary(config: TrainConfig) -> Lines:
    """The run's settings in three lines, for a short terminal where the form makes way for the
    numbers while a run is shown (steps, lr, device and processes are in the statistics)."""
    text = Lines()
    text.append(f"{config.dataset} · {config.activation} · {config.optimizer} · hidden {','.join(map(str, config.hidden))}\n")
    text.append(f"batch size {config.batch_size} · accum {config.accum}\n")
    text.append("r resets, to change the settings", DIM)
    return text


def grad_bars(norms: dict[str, float]) -> Lines:
    """One bar per layer: the gradient norm on a log scale, so vanishing and exploding both show."""
    text = Lines()
    if not norms:
        return text
    text.append("gradient norm per layer (log scale)\n", BOLD)
    for name, value in norms.items():
        width = 0 if value <= 0 else int(max(0, min(30, (math.log10(value) + 6) * 3)))
        text.append(f"layer {name:>3} {value:9.2e} ", DIM)
        text.append("█" * width + "\n", RED if value > 100 or value < 1e-5 else GREEN)
    return text


def _compact(value: float) -> str:
    """``950``, ``291k``, ``12.3M``: short enough for the side column."""
    if value >= 1e7:
        return f"{value / 1e6:,.0f}M"
    if value >= 1e6:
        return f"{value / 1e6:.1f}M"
    return f"{value / 1e3:,.0f}k" if value >= 1e4 else f"{value:,.0f}"


def stats_table(report: Report, steps: int, losses: list[float], best: float, device: str,
                accuracy: float | None = None) -> Lines:
    """Step, loss, best, accuracy, speed, time and device, as aligned lines. The step and the loss come
    from the run's ``losses`` so far, not from the latest report, which can be empty (a run stopped
    while paused ends with a report of no steps)."""
    done, last = len(losses), (losses[-1] if losses else None)
    remaining = (steps - done) / report.steps_per_s if report.steps_per_s and not report.done else 0
    rows = [("step", f"{done:,} of {steps:,}"),
            ("loss", format_loss(last)),
            ("best/first", f"{format_loss(best)} · {format_loss(losses[0])}" if losses else "—")]
    accuracy = report.accuracy if report.accuracy is not None else accuracy
    if accuracy is not None:
        rows.append(("accuracy", f"{accuracy:.1%}"))
    rows += [("steps/s", f"{report.steps_per_s:,.0f} · {_compact(report.samples_per_s)} samples/s"),
             ("time", f"{report.elapsed:.1f} s elapsed · {remaining:.1f} s left"),
             ("lr", f"{report.lr:g}"),
             ("device", device + (f" · {report.memory}" if report.memory else ""))]
    text = Lines()
    for name, value in rows:
        text.append(f"{name:<10} ", DIM)
        text.append(value + "\n")
    return text
