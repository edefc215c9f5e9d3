"""Training benchmark: in-app and headless steps/s against a bare loop, UI lag while training, key to paint.

Configuration (issue 6): spirals, hidden 64,64, Adam, lr 0.01, batch 256, CPU unless a device is
given. Every loop runs in a thread with ``torch.set_num_threads(1)``, as the app's worker does.

On a shared machine the speed of one configuration drifts by several per cent within a minute,
more than the 3% the targets allow. So runs alternate and each headless or in-app run is divided
by the mean of the bare runs just before and after it; the ratios reported are the medians of
those paired ratios. The headless runs alternate with bare runs outside the app. The in-app runs
alternate with bare runs inside one app session, on the training screen with no run going, so
that a pair is seconds apart rather than an app start-up apart.

The bare loop is the tutorial's (``inputs[index]``, ``optimizer.zero_grad()``); the engine's own
loop is leaner (``index_select``, gradients set to ``None`` directly), so a ratio above 1 is
possible. In-app over headless divides out the engine and leaves what the UI costs the training
thread.

The ratio runs stream the loss to the widgets and nothing else. UI lag and key-to-paint are
measured in separate runs, because their probes load the event loop they measure (a 100 Hz
sleep loop, and a key five times a second that redraws the curve); those runs' own ratio is
reported too, as ``train_ratio_app_probed``.
"""

from __future__ import annotations

import asyncio
import gc
import io
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable

from tui.core.training.config import TrainConfig

STEPS = 3000
PRESSES = 50
"""Key presses timed in each probed run: a probed run lasts until it has them (a p95 needs a few
dozen samples; a 3,000-step run at 2,500 steps/s gave only six)."""


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


def bare_loop(device: str, steps: int = STEPS, busy: list[float] | None = None) -> float:
    """Steps/s of a plain tutorial loop over the same model, data and optimizer; appends to
    ``busy`` the share of the loop's wall time its thread was on a CPU."""
    from tui.core.training.engine import Trainer

    trainer = Trainer(_config(device, steps))
    model, optimizer, loss_fn, data = trainer.model, trainer.optimizer, trainer.loss_fn, trainer.data
    import torch

    n = data.inputs.shape[0]
    began, cpu = time.perf_counter(), time.thread_time()
    for _ in range(steps):
        index = torch.randint(0, n, (256,), device=trainer.device, generator=trainer.generator)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(data.inputs[index]), data.targets[index])
        loss.backward()
        optimizer.step()
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    wall = time.perf_counter() - began
    if busy is not None:
        busy.append((time.thread_time() - cpu) / wall)
    return steps / wall


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
    bare_busy: list[float] = field(default_factory=list)
    app_busy: list[float] = field(default_factory=list)
    """Share of a run's wall time its training thread was on a CPU (in the app session): what the
    thread lost waiting, for the GIL mostly, without the machine's drift in speed."""

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
            "train_ratio_app_over_cli": round(statistics.median(self.app_ratios) / statistics.median(self.cli_ratios), 3),
            "ui_lag_p99_ms": round(lag[min(len(lag) - 1, int(0.99 * len(lag)))], 1),
            "ui_lag_max_ms": round(lag[-1], 1),
            "key_to_paint_p95_ms": round(keys[min(len(keys) - 1, int(0.95 * len(keys)))], 1),
            "train_busy_bare": round(statistics.median(self.bare_busy), 4) if self.bare_busy else None,
            "train_busy_app": round(statistics.median(self.app_busy), 4) if self.app_busy else None,
        }

    def report(self) -> str:
        """A human-readable summary."""
        s = self.summary()
        return (f"training ({s['device']}): bare loop {s['bare_steps_per_s']:,} steps/s; headless "
                f"{s['cli_steps_per_s']:,} (ratio {s['train_ratio_cli']}); in the app {s['app_steps_per_s']:,} "
                f"(ratio {s['train_ratio_app']}; {s['train_ratio_app_probed']} while the UI probes below ran)\n"
                f"ratios are medians of each run over the mean of the bare runs around it; in the app over "
                f"headless {s['train_ratio_app_over_cli']} (the same engine: what the UI costs the training thread)\n"
                f"training thread on a CPU for {s['train_busy_app']} of an in-app run's time, {s['train_busy_bare']} of a bare run's\n"
                f"UI while training: event-loop lag p99 {s['ui_lag_p99_ms']} ms, "
                f"max {s['ui_lag_max_ms']} ms; key to paint p95 {s['key_to_paint_p95_ms']} ms")


