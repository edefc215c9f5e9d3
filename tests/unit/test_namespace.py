"""Describing a namespace for the inspector: every kind, and the awkward cases the table must survive."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from tui.core.repl.namespace import (
    MAX_VARIABLES,
    SAMPLE_LIMIT,
    describe_detail,
    describe_module,
    describe_namespace,
    kind_of,
    sample_steps,
)

nn = torch.nn


class ReprRaises:
    def __repr__(self):
        raise RuntimeError("no repr for you")


def test_kinds_and_hidden_names():
    ns = {"t": torch.ones(2), "p": nn.Parameter(torch.ones(2)), "a": np.zeros(3), "m": nn.Linear(2, 3),
          "opt": torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1), "_private": torch.ones(1),
          "torch": torch, "n": 5, "odd": ReprRaises()}
    rows = {row["name"]: row for row in describe_namespace(ns)["variables"]}
    assert {name: row["kind"] for name, row in rows.items()} == {
        "t": "tensor", "p": "parameter", "a": "ndarray", "m": "module", "opt": "optimizer"}
    assert rows["m"]["parameters"] == 9 and kind_of(ReprRaises()) is None


def test_grad_facts_and_no_warning_for_non_leaf_tensors(recwarn):
    w = torch.ones(3, requires_grad=True)
    y = (w * 2).sum()
    y.backward()
    rows = {row["name"]: row for row in describe_namespace({"w": w, "y": y})["variables"]}
    assert rows["w"]["grad"] == [3] and rows["w"]["requires_grad"] is True
    assert rows["y"]["grad"] is None and rows["y"]["grad_fn"] == "SumBackward0"
    assert not [w for w in recwarn if "non-leaf" in str(w.message)]


def test_many_variables_are_capped_with_a_count():
    ns = {f"v{i:04d}": torch.ones(1) for i in range(MAX_VARIABLES + 7)}
    described = describe_namespace(ns)
    assert len(described["variables"]) == MAX_VARIABLES and described["hidden"] == 7


def test_detail_of_a_big_tensor_sends_statistics_and_a_small_sample_only():
    big = torch.arange(2_000_000, dtype=torch.float32).reshape(1000, 2000)
    detail = describe_detail("big", big)
    assert detail["numel"] == 2_000_000 and detail["bytes"] == 8_000_000
    stats = detail["stats"]
    assert 0 < stats["sample"] <= SAMPLE_LIMIT
    # An evenly spaced sample: it starts at the first value and reaches near the last.
    assert stats["min"] == 0 and 1_900_000 < stats["max"] <= 1_999_999 and 900_000 < stats["mean"] < 1_100_000
    assert len(detail["heat"]) <= 12 and all(len(row) <= 24 for row in detail["heat"])
    assert "first rows and columns only" in detail["preview"] and len(detail["preview"]) < 2000


def test_nan_inf_and_non_contiguous():
    t = torch.tensor([[1.0, float("nan")], [float("inf"), 4.0]]).T
    detail = describe_detail("t", t)
    assert detail["stats"]["nan"] == 1 and detail["stats"]["inf"] == 1 and detail["stats"]["max"] == 4.0
    assert detail["contiguous"] is False and detail["stride"] == [1, 2]


def test_meta_and_sparse_tensors_say_what_they_cannot_show():
    meta = describe_detail("m", torch.empty(2, 3, device="meta"))
    assert meta["shape"] == [2, 3] and "meta" in meta["note"] and "stats" not in meta
    sparse = describe_detail("s", torch.eye(3).to_sparse())
    assert sparse["shape"] == [3, 3] and sparse["note"]


def test_integer_and_bool_tensors_get_statistics():
    assert describe_detail("i", torch.arange(5))["stats"]["mean"] == 2.0
    assert describe_detail("b", torch.tensor([True, False]))["stats"]["max"] == 1.0


def test_a_module_that_has_not_run_lists_layers_without_outputs():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    described = describe_module(model)
    assert described["total"] == 101_770 and described["trainable"] == 101_770
    assert [(layer["name"], layer["count"], layer["output"]) for layer in described["layers"]] == [
        ("0", 100_480, None), ("1", 0, None), ("2", 1_290, None)]
    assert described["layers"][0]["params"] == [("weight", [128, 784], 100_352), ("bias", [128], 128)]


def test_a_small_tensor_gets_exact_statistics_not_a_sample():
    stats = describe_detail("t", torch.arange(1000.0))["stats"]
    assert "sample" not in stats and stats["max"] == 999.0


@pytest.mark.parametrize("shape", [[10**6], [3000, 3000], [256, 1024, 1024], [1, 1, 10**7], [7]])
def test_sample_steps_keep_at_most_the_limit_and_thin_every_long_axis(shape):
    steps = sample_steps(shape)
    kept = [-(-size // step) for size, step in zip(shape, steps)]
    product = 1
    for count in kept:
        product *= count
    assert product <= SAMPLE_LIMIT
    assert product > SAMPLE_LIMIT // 2 ** len(shape) or steps == [1] * len(shape)


_MEMORY_PROBE = """
import resource, torch
from tui.core.repl.namespace import describe_detail
describe_detail("warm", torch.ones(300, 300))  # first-use costs (printing, kernels) are not the tensor's
big = torch.ones(64, 1024, 1024)  # 256 MB, every page written
big[0, 0, 1] = float("nan")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
detail = describe_detail("big", big)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(after - before, detail["stats"]["sample"], detail["preview"].count("\\n"))
"""


def test_the_detail_of_a_huge_tensor_costs_little_extra_memory():
    # The peak resident size of a fresh process: the old code's temporaries (a float copy, masks,
    # the finite values) cost about 3.4 times the tensor; a sample costs well under 10 MB.
    probe = subprocess.run([sys.executable, "-c", _MEMORY_PROBE], capture_output=True, text=True, check=True)
    grown_kb, sample, _ = (int(x) for x in probe.stdout.split())
    assert grown_kb < 10 * 1024, f"describing a 256 MB tensor grew the process by {grown_kb} KB"
    assert 0 < sample <= SAMPLE_LIMIT


def test_the_learners_own_module_and_optimizer_subclasses_are_listed():
    class ToyModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(4, 8)
            self.out = nn.Linear(8, 2)

        def forward(self, x):
            return self.out(torch.relu(self.hidden(x)))

    class MyTensor(torch.Tensor):
        pass

    model = ToyModel()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    rows = {row["name"]: row for row in describe_namespace({"model": model, "opt": opt, "mine": torch.ones(2).as_subclass(MyTensor)})["variables"]}
    assert (rows["model"]["kind"], rows["model"]["type"], rows["model"]["parameters"]) == ("module", "ToyModel", 4 * 8 + 8 + 8 * 2 + 2)
    assert (rows["opt"]["kind"], rows["opt"]["type"]) == ("optimizer", "Adam")
    assert rows["mine"]["kind"] == "tensor"
    layers = describe_module(model)["layers"]
    assert [(layer["name"], layer["type"], layer["count"]) for layer in layers] == [("hidden", "Linear", 40), ("out", "Linear", 18)]


def test_an_optimizer_detail_says_what_it_updates_and_how():
    params = [nn.Parameter(torch.ones(3, 2)), nn.Parameter(torch.ones(2))]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    detail = describe_detail("opt", opt)
    assert detail["kind"] == "optimizer" and detail["type"] == "SGD" and detail["stepped"] is False
    (group,) = detail["groups"]
    assert (group["tensors"], group["values"]) == (2, 8)
    assert group["settings"]["lr"] == 0.1 and group["settings"]["momentum"] == 0.9
    assert "note" not in detail
