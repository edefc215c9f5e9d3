"""The training process: runs report every loss, obey pause, stop and lr, save checkpoints, survive a crash."""

from __future__ import annotations

import os
import signal
import threading
import pytest

from tests.waiting import HANG_GUARD, wait_for

from tui.core.training.config import TrainConfig
from tui.core.training.process import CheckpointError, TrainingProcess


def config(steps: int = 300, **changes) -> TrainConfig:
    settings = {"dataset": "spirals", "hidden": (16,), "device": "cpu", **changes}
    return TrainConfig(steps=steps, **settings)


# Under pytest-xdist (--dist loadgroup) the module stays on one worker: one training process serves it.
pytestmark = pytest.mark.xdist_group("test_training_process")


@pytest.fixture(scope="module")
def process(tmp_path_factory):
    started = TrainingProcess(log_path=tmp_path_factory.mktemp("training") / "logs" / "training.log")
    yield started
    started.shutdown()


def run_in_thread(process: TrainingProcess, cfg: TrainConfig, control):
    """Start a run in a thread, as the screen's worker does; return the reports list and the thread."""
    reports, devices = [], []
    thread = threading.Thread(target=lambda: process.run(cfg, control, reports.append, devices.append))
    thread.start()
    return reports, devices, thread


def test_a_run_reports_every_step_in_order_and_names_its_device(process):
    assert process.wait_ready(60)  # torch is loaded before the first run is asked for
    reports, devices = [], []
    final = process.run(config(300), process.control(), reports.append, devices.append)
    steps = [s for r in reports for s in r.steps]
    assert steps == list(range(1, 301))
    assert final.done and final.reason == "finished" and final.step_count == 300
    assert devices == ["cpu"] and final.cpu_seconds > 0
    assert process.log_path.exists()  # its own output goes there, never to the terminal


def test_the_same_seed_gives_the_same_losses_in_the_process_as_in_this_one(process):
    from tui.core.training.engine import Trainer

    reports = []
    process.run(config(50), process.control(), reports.append)
    here = []
    Trainer(config(50)).run(here.append)
    assert [x for r in reports for x in r.losses] == pytest.approx([x for r in here for x in r.losses], rel=1e-5)


def test_pause_holds_the_run_resume_goes_on_and_stop_ends_it(process):
    control = process.control()
    reports, _, thread = run_in_thread(process, config(10**6), control)
    wait_for(lambda: sum(len(r.losses) for r in reports) > 20, what="training")
    control.pause()
    wait_for(lambda: reports[-1].paused, what="the paused report")
    held = reports[-1].step_count
    control.resume()
    wait_for(lambda: reports[-1].step_count > held, what="training to resume")
    control.pause()
    wait_for(lambda: reports[-1].paused, what="the second paused report")
    held_again = reports[-1].step_count
    control.stop()
    thread.join(HANG_GUARD)
    final = reports[-1]
    assert final.reason == "stopped" and final.steps == [] and final.step_count == held_again  # nothing ran held
    assert final.step_count == sum(len(r.losses) for r in reports)
    assert [s for r in reports for s in r.steps] == list(range(1, held_again + 1))  # resumed where it held


def test_a_new_learning_rate_takes_effect_while_it_runs(process):
    control = process.control()
    reports, _, thread = run_in_thread(process, config(10**6, lr=0.01), control)
    wait_for(lambda: len(reports) > 1, what="reports")
    control.new_lr = 0.005
    wait_for(lambda: reports[-1].lr == 0.005, what="the new learning rate")
    control.stop()
    thread.join(HANG_GUARD)


def test_a_checkpoint_holds_the_last_runs_weights(process, tmp_path):
    import torch

    process.run(config(20, hidden=(8, 4)), process.control(), lambda report: None)
    process.save_checkpoint(tmp_path / "checkpoint.pt")
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    assert state["step"] == 20 and state["config"]["hidden"] == [8, 4] and "state" in state["optimizer"]
    assert tuple(state["model"]["0.weight"].shape) == (8, 2) and tuple(state["model"]["2.weight"].shape) == (4, 8)
    with pytest.raises(CheckpointError, match="No such file|directory"):
        process.save_checkpoint(tmp_path / "missing" / "checkpoint.pt")


def test_a_run_that_cannot_be_built_ends_with_the_reason_and_leaves_nothing_to_save(process, tmp_path):
    final = process.run(config(10, hidden=(-1,)), process.control(), lambda report: None)  # on any machine
    assert final.done and final.reason == "error" and "--hidden" in final.message
    with pytest.raises(CheckpointError, match="no run"):
        process.save_checkpoint(tmp_path / "checkpoint.pt")


def test_a_killed_process_ends_the_run_with_a_message_and_the_next_run_starts_a_new_one(tmp_path):
    process = TrainingProcess(log_path=tmp_path / "training.log")
    try:
        control = process.control()
        reports, _, thread = run_in_thread(process, config(10**6), control)
        wait_for(lambda: len(reports) > 2, what="training")
        first = process.pid()
        os.kill(first, signal.SIGKILL)
        thread.join(HANG_GUARD)
        assert not thread.is_alive()
        final = reports[-1]
        assert final.reason == "error" and "training process ended: it was killed" in final.message
        before = reports[-2]  # the last report the process sent: its figures stay on screen
        assert final.losses == [] and final.step_count == before.step_count and final.steps_per_s == before.steps_per_s
        final = process.run(config(30), process.control(), lambda report: None)
        assert final.reason == "finished" and process.pid() not in (None, first)
    finally:
        process.shutdown()


def test_shutdown_ends_the_process_even_mid_run(tmp_path):
    process = TrainingProcess(log_path=tmp_path / "training.log")
    control = process.control()
    reports, _, thread = run_in_thread(process, config(10**6), control)
    wait_for(lambda: len(reports) > 2, what="training")
    child = process._process
    process.shutdown()
    assert child.poll() is not None  # shutdown returns once the process has ended
    thread.join(HANG_GUARD)
    assert not thread.is_alive() and reports[-1].done  # the waiting run was told, not left hanging
