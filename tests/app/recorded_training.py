"""Training runs recorded in this process and replayed to the training view in place of its process.

The reports are real (a seeded :class:`~tui.core.training.engine.Trainer` makes them, one per step),
with the figures that depend on the machine's speed replaced by ones derived from the step count, so
what the view shows is the same on every machine: for snapshots, and for paths (a NaN, running out
of memory) that the training process cannot be made to take on demand.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from tui.core.training.config import TrainConfig
from tui.core.training.engine import Report, Trainer

STEPS_PER_SECOND = 1000.0
"""The speed the replayed reports claim."""


def record(config: TrainConfig, change: Callable[[Trainer], None] | None = None) -> list[Report]:
    """Every report of a run of ``config``, one per step; ``change`` may alter the trainer first."""
    trainer = Trainer(config)
    if change is not None:
        change(trainer)
    reports: list[Report] = []
    trainer.run(reports.append, every=0.0)
    return [steady(report, config) for report in reports]


def steady(report: Report, config: TrainConfig) -> Report:
    """The report with its timing figures as a machine doing exactly STEPS_PER_SECOND would give them."""
    elapsed = report.step_count / STEPS_PER_SECOND
    speed = STEPS_PER_SECOND if report.step_count else 0.0
    return replace(report, elapsed=elapsed, steps_per_s=speed, samples_per_s=speed * config.batch_size,
                   cpu_seconds=elapsed)


def nan_after(step: int) -> Callable[[Trainer], None]:
    """A change for :func:`record`: the loss turns NaN after ``step`` steps."""

    def change(trainer: Trainer) -> None:
        real = trainer.loss_fn
        trainer.loss_fn = lambda out, y: real(out, y) * (float("nan") if trainer.step_count >= step else 1.0)

    return change


def out_of_memory_after(step: int) -> Callable[[Trainer], None]:
    """A change for :func:`record`: the step after ``step`` runs out of GPU memory."""

    def change(trainer: Trainer) -> None:
        import torch

        real = trainer._make_step()

        def one_step():
            if trainer.step_count >= step:
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            return real()

        trainer._make_step = lambda: one_step

    return change


def replay(app, reports: list[Report], device: str = "cpu") -> None:
    """Make the app's training process replay ``reports`` for its next run instead of training."""

    def run(config, control, on_report, on_started=None):
        if on_started is not None:
            on_started(device)
        for report in reports:
            on_report(report)
        return reports[-1]

    app.training.run = run
