"""The op tracer: names, shapes, lines, the cap, silent broadcasts; and tensordojo trace."""

from __future__ import annotations

import pytest
import torch

from tui.cli import main
from tui.core.tracing.tracer import ShapeTracer, op_name, silent_broadcast_note
from tui.core.tracing.report import run_traced, trace_lines


def test_op_names_learners_know():
    assert op_name(torch.Tensor.__matmul__) == "matmul"
    assert op_name(torch.Tensor.__radd__) == "add"
    assert op_name(torch.Tensor.__getitem__) == "index"
    assert op_name(torch.Tensor.shape.__get__) is None
    assert op_name(torch.Tensor.T.__get__) == "T"
    assert op_name(torch.Tensor.size) is None


def test_a_run_is_traced_with_lines_and_shapes_and_attribute_reads_left_out():
    run = run_traced("import torch\nx = torch.randn(2, 3)\ny = x @ torch.randn(3, 5)\nprint(y.shape, y.dtype)\ns = y.sum(dim=0)\n", "<t>")
    assert run.error is None
    assert [(op.op, op.line) for op in run.tracer.ops] == [("randn", 2), ("randn", 3), ("matmul", 3), ("sum", 5)]
    matmul = run.tracer.ops[2]
    assert matmul.inputs == [(2, 3), (3, 5)] and matmul.output == (2, 5) and matmul.source == "y = x @ torch.randn(3, 5)"


def test_layer_construction_is_not_traced_but_the_forward_is():
    run = run_traced("import torch.nn as nn, torch\nm = nn.Linear(3, 2)\nm(torch.ones(4, 3))\n", "<t>")
    assert [op.op for op in run.tracer.ops] == ["ones", "linear"]
    assert run.tracer.ops[1].layer == "m"


def test_long_traces_are_capped_and_counted():
    tracer = ShapeTracer(lambda name: False, max_ops=10)
    with tracer:
        x = torch.ones(3)
        for _ in range(50):
            x = x + 1
    assert len(tracer.ops) == 10 and tracer.dropped == 41
    assert trace_lines(tracer.ops, tracer.dropped)[-1] == (
        "… 41 more torch calls ran and are not listed (the trace keeps the first 10 ops; "
        "the silent-bug checks went on through all of them).")


def test_a_failing_op_is_kept_even_past_the_cap():
    tracer = ShapeTracer(lambda name: False, max_ops=2)
    with pytest.raises(RuntimeError):
        with tracer:
            a = torch.ones(3)
            for _ in range(5):
                a = a * 2
            a @ torch.ones(4)
    assert tracer.failed_op is not None and tracer.failed_op.inputs == [(3,), (4,)]


def test_silent_broadcast_is_flagged():
    note = silent_broadcast_note("sub", [(5, 1), (5,)], (5, 5))
    assert note.startswith("(5, 1) with (5,) broadcast to (5, 5): 25 values where 5 were probably meant")
    assert silent_broadcast_note("add", [(5, 3), (3,)], (5, 3)) == ""
    loss_note = silent_broadcast_note("mse_loss", [(4, 1), (4,)], ())
    assert "they broadcast to (4, 4) before it reduces: 16 pairs where 4 were meant" in loss_note
    assert "to ()" not in loss_note  # a scalar loss: the note names the broadcast inside, not the result
    assert silent_broadcast_note("mse_loss", [(4, 3), (3,)], ()) == (
        "the loss compares (4, 3) with (3,); they broadcast to (4, 3), which is rarely what a loss means: give both the same shape.")
    assert silent_broadcast_note("sub", [(5, 1, 3), (1, 4, 3)], (5, 4, 3)) == ""  # pairwise differences: meant


def test_tensordojo_trace_explains_and_exits_1(capsys):
    code = main(["trace", "-c", "import torch, torch.nn as nn; nn.Linear(2, 2)(torch.randn(2, 3, 4))"])
    out = capsys.readouterr().out
    assert code == 1
    assert "linear" in out and "input (2, 3, 4)" in out
    assert "in_features = 2 values in the input's last dimension, but it has 4" in out


