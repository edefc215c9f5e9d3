"""The live training view: configure an MLP, train it in the background, watch the loss fall.

A thread worker drives the run, which trains in the app's training process
(:mod:`tui.core.training.process`) with a GIL of its own, and posts its reports as messages.
"""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tui.core.paths import data_dir
from tui.core.training.config import ConfigError, TrainConfig
from tui.core.training.curve import LossSummary
from tui.core.training.engine import Report
from tui.core.training.process import CheckpointError, RemoteControl, TrainingProcess
from tui.screens.base import DojoScreen
from tui.widgets.training.canvas import Canvas
from tui.widgets.training.form import TrainingForm
from tui.widgets.training.spark import LossSparkline
from tui.widgets.training.render import Lines, boundary_map, grad_bars, loss_curve, rank_table, settings_summary, stats_table

SPARK_POINTS = 120
LOSS_LABEL = "loss (recent)"
PAUSED_LABEL = "PAUSED · p resumes"
REDRAW_SECONDS = 0.33
"""Each panel is redrawn at most this often while training (every loss is still kept)."""
PLOTS, NUMBERS = "plots", "numbers"
"""The two halves redrawn in turn, half a period apart: the right column (sparkline, curve, boundary
map) and the left one's numbers (stats, gradient bars). Textual repaints the rectangle around all
that changed in a frame; both columns at once made it the whole screen, form included (42 widgets,
3.7 ms), where one column is 10 to 15 widgets (1.2 ms each). Runs now train in a process of their
own, so frames no longer cost training the GIL, but a cheap frame still leaves the UI's core free
for keys and, on a small machine, for the other processes (benchmarks/RESULTS.md)."""


