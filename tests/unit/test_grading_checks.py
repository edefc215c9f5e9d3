"""The hidden tests' assertions: messages that say what differs, and rules enforced."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tui.core.grading.cases import Submission, title_of
from tui.core.grading.checks import Fail, compare, snapshot, unchanged
from tui.core.grading.values import Foreign, decode, encode, load, dump
from tui.core.grading.exercise import Exercise, top_level_names
from tui.core.grading.report import Report, TestResult


def fails_with(got, want, **kw) -> str:
    with pytest.raises(Fail) as caught:
        compare(got, want, "f(x)", **kw)
    return str(caught.value)


def test_a_wrong_shape_names_both_shapes():
    assert fails_with(torch.zeros(2, 1), torch.zeros(2)) == "f(x) has shape (2, 1) but should have shape (2,)"


def test_a_wrong_dtype_names_both_dtypes():
    assert fails_with(torch.zeros(2, dtype=torch.float64), torch.zeros(2)) == "f(x) has dtype float64 but should have float32"


def test_a_wrong_value_names_the_first_index_and_counts_the_rest():
    got = torch.tensor([[1.0, 2.0], [3.0, 9.0]])
    want = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert fails_with(got, want) == "f(x) differs at [1, 1]: 9 but should be 4 (1 of 4 values differs)"
    assert fails_with(got + 1, want).endswith("(4 of 4 values differ)")


def test_none_and_tensors_for_numbers_get_their_own_messages():
    assert "did you forget a `return`" in fails_with(None, torch.zeros(1))
    assert "use .item()" in fails_with(torch.tensor(2.0), 2.0)
    assert "should be a NumPy array" in fails_with(torch.zeros(2), np.zeros(2))


def test_close_values_and_equivalent_containers_pass():
    compare([torch.tensor([1.0]), 2.0], [torch.tensor([1.0 + 1e-7]), 2.0 + 1e-9], "f(x)")
    compare(np.ones((2, 2)), np.ones((2, 2)), "f(x)")


def test_unchanged_catches_in_place_writes_and_leaked_gradients():
    x = torch.ones(3)
    kept = snapshot(x)
    x.add_(1)
    with pytest.raises(Fail, match="in place"):
        unchanged(kept, x, "f")
    y = torch.ones(3)
    kept = snapshot(y)
    y.requires_grad_(True)
    with pytest.raises(Fail, match="requires_grad"):
        unchanged(kept, y, "f")


def test_a_zero_dim_or_single_value_result_gets_no_index_and_no_count():
    assert fails_with(torch.tensor(3.0), torch.tensor(2.0)) == "f(x) is 3 but should be 2"
    assert fails_with(torch.tensor([3.0]), torch.tensor([2.0])) == "f(x) differs at [0]: 3 but should be 2"


def _through_the_channel(value):
    """A value as the judge sees it after the learner's process sent it."""
    return decode(load(dump(encode(value))))


def test_a_max_pair_and_a_numpy_scalar_are_named_with_what_to_do():
    pair = _through_the_channel(torch.tensor([1.0, 3.0]).max(0))
    assert isinstance(pair, Foreign)
    message = fails_with(pair, torch.tensor(3.0))
    assert "torch.return_types.max" in message and ".values" in message
    message = fails_with(_through_the_channel(np.int64(3)), 3)
    assert "NumPy int64 scalar" in message and "int(...)" in message


def test_exact_types_a_list_for_a_tuple_and_a_string_for_a_device():
    assert "should be a tuple, but is a list" in fails_with([2, 3], (2, 3))
    assert "should be a torch.device" in fails_with("cpu", torch.device("cpu"))
    compare(_through_the_channel((2, 3)), (2, 3), "f(x)")
    compare(_through_the_channel(torch.device("cpu")), torch.device("cpu"), "f(x)")


def test_unchanged_catches_a_numpy_array_written_in_place():
    x = np.ones(3)
    kept = snapshot(x)
    x -= 1
    with pytest.raises(Fail, match="NumPy array in place"):
        unchanged(kept, x, "standardize")


def test_values_keep_what_autograd_knew_and_refuse_code():
    w = torch.ones(2, requires_grad=True)
    back = _through_the_channel((w * 2, w, torch.ones(2)))
    assert back[0].grad_fn is not None and back[1].is_leaf and back[1].requires_grad
    assert not back[2].requires_grad
    import pickle

    class Evil:
        def __reduce__(self):
            return (print, ("ran",))

    with pytest.raises(Exception):
        load(pickle.dumps(Evil()))


def test_submission_uses_finds_attribute_and_import_names():
    sub = Submission({}, "import torch\nfrom torch.autograd import grad\ndef f(x):\n    x.backward()\n")
    assert sub.uses("backward", "grad", "requires_grad") == ["backward", "grad"]


def test_exercise_declaration_problems_are_reported_not_raised():
    ex = Exercise(title="E", prompt="p", names=["f"], starter="def g(): pass", reference="def f(:", tests=[], hints=[])
    messages = [p.message for p in ex.problems]
    assert "starter= does not define f" in messages
    assert any(m.startswith("reference= has a syntax error at line 1") for m in messages)
    assert "an exercise needs tests=, a list of hidden test functions" in messages
    assert "an exercise needs hints= for learners who are stuck" in messages


def test_hints_grow_one_per_failure_and_stop_at_the_last():
    ex = Exercise(title="E", prompt="p", names=["f"], starter="def f(): pass", reference="def f(): return 1",
                  tests=[lambda s, r: None], hints=["a", "b"])
    assert ex.problems == []
    assert [ex.hints_after(n) for n in (0, 1, 2, 5)] == [[], ["a"], ["a", "b"], ["a", "b"]]


def test_top_level_names_sees_defs_classes_assignments_and_imports():
    assert top_level_names("import numpy as np\nX = 1\nclass A: pass\ndef f(): pass\n") == {"np", "X", "A", "f"}


def test_report_round_trips_through_json_form_and_summarises():
    report = Report("failed", results=[TestResult("a", True), TestResult("b", False, "shape")])
    again = Report.from_dict(report.to_dict())
    assert again == report
    assert again.summary() == "1 of 2 tests failed."
    assert title_of(lambda s, r: None) == "<lambda>"


def test_drawn_integer_tensors_keep_a_bound_of_zero():
    """low=0 means 'from zero', not 'no bound' (0 is falsy): counts and indices must not go negative."""
    from hypothesis import given, settings, strategies as st

    from tui.core.grading.cases import Draw

    seen = []

    @settings(max_examples=20, database=None, derandomize=True)
    @given(st.data())
    def draw(data):
        values = Draw(data).tensor(50, dtype=torch.int64, low=0, high=3)
        seen.append(values)
        assert int(values.min()) >= 0 and int(values.max()) <= 2

    draw()
    assert seen and any(int(v.min()) == 0 for v in seen)