def test_tensordojo_trace_of_a_file_that_runs_exits_0_and_flags_broadcasts(capsys, tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import torch\nx = torch.ones(5, 1)\ny = torch.arange(5.)\nd = x - y\n")
    assert main(["trace", str(script)]) == 0
    out = capsys.readouterr().out
    assert "line 4: d = x - y" in out and "sub     (5, 1), (5,)  -> (5, 5)" in out
    assert "! (5, 1) with (5,) broadcast to (5, 5)" in out and "y stretched" in out  # operands named by expression
    assert "x       (5, 1)" in out


def test_tensordojo_trace_bad_input(capsys, tmp_path):
    assert main(["trace"]) == 2
    assert main(["trace", str(tmp_path / "nope.py")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_failure_after_many_layer_calls_still_names_the_layer():
    from tui.core.explainers import explain_shape_error
    from tui.core.tracing.tracer import MAX_LAYERS

    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    tracer = ShapeTracer(lambda name: False, namer=lambda module: "model")
    with pytest.raises(RuntimeError) as raised:
        with tracer:
            for _ in range(MAX_LAYERS):
                model(torch.ones(3, 4))
            model(torch.ones(3, 5))
    assert len(tracer.layers) == MAX_LAYERS
    assert tracer.failed_layer.name == "model.0"
    explanation = explain_shape_error(raised.value, tracer)
    assert explanation.layer == "model.0" and "in_features = 4" in explanation.problem


def _training(steps: int, bug_from: int | None = None):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = torch.randn(8, 3), torch.randn(8)
    for step in range(steps):
        optimizer.zero_grad()
        prediction = model(x)
        loss = ((prediction.squeeze(-1) - y) ** 2).mean()
        if bug_from is not None and step >= bug_from:
            loss = loss + (prediction - y).abs().mean()  # (8, 1) - (8,): the silent bug, late
        loss.backward()
        optimizer.step()
    return model


def test_optimizer_internals_are_one_row_per_call():
    tracer = ShapeTracer(lambda name: name == __file__)
    with tracer:
        _training(2)
    names = [op.op for op in tracer.ops]
    assert names.count("Adam.step") == 2 and names.count("Adam.zero_grad") == 2
    assert not {"lerp_", "addcmul_", "sqrt", "_record_function_enter_new"} & set(names)


def test_silent_checks_go_on_past_the_cap_and_warn_once_per_line():
    tracer = ShapeTracer(lambda name: name == __file__, max_ops=40)
    with tracer:
        _training(300, bug_from=150)
    assert tracer.full and tracer.sampled
    assert len(tracer.late_notes) == 1  # 150 buggy steps, one warning
    assert "prediction - y" in tracer.late_notes[0].source and "(8, 1) with (8,)" in tracer.late_notes[0].note
    lines = trace_lines(tracer.ops, tracer.dropped, tracer.late_notes)
    assert any("(8, 1) with (8,)" in line for line in lines[-3:])


def test_a_failure_while_the_tracer_is_quiet_is_read_from_the_traceback():
    from tui.core.explainers import explain_shape_error

    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    tracer = ShapeTracer(lambda name: name == __file__, namer=lambda module: "model", max_ops=20)
    with pytest.raises(ValueError) as raised:
        with tracer:
            for step in range(200):
                batch = 1 if step == 199 else 4  # the last batch holds one sample
                optimizer.zero_grad()
                model(torch.randn(batch, 4)).sum().backward()
                optimizer.step()
    assert tracer.sampled
    explanation = explain_shape_error(raised.value, tracer)
    assert explanation.layer == "model.1" and "drop_last=True" in explanation.fix


def test_a_caught_error_does_not_label_a_later_one():
    from tui.core.explainers import explain_shape_error

    tracer = ShapeTracer(lambda name: False, namer=lambda module: "model")
    with pytest.raises(RuntimeError) as raised:
        with tracer:
            try:
                torch.nn.Linear(2, 2)(torch.ones(1, 3))
            except RuntimeError:
                pass
            torch.ones(2, 3) @ torch.ones(2, 3)
    explanation = explain_shape_error(raised.value, tracer)
    assert explanation.op == "matmul" and explanation.layer is None


def test_repeated_blocks_and_long_operand_lists_are_summarised():
    blocks = torch.nn.Sequential(*[torch.nn.Linear(4, 4) for _ in range(6)])
    tracer = ShapeTracer(lambda name: name == __file__, namer=lambda module: "blocks")
    with tracer:
        blocks(torch.ones(2, 4))
        torch.stack([torch.ones(3, 8, 8) for _ in range(32)])
    text = "\n".join(trace_lines(tracer.ops, tracer.dropped))
    assert text.count("linear [blocks.") == 1 and "again 5 more times (blocks.1 to blocks.5)" in text
    assert "32 x (3, 8, 8)" in text


def test_trace_runs_the_script_as_python_would(tmp_path, capsys):
    (tmp_path / "helper.py").write_text("SIZE = 3\n")
    script = tmp_path / "train.py"
    script.write_text(
        "import argparse, sys, warnings\nimport torch\nfrom helper import SIZE\n"
        "p = argparse.ArgumentParser(); p.add_argument('--steps', type=int); args = p.parse_args()\n"
        "x = torch.ones(args.steps, SIZE)\n"
        "torch.nn.functional.mse_loss(torch.ones(4, 1), torch.ones(4))\n"
        "sys.exit(3)\n")
    assert main(["trace", str(script), "--steps", "5"]) == 3
    captured = capsys.readouterr()
    assert "line 5: x = torch.ones(args.steps, SIZE)" in captured.out  # argv parsed, helper imported from its folder
    assert "ones - -> (5, 3)" in " ".join(captured.out.split())
    assert f"{script}:6: UserWarning" in captured.err  # torch's warning, at the learner's line


def test_from_numpy_is_listed():
    import numpy as np

    run = run_traced("import numpy as np, torch\nt = torch.from_numpy(np.zeros((2, 5)))\n", "<t>")
    op = next(op for op in run.tracer.ops if op.op == "from_numpy")
    assert op.inputs == [(2, 5)] and op.output == (2, 5) and op.line == 2
    assert torch.from_numpy(np.zeros(1)).shape == (1,)  # put back after the run
    assert not getattr(torch.from_numpy, "_tensordojo_folded", False)


def test_torch_warnings_name_the_learners_line_once():
    import warnings

    shown = []
    tracer = ShapeTracer(lambda name: name == __file__)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, category, filename, lineno, *rest: shown.append((filename, lineno, str(message)))
        with tracer:
            for _ in range(3):
                torch.nn.functional.mse_loss(torch.ones(4, 1), torch.ones(4))  # warns each time
    assert len(shown) == 1 and shown[0][0] == __file__ and "Using a target size" in shown[0][2]
