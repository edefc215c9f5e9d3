"""Training benchmark: in-app and headless steps/s against a bare loop, UI lag while training, key to paint.

Configuration (issue 6): spirals, hidden 64,64, Adam, lr 0.01, batch 256, CPU unless a device is
given. Every loop runs in a thread with ``torch.set_num_threads(1)``, as the app's worker does.

On a shared machine the speed of one configuration drifts by several per cent within a minute,
more than the 3% the targets allow. So the runs alternate (bare, headless, in the app, bare...)
and each headless or in-app run is divided by the mean of the bare runs just before and after
it; the ratios reported are the medians of those paired ratios.

The ratio runs stream the loss to the widgets and nothing else. UI lag and key-to-paint are
measured in separate runs, because their probes load the event loop they measure (a 100 Hz
sleep loop, and a key five times a second that redraws the curve); those runs' own ratio is
reported too, as ``train_ratio_app_probed``.
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

STEPS = 3000


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
    cli_ratios: list[float] = field(default_factory=list)
    app_ratios: list[float] = field(default_factory=list)
    probed_ratios: list[float] = field(default_factory=list)
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
            "train_ratio_cli": round(statistics.median(self.cli_ratios), 3),
            "train_ratio_app": round(statistics.median(self.app_ratios), 3),
            "train_ratio_app_probed": round(statistics.median(self.probed_ratios), 3) if self.probed_ratios else None,
            "ui_lag_p99_ms": round(lag[min(len(lag) - 1, int(0.99 * len(lag)))], 1),
            "ui_lag_max_ms": round(lag[-1], 1),
            "key_to_paint_p95_ms": round(keys[min(len(keys) - 1, int(0.95 * len(keys)))], 1),
        }

    def report(self) -> str:
        """A human-readable summary."""
        s = self.summary()
        return (f"training ({s['device']}): bare loop {s['bare_steps_per_s']:,} steps/s; headless "
                f"{s['cli_steps_per_s']:,} (ratio {s['train_ratio_cli']}); in the app {s['app_steps_per_s']:,} "
                f"(ratio {s['train_ratio_app']}; {s['train_ratio_app_probed']} while the UI probes below ran)\n"
                f"ratios are medians of each run over the mean of the bare runs around it\nUI while training: event-loop lag p99 {s['ui_lag_p99_ms']} ms, "
                f"max {s['ui_lag_max_ms']} ms; key to paint p95 {s['key_to_paint_p95_ms']} ms")


async def _in_app(figures: TrainingFigures, device: str, steps: int, probes: bool) -> float:
    """One run in the app under Pilot; returns its steps/s. With ``probes``, also measure UI lag
    and key to paint."""
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
        if not probes:
            while screen.control is not None:
                await asyncio.sleep(0.05)
            return screen.last_report.steps_per_s
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
        return screen.last_report.steps_per_s


def measure_training(device: str = "cpu", repeats: int = 5, steps: int = STEPS, probed: int = 2) -> TrainingFigures:
    """Alternate bare, headless and in-app runs ``repeats`` times (see the module's docstring),
    then ``probed`` in-app runs with the UI probes, each between bare runs too."""
    figures = TrainingFigures(device)
    _in_thread(lambda: bare_loop(device, 200))  # warm-up: imports, first optimizer

    def bare() -> float:
        figures.bare_steps_per_s.append(_in_thread(lambda: bare_loop(device, steps)))
        return figures.bare_steps_per_s[-1]

    before = bare()
    for _ in range(repeats):
        cli = _in_thread(lambda: headless(device, steps))
        app = asyncio.run(_in_app(figures, device, steps, probes=False))
        after = bare()
        figures.cli_steps_per_s.append(cli)
        figures.app_steps_per_s.append(app)
        figures.cli_ratios.append(cli / ((before + after) / 2))
        figures.app_ratios.append(app / ((before + after) / 2))
        before = after
    for _ in range(probed):
        app = asyncio.run(_in_app(figures, device, steps, probes=True))
        after = bare()
        figures.probed_ratios.append(app / ((before + after) / 2))
        before = after
    return figures
