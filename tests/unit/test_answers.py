"""Typed answers: every common spelling of a shape, dtype or number reads the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.course.answers import (
    UnreadableAnswer,
    normalise_code,
    normalise_dtype,
    normalise_number,
    normalise_shape,
    normalise_text,
)


@pytest.mark.parametrize(
    "text",
    ["(3, 4)", "3,4", "3, 4", "torch.Size([3, 4])", "Size([3, 4])", "[3, 4]", "3x4", "3 x 4", "3×4", "`(3, 4)`", " (3,4) "],
)
def test_spellings_of_a_3_by_4_shape(text):
    assert normalise_shape(text) == (3, 4)


@pytest.mark.parametrize("text, shape", [("(5,)", (5,)), ("5", (5,)), ("()", ()), ("torch.Size([])", ()), ("(2, 3, 4)", (2, 3, 4))])
def test_one_dimensional_and_scalar_shapes(text, shape):
    assert normalise_shape(text) == shape


@pytest.mark.parametrize("text", ["abc", "(3,,4)", "(3.5, 2)", "(-1, 2)", "3 by 4"])
def test_non_shapes_are_refused_with_an_example(text):
    with pytest.raises(UnreadableAnswer, match=r"like \(3, 4\)"):
        normalise_shape(text)


shapes = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6).map(tuple)


@given(shapes)
def test_any_shape_reads_back_from_each_way_of_writing_it(shape):
    joined = ", ".join(map(str, shape))
    tuple_text = f"({joined},)" if len(shape) == 1 else f"({joined})"
    for text in (tuple_text, joined, f"torch.Size([{joined}])", f"[{joined}]", "x".join(map(str, shape))):
        assert normalise_shape(text) == shape


@pytest.mark.parametrize(
    "text, dtype",
    [("torch.float32", "float32"), ("float32", "float32"), ("torch.float", "float32"), ("long", "int64"),
     ("torch.int64", "int64"), ("torch.double", "float64"), ("np.float64", "float64"), ("Bool", "bool")],
)
def test_dtype_aliases(text, dtype):
    assert normalise_dtype(text) == dtype


def test_unknown_dtype_is_refused():
    with pytest.raises(UnreadableAnswer, match="not a dtype"):
        normalise_dtype("float31")


@pytest.mark.parametrize("text, value", [("12", 12.0), ("1_000", 1000.0), ("1,000", 1000.0), ("1e-3", 0.001), ("tensor(12.)", 12.0), ("tensor([24.])", 24.0)])
def test_numbers(text, value):
    assert normalise_number(text) == value


def test_a_non_number_is_refused():
    with pytest.raises(UnreadableAnswer, match="not a number"):
        normalise_number("twelve")


def test_text_and_code_forms_ignore_case_space_and_quotes():
    assert normalise_text("  The   Batch.  ") == "the batch"
    assert normalise_code('x.view(5,3)') == normalise_code("x.view( 5, 3 )")
    assert normalise_code('"a"') == normalise_code("'a'")
