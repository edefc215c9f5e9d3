"""Every optimizer and activation the training view and ``train`` offer builds what it says and learns;
a run that runs out of memory ends with advice instead of a traceback."""

from __future__ import annotations

import pytest
import torch

from tui.core.training.config import ACTIVATIONS, OPTIMIZERS, TrainConfig
from tui.core.training.engine import Trainer

EXPECTED_OPTIMIZER = {"sgd": (torch.optim.SGD, 0), "momentum": (torch.optim.SGD, 0.9),
                      "adam": (torch.optim.Adam, None), "adamw": (torch.optim.AdamW, None)}
EXPECTED_ACTIVATION = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
                       "gelu": torch.nn.GELU, "leaky_relu": torch.nn.LeakyReLU}


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_the_tables_here_cover_every_option_offered():
    assert set(EXPECTED_OPTIMIZER) == set(OPTIMIZERS) and set(EXPECTED_ACTIVATION) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_is_the_one_named_and_the_loss_falls(name):
    trainer = Trainer(TrainConfig(dataset="moons", hidden=(8,), optimizer=name, lr=0.05, batch_size=32, steps=60,
                                  device="cpu"))
    kind, momentum = EXPECTED_OPTIMIZER[name]
    assert type(trainer.optimizer) is kind
    if momentum is not None:
        assert trainer.optimizer.param_groups[0]["momentum"] == momentum
    trainer.run(lambda report: None)
    assert mean(trainer.history[-10:]) < 0.9 * mean(trainer.history[:10])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_each_activation_sits_between_the_layers_and_the_loss_falls(name):
    trainer = Trainer(TrainConfig(dataset="moons", hidden=(8, 8), activation=name, lr=0.05, batch_size=32, steps=60,
                                  device="cpu"))
    layers = list(trainer.model)
    assert [type(layer) for layer in layers[1::2]] == [EXPECTED_ACTIVATION[name]] * 2
    assert all(isinstance(layer, torch.nn.Linear) for layer in layers[0::2])
    trainer.run(lambda report: None)
    assert mean(trainer.history[-10:]) < 0.9 * mean(trainer.history[:10])


def test_running_out_of_memory_ends_the_run_with_what_to_change(monkeypatch):
    trainer = Trainer(TrainConfig(hidden=(8,), batch_size=128, steps=50, device="cpu"))
    steps = []

    def step():
        if len(steps) == 3:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        steps.append(1)
        return torch.tensor(1.0)

    monkeypatch.setattr(trainer, "_make_step", lambda: step)
    reports = []
    final = trainer.run(reports.append)
    assert final.done and final.reason == "oom" and reports[-1] is final
    assert "ran out of memory at batch size 128" in final.message and "--batch-size 64" in final.message
    assert "--device cpu" in final.message


def test_another_failure_ends_the_run_with_its_name():
    trainer = Trainer(TrainConfig(hidden=(8,), steps=50, device="cpu"))
    trainer._make_step = lambda: (lambda: (_ for _ in ()).throw(ValueError("a bad batch")))
    final = trainer.run(lambda report: None)
    assert final.reason == "error" and final.message == "Training stopped: ValueError: a bad batch"
