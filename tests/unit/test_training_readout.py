"""What the training view and ``tensordojo train`` show: accuracy on a fair sample, the loss's digits,
the decision map's room and data points, torch's thread count."""

from __future__ import annotations

import pytest

import torch

from tui.core.training.config import TrainConfig
from tui.core.training.engine import EVAL_SAMPLES, Trainer
from tui.core.training.readout import format_loss
from tui.widgets.training.render import boundary_map


class _AlwaysClass(torch.nn.Module):
    """A model that predicts class ``label`` for every input."""

    def __init__(self, label: int) -> None:
        super().__init__()
        self.label = label

    def forward(self, x):
        logits = torch.zeros(len(x), 2)
        logits[:, self.label] = 1.0
        return logits


@pytest.mark.parametrize("dataset", ["spirals", "moons", "circles"])
def test_accuracy_is_measured_on_both_classes_of_class_sorted_data(dataset):
    trainer = Trainer(TrainConfig(dataset=dataset, samples=4096, steps=1, device="cpu"))
    labels = trainer.data.targets
    assert bool((labels[:EVAL_SAMPLES] == 0).all())  # the data is stored sorted by class
    sample = labels[trainer.eval_index]
    assert len(sample) == EVAL_SAMPLES and 0.4 < float(sample.float().mean()) < 0.6  # both classes in the sample
    for label in (0, 1):
        trainer.model = _AlwaysClass(label)
        assert trainer.accuracy() == pytest.approx(float((sample == label).float().mean()))
        assert 0.4 < trainer.accuracy() < 0.6  # a constant guess scores about half, not 100%


def test_the_evaluation_sample_is_the_same_for_a_seed_and_another_for_another_seed():
    first, second = Trainer(TrainConfig(steps=5, device="cpu")), Trainer(TrainConfig(steps=5, device="cpu"))
    assert torch.equal(first.eval_index, second.eval_index)
    assert not torch.equal(first.eval_index, Trainer(TrainConfig(steps=5, device="cpu", seed=1)).eval_index)


@pytest.mark.parametrize("value, shown", [(0.693147, "0.693"), (24.61, "24.6"), (3e-4, "3.00e-04"), (0.5, "0.500"),
                                          (0.012345, "0.0123"), (123456.0, "1.23e+05"), (0.0, "0"), (None, "—"),
                                          (float("nan"), "nan"), (float("inf"), "inf")])
def test_a_loss_is_shown_in_three_significant_figures(value, shown):
    assert format_loss(value) == shown


def test_a_small_loss_never_reads_zero():
    for exponent in range(-12, -3):
        text = format_loss(3 * 10.0**exponent)
        assert text.startswith("3.00e-") and float(text) == pytest.approx(3 * 10.0**exponent)


def test_the_decision_map_is_repeated_up_to_fill_a_large_room():
    grid = [[0, 1], [1, 0]]
    lines = boundary_map(grid, width=8, height=5).plain.splitlines()
    assert lines[:4] == ["····xxxx", "····xxxx", "xxxx····", "xxxx····"]
    assert lines[4].startswith("predicted class")


def test_data_points_are_drawn_as_their_class_where_they_lie():
    grid = [[0] * 10 for _ in range(5)]
    points = [(0.0, 0.0, 1), (1.0, 1.0, 0), (0.5, 0.5, 1)]
    lines = boundary_map(grid, width=10, height=6, points=points).plain.splitlines()
    assert lines[0][0] == "1" and lines[4][9] == "0" and lines[2][round(0.5 * 9)] == "1"
    assert sum(line.count("·") for line in lines[:5]) == 47


def test_the_trainer_sends_points_on_the_grid_with_their_classes():
    trainer = Trainer(TrainConfig(dataset="moons", steps=1, device="cpu"))
    points = trainer.points
    assert points and all(0 <= u <= 1 and 0 <= v <= 1 and c in (0, 1) for u, v, c in points)
    assert {c for _, _, c in points} == {0, 1}
    assert Trainer(TrainConfig(dataset="toy", steps=1, device="cpu")).points is None  # 3-D inputs: no map


def test_headless_training_uses_one_torch_thread_unless_omp_num_threads_says(monkeypatch):
    from tui.core.training.device import set_training_threads

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        assert set_training_threads() == 1 == torch.get_num_threads()
        torch.set_num_threads(2)
        monkeypatch.setenv("OMP_NUM_THREADS", "2")
        assert set_training_threads() == 2
    finally:
        torch.set_num_threads(before)