async def _in_app(screen, figures: TrainingFigures, probes: bool, steps: int, presses: int = PRESSES) -> float:
    """One run on the open training screen; returns its steps/s. With ``probes``, also measure UI
    lag and key to paint, running until ``presses`` key presses have been timed."""
    from textual.widgets import Input

    lags: list[float] = []
    screen.query_one("#form-steps", Input).value = str(10**8 if probes else steps)

    async def probe() -> None:
        # A bare asyncio sleep loop: how late the event loop wakes is its lag. (A Textual timer
        # at 100 Hz would itself load the loop it measures.)
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(max(0.0, (time.perf_counter() - began - 0.01) * 1000))

    screen.action_start()
    while screen.control is not None and screen.device_name is None:
        await asyncio.sleep(0.01)
    if not probes:
        while screen.control is not None:
            await asyncio.sleep(0.25)  # a slow poll: this coroutine runs on the loop it measures
        figures.app_busy.append(screen.last_report.cpu_seconds / screen.last_report.elapsed)
        return screen.last_report.steps_per_s
    timer = asyncio.create_task(probe())
    timed = 0
    while screen.control is not None:
        if timed >= presses:
            screen.action_stop()
            while screen.control is not None:
                await asyncio.sleep(0.01)
            break
        pressed = time.perf_counter()
        screen.action_log_scale()
        while screen.painted_at < pressed and screen.control is not None:
            await asyncio.sleep(0.002)
        if screen.painted_at >= pressed:
            figures.key_to_paint_ms.append((screen.painted_at - pressed) * 1000)
            timed += 1
        await asyncio.sleep(0.2)
    timer.cancel()
    figures.ui_lag_ms += lags[5:]
    return screen.last_report.steps_per_s


async def paired(bare: Callable[[], Awaitable[float]], run: Callable[[int], Awaitable[float]],
                 count: int) -> list[tuple[float, float]]:
    """bare, run, bare, run... ``count`` runs (``run`` gets its index); each run's rate and that
    rate over the mean of the bare runs on either side of it."""
    pairs = []
    before = await bare()
    for index in range(count):
        rate = await run(index)
        after = await bare()
        pairs.append((rate, rate / ((before + after) / 2)))
        before = after
    return pairs


async def alternate(figures: TrainingFigures, bare: Callable[[], Awaitable[float]],
                    in_app: Callable[[bool], Awaitable[float]], repeats: int, probed: int) -> None:
    """:func:`paired` app runs: ``repeats`` plain ones then ``probed`` probed ones."""
    pairs = await paired(bare, lambda index: in_app(index >= repeats), repeats + probed)
    for rate, ratio in pairs[:repeats]:
        figures.app_steps_per_s.append(rate)
        figures.app_ratios.append(ratio)
    figures.probed_ratios += [ratio for _, ratio in pairs[repeats:]]


async def _app_session(figures: TrainingFigures, device: str, steps: int, repeats: int, probed: int,
                       presses: int = PRESSES) -> None:
    """Open the app under Pilot on the training screen and :func:`alternate` there: the bare runs
    happen while the screen waits with no run going."""
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
        # The screen starts the training process as it opens; let it load torch before the first
        # bare run, which would otherwise share the CPU with that import.
        await asyncio.to_thread(app.training.wait_ready)
        # The app freezes its start-up objects out of the collector's way once its kernel is ready;
        # this session starts no kernel, and the bare loop put torch's objects in this process
        # (the app itself no longer imports torch to train), so do the same here: without it a
        # collection scanned them in the middle of the lag probe (83 and 95 ms, two runs).
        gc.collect()
        gc.freeze()

        async def bare() -> float:
            rate = await asyncio.to_thread(_in_thread, lambda: bare_loop(device, steps, busy=figures.bare_busy))
            figures.bare_steps_per_s.append(rate)
            return rate

        await alternate(figures, bare, lambda probes: _in_app(screen, figures, probes, steps, presses), repeats, probed)


def measure_training(device: str = "cpu", repeats: int = 6, steps: int = STEPS, probed: int = 2,
                     presses: int = PRESSES) -> TrainingFigures:
    """Alternate bare and headless runs ``repeats`` times, then, in one app session, bare and
    in-app runs ``repeats`` times and ``probed`` times more with the UI probes (see the module's
    docstring)."""
    figures = TrainingFigures(device)
    _in_thread(lambda: bare_loop(device, 200))  # warm-up: imports, first optimizer

    async def bare() -> float:
        figures.bare_steps_per_s.append(_in_thread(lambda: bare_loop(device, steps)))
        return figures.bare_steps_per_s[-1]

    async def cli(index: int) -> float:
        return _in_thread(lambda: headless(device, steps))

    for rate, ratio in asyncio.run(paired(bare, cli, repeats)):
        figures.cli_steps_per_s.append(rate)
        figures.cli_ratios.append(ratio)
    asyncio.run(_app_session(figures, device, steps, repeats, probed, presses))
    return figures
