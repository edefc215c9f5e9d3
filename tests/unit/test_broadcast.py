"""The broadcasting rule and its diagram (torch only to check the dimension its own message names)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.explainers.broadcast import broadcast, diagram, explain_failure


@pytest.mark.parametrize(
    "a, b, result",
    [((5, 1, 4), (3, 1), (5, 3, 4)), ((64, 3), (3,), (64, 3)), ((2, 3), (1, 1), (2, 3)),
     ((8, 1, 6), (7, 1), (8, 7, 6)), ((), (4,), (4,)), ((4, 1), (4,), (4, 4))],
)
def test_shapes_that_broadcast(a, b, result):
    assert broadcast(a, b).result == result


def test_which_dimensions_are_stretched():
    outcome = broadcast((5, 1, 4), (3, 1))
    assert outcome.stretched_a == {1} and outcome.stretched_b == {0, 2}


@pytest.mark.parametrize("a, b, dim", [((4, 3), (4,), 1), ((2, 3), (2,), 1), ((2, 4, 5), (3, 5), 1), ((8, 3), (2, 8), 1),
                                       ((2, 3, 4), (5, 6, 4), 1)])
def test_the_failing_dimension_is_named(a, b, dim):
    outcome = broadcast(a, b)
    assert not outcome.ok and outcome.failing_dim == dim


@pytest.mark.parametrize("a, b", [((8, 3), (2, 8)), ((2, 3, 4), (5, 6, 4)), ((4, 3), (4,)), ((2, 4, 5), (3, 5)),
                                  ((7, 1, 3), (2, 5, 4))])
def test_the_failing_dimension_is_the_one_pytorch_names(a, b):
    import torch

    with pytest.raises(RuntimeError) as error:
        torch.ones(a) + torch.ones(b)
    named = int(re.search(r"non-singleton dimension (\d+)", str(error.value)).group(1))
    assert broadcast(a, b).failing_dim == named
    assert f"dimension {named} " in explain_failure(a, b)


def test_the_diagram_right_aligns_and_marks():
    assert diagram((5, 1, 4), (3, 1)) == [
        "a       (5, 1, 4)",
        "b       (   3, 1)",
        "            ^     a stretched",
        "         ^     ^  b stretched",
        "result  (5, 3, 4)",
    ]


def test_the_diagram_of_a_failure_marks_the_dimension():
    lines = diagram((4, 3), (4,))
    assert lines[:2] == ["a       (4, 3)", "b       (   4)"]
    assert lines[2].strip() == "x  dim 1: 3 vs 4, neither is 1"


def test_explain_failure_in_words():
    assert explain_failure((4, 3), (4,)) == (
        "(4, 3) and (4,) do not broadcast: right-aligned, dimension 1 (dim -1 from the right) is 3 vs 4, neither is 1."
    )
    assert explain_failure((4, 3), (3,)) == ""


sizes = st.lists(st.integers(1, 6), min_size=0, max_size=4).map(tuple)


@given(sizes, sizes)
def test_the_rule_agrees_with_numpy(a, b):
    import numpy as np

    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        expected = None
    assert broadcast(a, b).result == expected
