"""The stepper's engine and scenarios: the numbers the lessons promise, and an honest timeline."""

from __future__ import annotations

import pytest
import torch

from tui.core.stepper import SCENARIOS, Stepper, make_scenario


def grads(stepper: Stepper, actions: list[str], name: str = "x") -> list[str]:
    return [stepper.act(action).row(name).grad for action in actions]


def test_scalar_accumulates_12_24_36_and_zero_grad_gives_0():
    stepper = Stepper(make_scenario("scalar"))
    assert stepper.current.row("x").grad == "None"
    assert grads(stepper, ["backward", "backward", "backward", "zero_grad"]) == [
        "tensor([12.])", "tensor([24.])", "tensor([36.])", "tensor([0.])"]
    assert "ADDED" in stepper.timeline[2].message and stepper.timeline[2].code == "y = 3 * x * x\ny.backward()"


def test_vector_gradient_is_2x_plus_1_and_accumulates():
    stepper = Stepper(make_scenario("vector"))
    assert grads(stepper, ["backward", "backward"]) == ["tensor([5., 7., 9.])", "tensor([10., 14., 18.])"]


def test_moving_back_shows_the_earlier_state_exactly_and_a_new_action_branches():
    stepper = Stepper(make_scenario("scalar"))
    grads(stepper, ["backward", "backward", "zero_grad"])
    assert stepper.back().row("x").grad == "tensor([24.])"
    assert stepper.back().row("x").grad == "tensor([12.])"
    assert stepper.forward().row("x").grad == "tensor([24.])"
    stepper.back()
    branched = stepper.act("backward")  # from 12: a new branch, the old 24 and 0 are dropped
    assert branched.row("x").grad == "tensor([24.])" and stepper.branches == 1
    assert [s.label for s in stepper.timeline] == ["start", "backward", "backward"]
    assert stepper.act("backward").row("x").grad == "tensor([36.])"  # the live tensors followed the branch


def test_a_refused_action_is_explained_and_does_not_corrupt_the_timeline():
    stepper = Stepper(make_scenario("scalar"))
    refused = stepper.act("zero_grad")
    assert refused.error and "nothing to zero" in refused.error and refused.actions == ()
    assert stepper.act("backward").row("x").grad == "tensor([12.])"


def test_backward_twice_through_a_freed_graph_is_pytorchs_error_with_an_explanation():
    stepper = Stepper(make_scenario("training"))
    stepper.act("forward")
    first = stepper.act("backward").row("0.weight").grad
    failed = stepper.act("backward")
    assert "backward through the graph a second time" in failed.error
    assert "run the forward pass again" in failed.message
    assert failed.row("0.weight").grad == first
    stepper.act("forward")
    assert "ADDED" in stepper.act("backward").message


def test_training_step_before_backward_is_refused_and_step_changes_the_weights():
    stepper = Stepper(make_scenario("training"))
    assert "no parameter has a .grad" in stepper.act("step").error
    stepper.act("forward")
    stepper.act("backward")
    before = stepper.current.row("2.bias").value
    stepped = stepper.act("step")
    assert stepped.row("2.bias").value != before and "2.bias" in stepped.changed
    assert stepper.act("zero_grad").row("2.bias").grad == "None"


def test_micro_batches_match_the_full_batch_only_when_the_loss_is_divided_by_k():
    stepper = Stepper(make_scenario("micro"))
    for _ in range(4):
        snapshot = stepper.act("backward")
    assert snapshot.view.numbers["scaled_diff"] < 1e-6
    assert snapshot.view.numbers["unscaled_ratio"] == pytest.approx(4.0, rel=1e-5)
    assert "4.00 times" in snapshot.message
    assert "All 4 micro-batches are in" in stepper.act("backward").error


def test_the_graph_marks_leaves_and_their_gradients():
    stepper = Stepper(make_scenario("scalar"))
    graph = stepper.act("forward").view.graph
    assert graph[0] == "MulBackward0" and any("x (1,) leaf · requires_grad · .grad is None" in line for line in graph)


def test_every_scenario_resets_to_the_same_numbers():
    for key in SCENARIOS:
        first, second = Stepper(make_scenario(key)), Stepper(make_scenario(key))
        assert first.current.view.rows == second.current.view.rows
    with pytest.raises(KeyError, match="the scenarios are"):
        make_scenario("nope")


def test_the_graph_draws_siblings_with_a_tee_and_the_last_with_an_elbow():
    graph = Stepper(make_scenario("training")).act("forward").view.graph
    for depth_lines in _children_by_parent(graph).values():
        assert all(line.lstrip(" │").startswith("├ ") for line in depth_lines[:-1]), graph
        assert depth_lines[-1].lstrip(" │").startswith("└ "), graph
    assert any("├ " in line for line in graph), graph  # addmm has three inputs: siblings


def test_the_steppers_own_rules_are_not_called_pytorchs_errors():
    rule = Stepper(make_scenario("scalar")).act("zero_grad")
    assert rule.error and not rule.by_torch
    stepper = Stepper(make_scenario("training"))
    stepper.act("forward"), stepper.act("backward")
    assert stepper.act("backward").by_torch  # the freed graph: PyTorch's own error


def _children_by_parent(graph: list[str]) -> dict[int, list[str]]:
    """Lines grouped by the index of their parent line (the nearest line above with less indentation)."""
    def depth(line: str) -> int:
        return (len(line) - len(line.lstrip(" │├└"))) // 2

    groups: dict[int, list[str]] = {}
    for index, line in enumerate(graph[1:], 1):
        parent = next(i for i in range(index - 1, -1, -1) if depth(graph[i]) < depth(line))
        groups.setdefault(parent, []).append(line)
    return groups


def test_two_ranks_all_reduce_gives_both_ranks_the_full_batch_gradient_and_keeps_them_identical():
    stepper = Stepper(make_scenario("two-ranks"))
    stepper.act("backward")
    first = stepper.act("backward")
    assert first.view.numbers["done"] == 2
    rows = first.view.rows
    assert all(row.grad.split("  ·  ")[0] != row.grad.split("  ·  ")[1] for row in rows)  # shards differ
    assert stepper.act("step").error is None
    after = stepper.current.view
    assert after.numbers["weights_equal"] == 1.0
    gap = float(after.extra[-1].rsplit("= ", 1)[1])
    assert gap < 1e-6  # the mean of the shard gradients is the full batch's
    assert stepper.act("backward").error is not None  # zero_grad first
    stepper.act("zero_grad")
    assert stepper.act("step").error is not None  # all_reduce waits for both ranks