class TrainingScreen(DojoScreen):
    """s starts, p pauses or resumes, x stops, r resets; l log scale, e export, + and - change the lr."""

    CSS_PATH = "training.tcss"
    SHORT_BELOW = 35
    """The right column (sparkline, curve, boundary map) needs 33 lines besides header and footer."""
    BINDINGS = [
        # Short descriptions: the footer must keep "esc Back" and "^p palette" whole at 80 columns.
        Binding("s,f5", "start", "Start"),
        Binding("p,f6", "pause", "Pause"),
        Binding("x,f7", "stop", "Stop"),
        Binding("r", "reset", "Reset"),
        Binding("l", "log_scale", "Log"),
        Binding("e", "export", "Export"),
        Binding("plus,equals_sign", "lr(2.0)", "lr x2", show=False),
        Binding("minus", "lr(0.5)", "lr /2", show=False),
        Binding("escape", "leave", "Back"),
    ]

    @dataclass
    class Progress(Message, bubble=False):
        """A batch of training progress from the worker, tagged with the run it belongs to."""

        report: Report
        run: int = 0
        """The run's number (see ``TrainingScreen.run_number``): a reset makes earlier runs' reports stale."""

    @dataclass
    class Started(Message, bubble=False):
        """The training process built the run's model and optimizer, on this device."""

        device: str

    def __init__(self, preset: TrainConfig | None = None) -> None:
        super().__init__()
        self.preset = preset
        self.control: RemoteControl | None = None
        self.device_name: str | None = None
        """Where the current or last run trains (``cpu``, ``cuda:0 (NVIDIA ...)``), once it started."""
        self.losses: list[float] = []
        self.loss_summary = LossSummary()
        """The run's losses in bounded space, for the full-run curve."""
        self.best = float("inf")
        self.log_scale = False
        self.config: TrainConfig | None = None
        self.run_number = 0
        """Counts runs and resets; reports from an earlier number are dropped (still in flight after r)."""
        self._control_run = 0
        """The number of the run ``control`` drives."""
        self.lr_asked: float | None = None
        """A learning rate asked for with + or - that no report has shown yet: the next press builds on it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="training-side"):
                yield TrainingForm(self.preset)
                yield Canvas(id="training-settings")  # in the form's place on a short terminal, while a run shows
                yield Canvas(id="training-stats")
                yield Canvas(id="training-grads")
                yield Canvas(id="training-ranks")
            with Vertical(id="training-main"):
                yield Static(LOSS_LABEL, id="training-state", classes="training-label")
                yield LossSparkline([], id="training-spark")
                yield Canvas(id="training-curve")
                yield Canvas(id="training-boundary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Training"
        self.call_after_refresh(self.set_focus, None)  # the keys work at once; tab reaches the form
        self.query_one("#training-stats", Canvas).show(
            "Set the run up, then press s (or F5) to start. escape leaves a field so the keys work.")
        self._drawn_at = 0.0
        # The training process imports torch while the learner reads the form.
        self.run_worker(self.process.ensure_started, thread=True, group="training-warm-up", exit_on_error=False)

    @property
    def process(self) -> TrainingProcess:
        """The app's training process (one per app, started on first use)."""
        return self.app.training  # type: ignore[attr-defined]

    # -- control -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a run is in progress (paused or not)."""
        return self.control is not None

    def action_start(self) -> None:
        """Read the form and start a run (a thread worker drives it in the training process)."""
        if self.running:
            self.notify("A run is in progress: stop it (x) first.", timeout=3)
            return
        try:
            self.config = self.query_one(TrainingForm).read()
        except ConfigError:
            return
        self.losses, self.loss_summary, self.best, self.device_name = [], LossSummary(), float("inf"), None
        self.query_one("#training-ranks", Canvas).show("")
        self.query_one("#training-settings", Canvas).show(settings_summary(self.config))
        self.add_class("-run-shown")
        self.query_one("#training-stats", Canvas).show("Preparing the run (the first one waits for PyTorch to load)…")
        self.control = self.process.control()
        self.run_number += 1
        self._control_run, self.lr_asked = self.run_number, None
        self.set_focus(None)
        self.train(self.config, self.control, self.run_number)

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def train(self, config: TrainConfig, control: RemoteControl, run: int) -> None:
        """Run in the training process until the run ends; post its reports; never touch a widget."""
        worker = get_current_worker()

        def report(batch: Report) -> None:
            if worker.is_cancelled:
                control.stop()
            self.post_message(self.Progress(batch, run))

        try:
            self.process.run(config, control, report, on_started=lambda device: self.post_message(self.Started(device)))
        except OSError as error:  # the process could not start: end the run with the reason, never hang
            self.post_message(self.Progress(Report.ended(config.lr, f"Could not start the training process: {error}"), run))

    @on(Started)
    def _started(self, message: Started) -> None:
        self.device_name = message.device

    last_report: Report | None = None
    """The latest report (the benchmark reads its steps/s)."""

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        """Keep the numbers; redraw when the last redraw is :data:`REDRAW_SECONDS` old or the run ended."""
        report = message.report
        if message.run != self.run_number:  # from before a reset: its numbers must not refill the view
            if report.done and message.run == self._control_run:
                self.control = None  # the stopped run has ended: s may start the next
                self._show_paused(False)
            return
        self.last_report = report
        if self.lr_asked is not None and math.isclose(report.lr, self.lr_asked):
            self.lr_asked = None  # the process uses it now
        self.losses += report.losses
        self.loss_summary.add(report.losses)
        if report.losses:
            self.best = min(self.best, min(report.losses))
        if report.accuracy is not None:
            self._accuracy = report.accuracy
        if report.grad_norms:
            self._grads = report.grad_norms
        if report.boundary:
            self._boundary, self._boundary_new = report.boundary, True
            self._points = report.points
        self._show_paused(report.paused and not report.done)
        # Redrawn from here, not from a timer of its own, which would wake the event loop once more
        # per frame.
        if report.done or (self.control is not None and self.control.paused):
            self._redraw()  # a view that stays still shows both columns as of the same step
        elif time.perf_counter() - self._drawn_at >= REDRAW_SECONDS / 2:
            self._redraw(self._next_half)
            self._next_half = NUMBERS if self._next_half == PLOTS else PLOTS
        if report.done:
            self.control = None
            self._show_paused(False)
            note = {"finished": "Training finished.", "stopped": "Training stopped."}.get(report.reason, report.message)
            self.notify(report.message or note, severity="error" if report.reason in ("nan", "oom", "error") else "information",
                        markup=False, timeout=8)

    _grads: dict[str, float] = {}
    _accuracy: float | None = None
    _boundary: list[list[int]] | None = None
    _points: list[tuple[float, float, int]] | None = None
    _boundary_new = False
    _paused_shown = False

    def _show_paused(self, paused: bool) -> None:
        """Say PAUSED above the plots (and in the title) while the run holds; the loss label otherwise."""
        if paused == self._paused_shown:
            return
        self._paused_shown = paused
        label = self.query_one("#training-state", Static)
        label.update(PAUSED_LABEL if paused else LOSS_LABEL)
        label.set_class(paused, "-paused")
        self.sub_title = "Training · PAUSED" if paused else "Training"
    _next_half = PLOTS

    def _redraw(self, half: str | None = None) -> None:
        """Draw from the latest numbers the :data:`PLOTS` (sparkline, curve, boundary), the
        :data:`NUMBERS` (stats, gradient bars) or, with no ``half``, both."""
        if self.last_report is None or self.config is None:
            return
        self._drawn_at = time.perf_counter()
        if half != NUMBERS:
            self.query_one("#training-spark", LossSparkline).data = self.losses[-SPARK_POINTS:]
            self._draw_curve()
            if self._boundary_new and self._boundary:
                self._boundary_new = False
                self._draw_boundary()
        if half != PLOTS:
            device = self.device_name or self.config.device
            self.query_one("#training-stats", Canvas).show(
                stats_table(self.last_report, self.config.steps, self.losses, self.best, device, self._accuracy))
            self._show_fitted("#training-grads", grad_bars(self._grads))
            if self.last_report.ranks:
                self._show_fitted("#training-ranks", rank_table(self.last_report))

    def _show_fitted(self, selector: str, lines: Lines) -> None:
        """Show ``lines`` in a canvas as tall as they are: no blank rows to push the per-rank table
        off a short terminal (one layout per run: the layer and rank counts do not change)."""
        canvas, rows = self.query_one(selector, Canvas), len(lines.rows) - 1  # the empty row after the last newline
        if rows > 0 and (canvas.styles.height is None or canvas.styles.height.value != rows):
            canvas.styles.height = rows
        canvas.show(lines)

    def _draw_boundary(self) -> None:
        canvas = self.query_one("#training-boundary", Canvas)
        canvas.show(boundary_map(self._boundary or [], canvas.size.width, canvas.size.height, self._points))

    def on_resize(self) -> None:
        """A new terminal size: lay the plots out again for their new room."""
        if self._boundary:
            self.call_after_refresh(self._draw_boundary)
        if self.last_report is not None:
            self.call_after_refresh(self._draw_curve)

    def _draw_curve(self) -> None:
        curve = self.query_one("#training-curve", Canvas)
        width = max(20, curve.size.width or 60)
        height = max(3, (curve.size.height or 10) - 2)  # 8 rows and the caption in the usual 10
        curve.show(loss_curve(self.loss_summary, width, height, self.log_scale))

    def action_pause(self) -> None:
        """Pause or resume the run."""
        if self.control is None:
            return
        if self.control.paused:
            self.control.resume()
            self._show_paused(False)
            self.notify("Resumed.", timeout=2)
        else:
            self.control.pause()
            self.notify("Paused: p resumes, e exports, x stops.", timeout=3)

    def action_stop(self) -> None:
        """Stop the run (its curve and numbers stay)."""
        if self.control is not None:
            self.control.stop()

    def action_reset(self) -> None:
        """Stop any run and clear the view."""
        self.action_stop()
        self.run_number += 1  # reports of the stopped run still in flight are dropped
        self.last_report, self.lr_asked = None, None
        self._show_paused(False)
        self.losses, self.loss_summary, self.best = [], LossSummary(), float("inf")
        self.query_one("#training-spark", LossSparkline).data = []
        self._grads, self._boundary, self._points = {}, None, None
        for name in ("curve", "boundary", "grads", "ranks"):
            self.query_one(f"#training-{name}", Canvas).show("")
        self.remove_class("-run-shown")  # the form again, to change the settings
        self.query_one("#training-stats", Canvas).show("Reset. Press s to start.")

    painted_at = 0.0
    """perf_counter() when a key's redraw reached the screen (the benchmark reads it)."""

    def action_log_scale(self) -> None:
        """Toggle a log scale for the full curve."""
        self.log_scale = not self.log_scale
        self._draw_curve()
        self.call_after_refresh(self._mark_painted)

    def _mark_painted(self) -> None:
        self.painted_at = time.perf_counter()

    def action_lr(self, factor: float) -> None:
        """Change the learning rate while it runs."""
        if self.control is not None and self.last_report is not None and not self.last_report.done:
            # From the rate last asked for, not the last report's: two presses within one report count twice.
            lr = (self.lr_asked if self.lr_asked is not None else self.last_report.lr) * factor
            self.lr_asked = lr
            self.control.new_lr = lr
            self.notify(f"learning rate -> {lr:g}", timeout=2)

    @dataclass
    class Exported(Message, bubble=False):
        """An export ended: the folder written, and what went wrong (empty when nothing did)."""

        folder: Path
        error: str

    exported_to: Path | None = None
    """The folder of the last export that worked."""

    def action_export(self) -> None:
        """Write the run's steps and losses as CSV, and the model's state_dict, to the data folder."""
        if self.device_name is None or not self.losses:
            self.notify("Nothing to export yet: train first (s).", timeout=3)
            return
        if self.control is not None and not self.control.paused:
            self.notify("Pause (p) or stop (x) the run first, so the checkpoint is consistent.", timeout=4)
            return
        self.export(data_dir() / "runs" / time.strftime("%Y%m%d-%H%M%S"), list(self.losses))

    @work(thread=True, group="training-export", exit_on_error=False)
    def export(self, folder: Path, losses: list[float]) -> None:
        """Write ``loss.csv`` here and have the training process write ``checkpoint.pt``; post the outcome."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / "loss.csv", "w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["step", "loss"])
                writer.writerows(enumerate(losses, 1))
            self.process.save_checkpoint(folder / "checkpoint.pt")
        except (OSError, CheckpointError) as error:
            self.post_message(self.Exported(folder, str(error)))
        else:
            self.post_message(self.Exported(folder, ""))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.error:
            self.notify(f"Export to {message.folder} failed: {message.error}", severity="error", markup=False, timeout=8)
        else:
            self.exported_to = message.folder
            self.notify(f"Saved loss.csv and checkpoint.pt in {message.folder}", markup=False, timeout=8)

    def action_leave(self) -> None:
        """Leave; a running training stops."""
        self.action_stop()
        self.dismiss()

    def on_unmount(self) -> None:
        if self.control is not None:
            self.control.stop()
