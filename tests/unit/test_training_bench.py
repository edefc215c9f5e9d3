"""The training benchmark's contract: the figures `tensordojo bench --json` prints, from paired runs."""

from __future__ import annotations

import asyncio

from tui.bench.training import TrainingFigures, alternate, measure_training

KEYS = {"train_ratio_app", "train_ratio_cli", "ui_lag_p99_ms", "ui_lag_max_ms", "key_to_paint_p95_ms",
        "bare_steps_per_s", "cli_steps_per_s", "app_steps_per_s"}


def test_each_headless_ratio_is_paired_with_the_bare_runs_around_it(monkeypatch):
    import tui.bench.training as bench

    bare = iter([999.0, 100.0, 300.0, 200.0])  # the first is the warm-up run
    cli = iter([190.0, 240.0])
    monkeypatch.setattr(bench, "bare_loop", lambda device, steps=0: next(bare))
    monkeypatch.setattr(bench, "headless", lambda device, steps=0: next(cli))

    async def no_app(figures, device, steps, repeats, probed, presses):
        figures.app_steps_per_s.append(1.0)
        figures.app_ratios.append(1.0)

    monkeypatch.setattr(bench, "_app_session", no_app)
    figures = measure_training("cpu", repeats=2, steps=10, probed=0)
    # bare 100 | cli 190 | bare 300 | cli 240 | bare 200
    assert figures.cli_ratios == [190 / 200, 240 / 250]
    summary = figures.summary()
    assert summary["train_ratio_cli"] == round((0.95 + 0.96) / 2, 3) and summary["bare_steps_per_s"] == 200.0
    assert summary["train_ratio_app_over_cli"] == round(1.0 / ((0.95 + 0.96) / 2), 3)  # the UI's own share


def test_each_app_run_is_paired_with_the_bare_runs_around_it_and_probed_runs_come_last():
    bare = iter([100.0, 300.0, 200.0, 400.0])
    app = iter([180.0, 230.0, 270.0])
    asked: list[bool] = []

    async def fake_bare() -> float:
        return next(bare)

    async def fake_app(probes: bool) -> float:
        asked.append(probes)
        return next(app)

    figures = TrainingFigures("cpu")
    asyncio.run(alternate(figures, fake_bare, fake_app, repeats=2, probed=1))
    # bare 100 | app 180 | bare 300 | app 230 | bare 200 | probed 270 | bare 400
    assert asked == [False, False, True]
    assert figures.app_ratios == [180 / 200, 230 / 250] and figures.app_steps_per_s == [180.0, 230.0]
    assert figures.probed_ratios == [270 / 300]


def test_a_short_benchmark_fills_every_figure():
    figures = measure_training("cpu", repeats=1, steps=150, probed=1, presses=3)
    summary = figures.summary()
    assert KEYS <= summary.keys()
    assert len(figures.bare_steps_per_s) == 2 + 3  # around the headless run, and around the two app runs
    # Real, positive figures; what they should be is the benchmark's to report, not a test's to bound.
    assert summary["train_ratio_app"] > 0 and summary["train_ratio_cli"] > 0
    assert summary["train_ratio_app_probed"] is not None and figures.ui_lag_ms
    assert len(figures.key_to_paint_ms) == 3  # the probed run lasts until its presses are timed
    assert summary["train_busy_app"] > 0 and summary["train_busy_bare"] > 0
