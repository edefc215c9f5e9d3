"""The training engine: reproducible, learning, accumulation, control, NaN, devices, options."""

from __future__ import annotations

import json
import sys
import threading

import pytest

import torch

from tui.cli import main
from tui.core.training.config import ConfigError, TrainConfig, parse_hidden
from tui.core.training.data import make_dataset
from tui.core.training.device import DeviceUnavailable, pick_device
from tui.core.training.engine import RunControl, Trainer


def losses(config: TrainConfig) -> list[float]:
    trainer = Trainer(config)
    trainer.run(lambda report: None)
    return trainer.history


def test_a_seeded_run_reproduces_exactly():
    config = TrainConfig(steps=60, device="cpu", seed=3)
    assert losses(config) == losses(config)
    assert losses(config) != losses(TrainConfig(steps=60, device="cpu", seed=4))


@pytest.mark.parametrize("dataset", ["toy", "spirals", "moons", "circles", "xor"])
def test_the_loss_falls_on_every_dataset(dataset):
    history = losses(TrainConfig(dataset=dataset, steps=300, device="cpu"))
    assert len(history) == 300
    assert sum(history[-20:]) / 20 < 0.6 * sum(history[:20]) / 20


def test_accumulating_k_micro_batches_equals_the_full_batch_gradient():
    full = Trainer(TrainConfig(steps=1, batch_size=64, accum=1, device="cpu", optimizer="sgd"))
    split = Trainer(TrainConfig(steps=1, batch_size=64, accum=4, device="cpu", optimizer="sgd"))
    index = torch.arange(64)
    x, y = full.data.inputs[index], full.data.targets[index]
    full.loss_fn(full.model(x), y).backward()
    for chunk in index.split(16):
        (split.loss_fn(split.model(x[chunk]), y[chunk]) / 4).backward()
    for (_, a), (_, b) in zip(full.model.named_parameters(), split.model.named_parameters()):
        assert torch.allclose(a.grad, b.grad, atol=1e-6)


@pytest.mark.parametrize("accum", [1, 2])
def test_the_engine_steps_like_a_tutorial_loop_that_calls_zero_grad(accum):
    """The engine clears gradients its own (cheaper) way: the parameters after a few steps must be
    those of the plain loop, or gradients leaked from one step into the next."""
    config = TrainConfig(steps=5, batch_size=32, accum=accum, device="cpu", optimizer="adam", seed=7)
    engine, tutorial = Trainer(config), Trainer(config)
    engine.run(lambda report: None)
    data, micro = tutorial.data, 32 // accum
    for _ in range(5):
        tutorial.optimizer.zero_grad()
        for _ in range(accum):
            index = torch.randint(0, data.inputs.shape[0], (micro,), generator=tutorial.generator)
            (tutorial.loss_fn(tutorial.model(data.inputs[index]), data.targets[index]) / accum).backward()
        tutorial.optimizer.step()
    for (name, a), (_, b) in zip(engine.model.named_parameters(), tutorial.model.named_parameters()):
        assert torch.allclose(a, b, rtol=0, atol=1e-7), name


def test_reports_hold_every_step_once_and_the_last_one_is_done():
    reports = []
    trainer = Trainer(TrainConfig(steps=500, device="cpu"))
    final = trainer.run(reports.append, every=0.001)
    steps = [s for r in reports for s in r.steps]
    assert steps == list(range(1, 501)) and final.done and final.reason == "finished"
    assert len(reports) > 2 and any(r.accuracy is not None for r in reports) and final.accuracy is not None
    assert any(r.boundary for r in reports) and set(final.grad_norms) == {"0", "2", "4"}


