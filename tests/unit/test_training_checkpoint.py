"""Checkpoints: they hold the run's config, step, model and optimizer, rebuild it, and resume it."""

from __future__ import annotations

import json

import pytest

import torch

from tui.cli import main
from tui.core.training import checkpoint
from tui.core.training.config import TrainConfig
from tui.core.training.engine import Trainer


def trained(steps: int, **changes) -> Trainer:
    trainer = Trainer(TrainConfig(steps=steps, hidden=(16, 8), device="cpu", **changes))
    trainer.run(lambda report: None)
    return trainer


def test_a_checkpoint_holds_format_config_step_model_and_optimizer(tmp_path):
    trainer = trained(30, activation="tanh", optimizer="adamw")
    checkpoint.save(trainer, tmp_path / "checkpoint.pt")
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)  # plain values and tensors only
    assert set(state) == {"format", "config", "step", "model", "optimizer"}
    assert state["format"] == checkpoint.FORMAT and state["step"] == 30
    assert state["config"]["hidden"] == [16, 8] and state["config"]["activation"] == "tanh"


def test_the_model_is_rebuilt_from_the_checkpoint_alone(tmp_path):
    trainer = trained(30)
    checkpoint.save(trainer, tmp_path / "checkpoint.pt")
    saved = checkpoint.load(tmp_path / "checkpoint.pt")
    assert saved.config == trainer.config and saved.step == 30
    rebuilt = Trainer(saved.config)
    rebuilt.restore(saved.model, saved.optimizer, saved.step)
    x = torch.randn(7, 2)
    assert torch.equal(rebuilt.model(x), trainer.model(x))


def test_resuming_continues_like_the_run_that_was_never_stopped(tmp_path):
    """Weights and Adam's moments come back: the next step is the one the original run would take
    on the same batch (the data order is not saved, so the batch is given here)."""
    original = trained(20)
    checkpoint.save(original, tmp_path / "checkpoint.pt")
    saved = checkpoint.load(tmp_path / "checkpoint.pt")
    resumed = Trainer(saved.config)
    resumed.restore(saved.model, saved.optimizer, saved.step)
    x, y = original.data.inputs[:64], original.data.targets[:64]
    for trainer in (original, resumed):
        trainer.optimizer.zero_grad()
        trainer.loss_fn(trainer.model(x), y).backward()
        trainer.optimizer.step()
    for a, b in zip(original.model.parameters(), resumed.model.parameters()):
        assert torch.equal(a, b)


def test_tensordojo_train_resume_trains_from_the_saved_step(tmp_path, capsys):
    checkpoint.save(trained(40), tmp_path / "checkpoint.pt")
    assert main(["train", "--resume", str(tmp_path / "checkpoint.pt"), "--steps", "60", "--jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["step"] for line in lines[:-1]] == list(range(41, 61))
    assert lines[-1]["event"] == "done" and lines[-1]["steps"] == 60


@pytest.mark.parametrize("content, needle", [
    (None, "no such file"),
    (b"not a torch file", "is not a checkpoint torch can read"),
    ("state_dict", "holds weights only"),
    ("bad-config", "not valid here"),
])
def test_a_file_that_is_not_a_checkpoint_is_refused_with_why(tmp_path, capsys, content, needle):
    path = tmp_path / "checkpoint.pt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "state_dict":
        torch.save(trained(2).model.state_dict(), path)
    elif content == "bad-config":
        trainer = trained(2)
        checkpoint.save(trainer, path)
        state = torch.load(path, weights_only=True)
        state["config"]["optimizer"] = "lbfgs"
        torch.save(state, path)
    assert main(["train", "--resume", str(path)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_resuming_a_run_already_at_its_last_step_says_to_give_more_steps(tmp_path, capsys):
    checkpoint.save(trained(10), tmp_path / "checkpoint.pt")
    assert main(["train", "--resume", str(tmp_path / "checkpoint.pt")]) == 2
    assert "already at step 10 of 10: give --steps above 10" in capsys.readouterr().err
