"""The shape-error explainer on real PyTorch errors, one test per family, with the exact dimensions."""

from __future__ import annotations

import pytest
import torch

from tui.core.explainers import explain_shape_error
from tui.core.tracing.tracer import ShapeTracer

nn, F = torch.nn, torch.nn.functional


def explain(code: str):
    import linecache

    linecache.cache["<case>"] = (len(code), None, code.splitlines(keepends=True), "<case>")  # as the REPL's cells are
    tracer = ShapeTracer(lambda name: name == "<case>", namer=lambda m: "model")
    namespace = {"torch": torch, "nn": nn, "F": F}
    with pytest.raises(Exception) as raised:
        with tracer:
            exec(compile(code, "<case>", "exec"), namespace)
    return explain_shape_error(raised.value, tracer), raised.value


def test_linear_names_in_features_against_the_last_dimension():
    ex, _ = explain("nn.Linear(2, 2)(torch.randn(2, 3, 4))")
    assert ex.op == "linear"
    assert ex.operands[0] == "input (2, 3, 4)"
    assert "in_features = 2" in ex.problem and "it has 4" in ex.problem
    assert "nn.Linear(4, 2)" in ex.fix


def test_functional_linear():
    ex, _ = explain("F.linear(torch.randn(5, 3), torch.randn(2, 4))")
    assert ex.op == "linear" and "in_features = 4" in ex.problem and "it has 3" in ex.problem


def test_matmul_inner_sizes():
    ex, _ = explain("torch.randn(3, 2) @ torch.randn(3, 4)")
    assert ex.op == "matmul" and ex.operands == ["left (3, 2)", "right (3, 4)"]
    assert "last size (2)" in ex.problem and "first matrix size (3)" in ex.problem


def test_matrix_vector_and_vector_vector():
    ex, _ = explain("torch.randn(2, 3) @ torch.randn(4)")
    assert "length (4)" in ex.problem and "last size (3)" in ex.problem
    ex, _ = explain("torch.randn(3) @ torch.randn(4)")
    assert "here 3 and 4" in ex.problem


def test_batched_matmul():
    ex, _ = explain("torch.randn(10, 4, 5) @ torch.randn(10, 4, 6)")
    assert ex.operands == ["left (10, 4, 5)", "right (10, 4, 6)"] and "last size (5)" in ex.problem and "dim -2 (4)" in ex.problem


def test_elementwise_broadcasting_with_diagram():
    ex, _ = explain("torch.randn(4, 3) + torch.randn(4)")
    assert ex.op == "add" and ex.operands == ["torch.randn(4, 3) (4, 3)", "torch.randn(4) (4,)"]
    assert "dimension 1" in ex.problem and "3 vs 4" in ex.problem
    assert ex.diagram[1] == "torch.randn(4)     (   4)"


@pytest.mark.parametrize(
    "code, op, needle",
    [("torch.arange(15).view(5, 4)", "view", "holds 20 elements but the input has 15"),
     ("torch.arange(15).reshape(4, -1)", "reshape", "15 elements cannot be split into parts of 4")],
)
def test_view_and_reshape_element_counts(code, op, needle):
    ex, _ = explain(code)
    assert ex.op == op and needle in ex.problem and "(15,)" in ex.operands[0]


def test_view_of_a_non_contiguous_tensor():
    ex, _ = explain("torch.randn(3, 4).T.view(12)")
    assert "not contiguous" in ex.problem and ".reshape" in ex.fix and ex.operands == ["input (4, 3)"]


def test_cat_names_the_dimension_that_differs():
    ex, _ = explain("torch.cat([torch.randn(2, 3), torch.randn(2, 4)])")
    assert ex.op == "cat" and ex.operands == ["tensor 0 (2, 3)", "tensor 1 (2, 4)"]
    assert "tensor 1 has 4 in dim 1 where tensor 0 has 3" in ex.problem


def test_stack_needs_equal_shapes():
    ex, _ = explain("torch.stack([torch.randn(3), torch.randn(4)])")
    assert ex.operands == ["entry 0 (3,)", "entry 1 (4,)"]


def test_jagged_lists_explain_padding():
    ex, _ = explain("torch.tensor([[1, 2, 3], [4, 5]])")
    assert "one has 2 items where 3 were expected" in ex.problem and "pad" in ex.fix


def test_index_past_the_end():
    ex, _ = explain("torch.randn(3, 4)[:, 7]")
    assert "dimension 1 has size 4" in ex.problem and "0 to 3" in ex.problem


def test_failure_inside_a_model_names_the_layer_and_lists_the_layers_that_ran():
    ex, _ = explain("model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(6, 2))\nmodel(torch.randn(5, 4))")
    assert ex.layer == "model.2"
    assert ex.layers == [
        "model.0 (Linear) [in_features=4, out_features=8]: (5, 4) -> (5, 8)",
        "model.1 (ReLU): (5, 8) -> (5, 8)",
        "model.2 (Linear) [in_features=6, out_features=2]: (5, 8) -> FAILED",
    ]


def test_not_a_shape_error():
    tracer = ShapeTracer(lambda name: False)
    assert explain_shape_error(ValueError("something else"), tracer) is None


# Five errors tried as a new user would, outside the corpus (each first got a wrong or no cause).
@pytest.mark.parametrize("code, problem, fix", [
    ("m = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Flatten(), nn.Linear(16 * 30 * 30, 10))\nm(torch.rand(3, 32, 32))",
     "without a batch dim", "unsqueeze(0)"),
    ("t = nn.Sequential(nn.Embedding(100, 16), nn.Linear(16, 12))\n"
     "F.cross_entropy(t(torch.randint(0, 100, (4, 7))), torch.randint(0, 12, (4, 7)))",
     "12 class scores are last", "permute(0, 2, 1)"),
    ("lstm = nn.LSTM(8, 32, batch_first=True)\nout, (h, c) = lstm(torch.randn(16, 20, 8))\n"
     "F.cross_entropy(nn.Linear(32, 3)(h), torch.randint(0, 3, (16,)))", "leading dim of 1", "h_n[-1]"),
    ("nn.Linear(784, 10)(torch.rand(64, 3, 32, 32).view(-1, 28 * 28))", "3072 values, not 784", "in_features=3072"),
    ("nn.Conv2d(3, 16, 3)(torch.rand(32, 32, 3))", "channels are last", "permute(2, 0, 1)"),
])
def test_errors_outside_the_corpus(code, problem, fix):
    ex, _ = explain(code)
    assert problem in ex.problem and fix in ex.fix, ex.text()


def test_broadcast_operands_are_named_by_their_expressions():
    ex, _ = explain("pred = torch.ones(8, 3)\ntarget = torch.ones(2, 8)\ndiff = pred - target")
    assert ex.operands == ["pred (8, 3)", "target (2, 8)"]
    assert "pred (8, 3) and target (2, 8) do not broadcast" in ex.problem and "dimension 1" in ex.problem
    assert ex.diagram[0].startswith("pred") and ex.diagram[1].startswith("target")