def test_pause_resume_stop_and_a_new_learning_rate():
    control = RunControl()
    trainer = Trainer(TrainConfig(steps=10**6, device="cpu", optimizer="sgd", lr=0.1))
    seen, held = [], []

    def resume_once_held():
        held.append(trainer.step_count)  # the loop waits in the hold, so this cannot move
        control.resume()

    def report(r):
        seen.append(r)
        if len(seen) == 2:
            control.new_lr = 0.05
        if len(seen) == 3:
            control.pause()
        if r.paused:
            threading.Thread(target=resume_once_held).start()
        if held and r.step_count > held[0]:  # steps again after the resume
            control.stop()

    final = trainer.run(report, control, every=0.01)
    paused = [r for r in seen if r.paused]
    assert len(paused) == 1 and held == [paused[0].step_count]
    after = seen[seen.index(paused[0]) + 1]
    assert after.steps[0] == held[0] + 1  # it went on from where it held, no step lost or repeated
    assert final.reason == "stopped" and final.step_count > held[0]
    assert trainer.optimizer.param_groups[0]["lr"] == 0.05 and final.lr == 0.05


def test_a_pause_holds_the_steps_until_stopped():
    control = RunControl()
    trainer = Trainer(TrainConfig(steps=10**6, device="cpu", optimizer="sgd", lr=0.1))
    held = []

    def stop_while_held():
        held.append(trainer.step_count)
        control.stop()

    def report(r):
        if not held and trainer.step_count > 0 and not control.paused:
            control.pause()
        if r.paused:
            threading.Thread(target=stop_while_held).start()

    final = trainer.run(report, control, every=0.01)
    assert final.reason == "stopped" and final.steps == [] and final.step_count == held[0] == trainer.step_count


def test_the_report_counts_the_cpu_time_of_the_training_thread_only(monkeypatch):
    """``cpu_seconds`` against ``elapsed`` says how much of the run could work (the benchmark reports
    it); it must be the loop thread's time, not the process's (torch's other threads, the UI)."""
    import tui.core.training.engine as engine

    readings = iter([50.0])
    monkeypatch.setattr(engine.time, "thread_time", lambda: next(readings, 50.25))
    monkeypatch.setattr(engine.time, "process_time", lambda: 1000.0)
    final = Trainer(TrainConfig(steps=30, device="cpu")).run(lambda r: None)
    assert final.cpu_seconds == 0.25 and final.elapsed > 0


def test_a_nan_loss_stops_the_run_with_a_message():
    trainer = Trainer(TrainConfig(steps=100, device="cpu"))
    real = trainer.loss_fn
    trainer.loss_fn = lambda out, y: real(out, y) * (float("nan") if trainer.step_count >= 5 else 1.0)
    final = trainer.run(lambda r: None, every=0.0)
    assert final.reason == "nan" and "step 6" in final.message and "Lower the learning rate" in final.message


@pytest.fixture
def machine(monkeypatch):
    """Pretend the machine has CUDA and/or MPS: ``machine(cuda=..., mps=...)``, whatever it really has."""

    def have(cuda: bool, mps: bool) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Test GPU")
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return have


