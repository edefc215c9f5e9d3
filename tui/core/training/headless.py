"""``tensordojo train``: the engine without the app, with a Rich progress bar or JSON lines."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from tui.core.training.checkpoint import Checkpoint
from tui.core.training.config import TrainConfig
from tui.core.training.device import set_training_threads
from tui.core.training.engine import Report, Trainer
from tui.core.training.readout import format_loss


def build_trainer(config: TrainConfig, resume: Checkpoint | None = None) -> Trainer:
    """The run's trainer, with torch's threads set as the app's training process sets them, and a
    saved run's weights, optimizer state and step when resuming."""
    set_training_threads()
    trainer = Trainer(config)
    if resume is not None:
        trainer.restore(resume.model, resume.optimizer, resume.step)
    return trainer


def run_jsonl(config: TrainConfig, out: TextIO | None = None, resume: Checkpoint | None = None) -> Report:
    """Train, printing ``{"step", "loss"}`` for every step and a final ``done`` (or ``stopped``) object
    to ``out`` (standard output as it is when called, not as it was when this module was imported)."""
    out = out or sys.stdout
    trainer = build_trainer(config, resume)

    def emit(report: Report) -> None:
        lines = [json.dumps({"step": s, "loss": loss}) for s, loss in zip(report.steps, report.losses)]
        if lines:
            out.write("\n".join(lines) + "\n")
        if report.done:
            last = trainer.history[-1] if trainer.history else None
            summary = {"event": "done" if report.reason == "finished" else "stopped", "reason": report.reason,
                       "steps": trainer.step_count, "final_loss": last, "elapsed_s": round(report.elapsed, 3),
                       "steps_per_s": round(report.steps_per_s, 1), "device": trainer.device_name}
            if report.message:
                summary["message"] = report.message
            out.write(json.dumps(summary) + "\n")
        out.flush()

    return trainer.run(emit)


def run_with_progress(config: TrainConfig, resume: Checkpoint | None = None) -> Report:
    """Train with a Rich progress bar showing the live loss and speed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    trainer = build_trainer(config, resume)
    start = f", resumed at step {trainer.step_count:,}" if resume is not None else ""
    console.print(f"Training an MLP {config.hidden} on {config.dataset} with {config.optimizer} "
                  f"(lr {config.lr}) on {trainer.device_name}{start}")
    columns = [TextColumn("[bold]train"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[loss]}"),
               TextColumn("{task.fields[speed]}"), TimeRemainingColumn()]
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("train", total=config.steps, completed=trainer.step_count, loss="loss …", speed="")

        def show(report: Report) -> None:
            loss = f"loss {format_loss(report.losses[-1])}" if report.losses else "loss …"
            progress.update(task, completed=trainer.step_count, loss=loss, speed=f"{report.steps_per_s:,.0f} steps/s")

        final = trainer.run(show)
    if final.message:
        console.print(f"[bold red]{final.message}[/]" if final.reason != "finished" else final.message)
    elif trainer.history:
        accuracy = f", accuracy {final.accuracy:.1%}" if final.accuracy is not None else ""
        console.print(f"done: {trainer.step_count} steps, loss {format_loss(trainer.history[0])} -> "
                      f"{format_loss(trainer.history[-1])}"
                      f"{accuracy}, {final.steps_per_s:,.0f} steps/s")
    return final
