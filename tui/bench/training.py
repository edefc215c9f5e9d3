"""Training benchmark: in-app and headless steps/s against a bare loop, UI lag while training, key to paint.

Configuration (issue 6): spirals, hidden 64,64, Adam, lr 0.01, batch 256, CPU unless a device is
given. The bare loop and the headless run alternate in one process, medians of several repetitions.
Every loop runs in a thread with ``torch.set_num_threads(1)``, as the app's worker does.
"""

from __future__ import annotations

import asyncio
import io
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.training.config import TrainConfig

STEPS = 1500


def _config(device: str, steps: int = STEPS) -> TrainConfig:
    return TrainConfig(dataset="spirals", hidden=(64, 64), optimizer="adam", lr=0.01, batch_size=256,
                       device=device, steps=steps)


def _in_thread(function) -> float:
    result: list[float] = []

    def target() -> None:
        import torch

        torch.set_num_threads(1)
        result.append(function())

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]


def bare_loop(device: str, steps: int = STEPS) -> float:
    """Steps/s of a plain tutorial loop over the same model, data and optimizer."""
    from tui.core.training.engine import Trainer

    trainer = Trainer(_config(device, steps))
    model, optimizer, loss_fn, data = trainer.model, trainer.optimizer, trainer.loss_fn, trainer.data
    import torch

    n = data.inputs.shape[0]
    began = time.perf_counter()
    for _ in range(steps):
        index = torch.randint(0, n, (256,), device=trainer.device, generator=trainer.generator)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(data.inputs[index]), data.targets[index])
        loss.backward()
        optimizer.step()
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    return steps / (time.perf_counter() - began)


def headless(device: str, steps: int = STEPS) -> float:
    """Steps/s of ``tensordojo train --jsonl`` (writing to memory instead of a terminal)."""
    from tui.core.training.headless import run_jsonl

    return run_jsonl(_config(device, steps), out=io.StringIO()).steps_per_s


@dataclass
class TrainingFigures:
    """Medians and raw figures of one benchmark run."""

    device: str
    bare_steps_per_s: list[float] = field(default_factory=list)
    cli_steps_per_s: list[float] = field(default_factory=list)
    app_steps_per_s: list[float] = field(default_factory=list)
    ui_lag_ms: list[float] = field(default_factory=list)
    key_to_paint_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float | str]:
        """The figures `tensordojo bench --json` prints."""
        bare = statistics.median(self.bare_steps_per_s)
        lag = sorted(self.ui_lag_ms) or [0.0]
        keys = sorted(self.key_to_paint_ms) or [0.0]
        return {
            "device": self.device,
            "bare_steps_per_s": round(bare, 1),
            "cli_steps_per_s": round(statistics.median(self.cli_steps_per_s), 1),
            "app_steps_per_s": round(statistics.median(self.app_steps_per_s), 1),
            "train_ratio_cli": round(statistics.median(self.cli_steps_per_s) / bare, 3),
            "train_ratio_app": round(statistics.median(self.app_steps_per_s) / bare, 3),
            "ui_lag_p99_ms": round(lag[min(len(lag) - 1, int(0.99 * len(lag)))], 1),
            "ui_lag_max_ms": round(lag[-1], 1),
            "key_to_paint_p95_ms": round(keys[min(len(keys) - 1, int(0.95 * len(keys)))], 1),
        }

    def report(self) -> str:
        """A human-readable summary."""
        s = self.summary()
        return (f"training ({s['device']}): bare loop {s['bare_steps_per_s']:,} steps/s; headless "
                f"{s['cli_steps_per_s']:,} (ratio {s['train_ratio_cli']}); in the app {s['app_steps_per_s']:,} "
                f"(ratio {s['train_ratio_app']})\nUI while training: event-loop lag p99 {s['ui_lag_p99_ms']} ms, "
                f"max {s['ui_lag_max_ms']} ms; key to paint p95 {s['key_to_paint_p95_ms']} ms")


async def _in_app(figures: TrainingFigures, device: str, steps: int) -> None:
    from textual.widgets import Input, Select

    from tui.app import make_app
    from tui.screens.training import TrainingScreen

    app = make_app(home=Path(tempfile.mkdtemp()) / "progress.db", start_kernel=False)
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_open_training()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        screen.query_one("#form-steps", Input).value = str(steps)
        screen.query_one("#form-device", Select).value = device
        lags: list[float] = []

        async def probe() -> None:
            # A bare asyncio sleep loop: how late the event loop wakes is its lag. (A Textual timer
            # at 100 Hz would itself load the loop it measures.)
            while True:
                began = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(max(0.0, (time.perf_counter() - began - 0.01) * 1000))

        screen.action_start()
        while screen.trainer is None:
            await asyncio.sleep(0.01)
        timer = asyncio.create_task(probe())
        while screen.control is not None:
            pressed = time.perf_counter()
            screen.action_log_scale()
            while screen.painted_at < pressed and screen.control is not None:
                await asyncio.sleep(0.002)
            if screen.painted_at >= pressed:
                figures.key_to_paint_ms.append((screen.painted_at - pressed) * 1000)
            await asyncio.sleep(0.2)
        timer.cancel()
        figures.ui_lag_ms += lags[5:]
        figures.app_steps_per_s.append(screen.last_report.steps_per_s)


def measure_training(device: str = "cpu", repeats: int = 3, steps: int = STEPS) -> TrainingFigures:
    """Alternate bare, headless and in-app runs ``repeats`` times."""
    figures = TrainingFigures(device)
    _in_thread(lambda: bare_loop(device, 200))  # warm-up: imports, first optimizer
    for _ in range(repeats):
        figures.bare_steps_per_s.append(_in_thread(lambda: bare_loop(device, steps)))
        figures.cli_steps_per_s.append(_in_thread(lambda: headless(device, steps)))
        asyncio.run(_in_app(figures, device, steps))
    return figures