@pytest.mark.parametrize("cuda, mps, picked", [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")])
def test_auto_picks_cuda_then_mps_then_the_cpu(machine, cuda, mps, picked):
    machine(cuda=cuda, mps=mps)
    device, name = pick_device("auto")
    assert device.type == picked
    assert name == {"cuda": "cuda:0 (Test GPU)", "mps": "mps", "cpu": "cpu"}[picked]


@pytest.mark.parametrize("asked, needle", [("cuda", "no CUDA GPU is available"), ("mps", "MPS backend is not available")])
def test_a_device_that_is_not_there_is_refused_with_what_to_use(machine, asked, needle):
    machine(cuda=False, mps=False)
    with pytest.raises(DeviceUnavailable, match=needle) as refused:
        pick_device(asked)
    assert "--device cpu" in str(refused.value)
    assert pick_device("cpu")[1] == "cpu"


def test_options_are_checked_and_named():
    assert parse_hidden("64, 32") == (64, 32)
    with pytest.raises(ConfigError, match="--hidden '64,,x'"):
        parse_hidden("64,,x")
    problems = TrainConfig(lr=-1, batch_size=0, dataset="nope", device="tpu").problems()
    text = " ".join(problems)
    for needle in ("--lr -1", "--batch-size 0", "--dataset 'nope'", "--device 'tpu'"):
        assert needle in text
    assert "--accum 3: must divide --batch-size 256" in TrainConfig(accum=3).problems()[0]


def test_datasets_are_seeded_and_shaped():
    a, b = make_dataset("moons", 100, 1), make_dataset("moons", 100, 1)
    assert torch.equal(a.inputs, b.inputs) and a.inputs.shape == (100, 2) and a.two_d
    toy = make_dataset("toy", 50)
    assert toy.inputs.shape == (50, 3) and toy.targets.shape == (50, 2) and toy.task == "binary"


def test_tensordojo_train_jsonl_ends_with_done_below_the_first_loss(capsys):
    assert main(["train", "--steps", "300", "--jsonl", "--device", "cpu"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 301 and lines[0]["step"] == 1
    done = lines[-1]
    assert done["event"] == "done" and done["steps"] == 300 and done["final_loss"] < lines[0]["loss"]
    assert {"elapsed_s", "steps_per_s", "device"} <= done.keys()


@pytest.mark.parametrize("args, needle", [(["--hidden", "64,,x"], "--hidden"), (["--lr", "-1"], "--lr"),
                                          (["--batch-size", "0"], "--batch-size"), (["--dataset", "mnist"], "--dataset"),
                                          (["--device", "tpu"], "--device")])
def test_tensordojo_train_bad_options_exit_2(capsys, args, needle):
    assert main(["train", *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


def test_the_boundary_map_is_sampled_to_fit_its_width():
    from tui.widgets.training.render import boundary_map

    grid = [[0] * 20 + [1] * 20 for _ in range(3)]
    lines = boundary_map(grid, width=10).plain.splitlines()
    assert [len(line) for line in lines[:3]] == [10, 10, 10]
    assert lines[0].startswith("·") and lines[0].endswith("x")


def test_the_boundary_map_is_sampled_to_fit_its_height_caption_included():
    from tui.widgets.training.render import boundary_map

    grid = [[row % 2] * 6 for row in range(21)]  # rows alternate class 0 and 1
    lines = boundary_map(grid, width=6, height=10).plain.splitlines()
    assert len(lines) == 10 and lines[-1].startswith("predicted class")
    assert lines[0] == "······" and lines[8] == "······"  # the first and last rows are kept (both class 0)
    assert len(boundary_map(grid, width=6).plain.splitlines()) == 22  # no height given: every row


def test_the_gpu_memory_share_is_checked_read_from_the_environment_and_shown(monkeypatch):
    from tui.core.training.config import TrainConfig
    from tui.core.training.engine import memory_text

    assert TrainConfig().gpu_fraction == 1.0
    monkeypatch.setenv("TENSORDOJO_GPU_FRACTION", "0.25")
    assert TrainConfig().gpu_fraction == 0.25 and TrainConfig().problems() == []
    monkeypatch.setenv("TENSORDOJO_GPU_FRACTION", "lots")
    assert TrainConfig().problems() == ["$TENSORDOJO_GPU_FRACTION='lots' is not a number; give a share of the GPU's "
                                        "memory like 0.25"]
    for bad in (0.0, 1.5, -0.1):
        assert "give a share of the GPU's memory above 0 and at most 1" in TrainConfig(gpu_fraction=bad).problems()[0]
    mib = 2**20
    assert memory_text(12 * mib, 61234 * mib, 81559 * mib, 0.25) == "12 MiB used · GPU 61,234 of 81,559 MiB free · limit 25%"
    assert memory_text(0, 10 * mib, 20 * mib, 1.0) == "0 MiB used · GPU 10 of 20 MiB free"
