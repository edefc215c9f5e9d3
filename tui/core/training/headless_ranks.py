"""``tensordojo train --nproc N``: the data-parallel run's output (rank 0 writes it) and the equivalence check.

The sinks here are handed to rank 0's process (they are pickled), so they hold only plain values:
they write to standard output (JSON lines) or standard error (a progress bar), which the ranks
share with the command, and leave the run's outcome in a small JSON file the command reads back.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.core.training.config import TrainConfig
from tui.core.training.distributed import Plan, launch, temporary_checkpoint
from tui.core.training.engine import Report
from tui.core.training.readout import format_loss

TOLERANCE = 1e-6
"""How far a parameter of the N-rank run may be from the one-process run's (float64)."""


def rank_figures(report: Report) -> list[dict[str, float]]:
    """Each rank's figures as JSON-ready dicts."""
    return [{"rank": rank, "steps_per_s": round(rate, 1), "samples_per_s": round(samples, 1),
             "allreduce_share": round(share, 3)} for rank, (rate, samples, share) in enumerate(report.ranks or [])]


class RankSink:
    """What rank 0 does with its reports; :meth:`outcome` reads the run's end back in the command."""

    def __init__(self, jsonl: bool) -> None:
        self.jsonl = jsonl
        handle, self.result_path = tempfile.mkstemp(prefix="tensordojo-outcome-", suffix=".json")
        os.close(handle)  # removed by outcome()
        self._progress: Any = None

    def report(self, report: Report) -> None:
        """Rank 0, each report: JSON lines for its steps, or the progress bar moved on."""
        if self.jsonl:
            lines = [json.dumps({"step": s, "loss": loss}) for s, loss in zip(report.steps, report.losses)]
            if lines:
                sys.stdout.write("\n".join(lines) + "\n")
                sys.stdout.flush()
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("[bold]train"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[loss]}"), TextColumn("{task.fields[speed]}"),
                                      console=Console(stderr=True))
            self._progress.start()
            self._task = self._progress.add_task("train", total=None, loss="", speed="")
        loss = f"loss {format_loss(report.losses[-1])}" if report.losses else ""
        speeds = " · ".join(f"rank {rank} {rate:,.0f}/s" for rank, (rate, _, _) in enumerate(report.ranks or []))
        self._progress.update(self._task, completed=report.step_count, loss=loss, speed=speeds)

    def finish(self, trainer: Any, final: Report) -> None:
        """Rank 0, at the end: the summary line, and the outcome for the command."""
        if self._progress is not None:
            self._progress.stop()
        last = trainer.history[-1] if trainer.history else None
        summary = {"event": "done" if final.reason == "finished" else "stopped", "reason": final.reason,
                   "steps": trainer.step_count, "final_loss": last, "elapsed_s": round(final.elapsed, 3),
                   "steps_per_s": round(final.steps_per_s, 1), "samples_per_s": round(final.samples_per_s, 1),
                   "device": trainer.device_name, "nproc": trainer.world,
                   "global_batch": trainer.config.batch_size * trainer.world, "ranks": rank_figures(final)}
        if final.message:
            summary["message"] = final.message
        if self.jsonl:
            sys.stdout.write(json.dumps(summary) + "\n")
            sys.stdout.flush()
        else:
            from rich.console import Console

            share = max((rank["allreduce_share"] for rank in summary["ranks"]), default=0.0)
            Console(stderr=True).print(
                f"done: {trainer.step_count} steps on {trainer.world} ranks, loss {format_loss(last)}, "
                f"{final.steps_per_s:,.0f} steps/s, {final.samples_per_s:,.0f} samples/s in all; "
                f"gradient all-reduce up to {share:.0%} of a rank's time")
        Path(self.result_path).write_text(json.dumps(summary))

    def outcome(self) -> dict | None:
        """The summary rank 0 left, or None (no rank 0 on this node, or it failed first); removes the file."""
        try:
            return json.loads(Path(self.result_path).read_text() or "null")
        except (OSError, ValueError):
            return None
        finally:
            try:
                os.unlink(self.result_path)
            except OSError:
                pass


def describe_plan(config: TrainConfig, plan: Plan) -> str:
    """One line that says how the run is split (and that the learning rate is not scaled)."""
    return (f"Data-parallel: {plan.world} ranks ({plan.nproc} per node x {plan.nnodes} node(s)), global batch "
            f"{config.batch_size * plan.world} = {config.batch_size} per rank x {plan.world}; the learning rate "
            f"stays {config.lr:g} as set (not scaled with the batch)")


def run_ranks(config: TrainConfig, plan: Plan, jsonl: bool) -> dict | None:
    """Train over ``plan``'s ranks; the summary rank 0 left (None on a node without rank 0).

    Raises:
        LaunchError: a rank failed or died; the message names it.
    """
    if not jsonl:
        print(describe_plan(config, plan), file=sys.stderr)
    sink = RankSink(jsonl)
    try:
        launch(config, plan, sink)
    finally:
        outcome = sink.outcome()  # read and removed, whether the run ended well or not
    return outcome


def check_equivalence(config: TrainConfig, plan: Plan) -> tuple[bool, list[str]]:
    """Train ``plan.world`` ranks with per-rank batch B and one process with batch B x world, both in
    float64 on the same samples; compare every parameter. Returns (all within :data:`TOLERANCE`, lines)."""
    from tui.core.training.checkpoint import load
    from tui.core.training.device import set_training_threads
    from tui.core.training.engine import Trainer

    ranked = replace(config, extra={**config.extra, "dtype": "float64"}, device="cpu")
    path = temporary_checkpoint()
    try:
        launch(ranked, plan, _Quiet(), save_to=path)  # no output from rank 0: only the comparison is printed
        spread = load(path).model
    finally:
        os.unlink(path)
    set_training_threads()
    single = Trainer(replace(ranked, batch_size=config.batch_size * plan.world))
    single.run(lambda report: None)
    lines = [f"{plan.world} ranks x batch {config.batch_size} against 1 process x batch {config.batch_size * plan.world}, "
             f"float64, {config.steps} steps, the same samples:"]
    worst = 0.0
    for name, value in single.model.state_dict().items():
        gap = float((spread[name] - value).abs().max())
        worst = max(worst, gap)
        lines.append(f"  {name:<10} {tuple(value.shape)!s:<10} largest difference {gap:.2e}")
    same = worst <= TOLERANCE
    lines.append(f"{'equal' if same else 'NOT equal'}: the largest difference is {worst:.2e} "
                 f"({'within' if same else 'above'} {TOLERANCE:g})")
    return same, lines


class _Quiet:
    """A sink that shows nothing (the check prints its comparison instead)."""

    def report(self, report: Report) -> None:
        """Nothing to show while the check trains."""

    def finish(self, trainer: Any, final: Report) -> None:
        """Nothing to show at the end either."""
