"""The data-parallel lesson's exercises, graded on real gloo groups of 2 and 3 processes: what passes, what fails and why."""

from __future__ import annotations

from tests.grading.test_exercises import EXERCISES, grade
from tui.core.grading.lookup import full_id

STARTERS = {full_id(lesson, step): step for lesson, step in EXERCISES if lesson.id == "data-parallel"}

SUMMED = """
import torch.distributed as dist

def average_gradients(model):
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)
"""
CHUNKED = """
import torch.distributed as dist

def my_shard(samples):
    rank, world = dist.get_rank(), dist.get_world_size()
    size = -(-len(samples) // world)
    return samples[rank * size:(rank + 1) * size]
"""
HALVED = """
import torch.distributed as dist

def average_gradients(model):
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)
            p.grad /= 2
"""
EVERY_OTHER = """
import torch.distributed as dist

def my_shard(samples):
    return samples[dist.get_rank()::2]
"""
FIXED_HALF = """
def my_shard(samples):
    return samples[:len(samples) // 2]
"""


def test_the_references_pass_and_the_starters_fail(grader):
    assert set(STARTERS) == {"data-parallel.average-gradients", "data-parallel.my-shard"}
    for exercise_id, step in STARTERS.items():
        assert grade(grader, exercise_id, step.reference).passed, exercise_id
        report = grade(grader, exercise_id, step.starter)
        assert not report.passed, exercise_id


def test_summing_without_dividing_is_named(grader):
    report = grade(grader, "data-parallel.average-gradients", SUMMED)
    messages = " ".join(result.message for result in report.results if not result.passed)
    assert not report.passed and "SUM" in messages and "divide by the world size" in messages


def test_the_starter_that_skips_none_badly_is_told_about_the_frozen_layer(grader):
    report = grade(grader, "data-parallel.average-gradients", STARTERS["data-parallel.average-gradients"].starter)
    assert not report.passed and any("SUM" in result.message or "None" in result.message
                                     for result in report.results if not result.passed)


def test_contiguous_shards_pass_and_a_fixed_half_is_refused(grader):
    assert grade(grader, "data-parallel.my-shard", CHUNKED).passed
    report = grade(grader, "data-parallel.my-shard", FIXED_HALF)
    messages = " ".join(result.message for result in report.results if not result.passed)
    assert not report.passed and ("went to no rank" in messages or "same shard" in messages)


def test_a_world_size_written_as_2_is_refused_on_three_ranks(grader):
    report = grade(grader, "data-parallel.average-gradients", HALVED)
    messages = " ".join(result.message for result in report.results if not result.passed)
    assert not report.passed and "not a fixed number" in messages
    report = grade(grader, "data-parallel.my-shard", EVERY_OTHER)
    messages = " ".join(result.message for result in report.results if not result.passed)
    assert not report.passed and "3 ranks" in messages


def test_a_none_gradient_passed_to_all_reduce_is_explained(grader):
    report = grade(grader, "data-parallel.average-gradients", STARTERS["data-parallel.average-gradients"].starter)
    messages = " ".join(result.message for result in report.results if not result.passed)
    assert "skip a parameter whose .grad is None" in messages
