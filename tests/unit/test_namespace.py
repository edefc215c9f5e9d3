"""Describing a namespace for the inspector: every kind, and the awkward cases the table must survive."""

from __future__ import annotations

import numpy as np
import torch

from tui.core.namespace import MAX_VARIABLES, describe_detail, describe_module, describe_namespace, kind_of

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
    assert detail["stats"]["min"] == 0 and detail["stats"]["max"] == 1_999_999
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
