"""Integration tests against a real kernel: one kernel for the module, restarted where a test kills it."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from tests.waiting import HANG_GUARD, wait_for_async

from tui.kernel.events import Failure, Page, Result, ShortTraceback, StreamText
from tui.kernel.session import KernelDied, KernelSession

# Under pytest-xdist (--dist loadgroup) the module stays on one worker: one kernel serves it.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("test_session")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def kernel(tmp_path_factory):
    session = KernelSession(log_path=tmp_path_factory.mktemp("k") / "kernel.log")
    await session.start()
    yield session
    await session.shutdown()


async def run(kernel: KernelSession, code: str, **kw):
    events = []
    outcome = await kernel.execute(code, events.extend, **kw)
    return outcome, events


async def test_torch_numpy_nn_and_f_are_ready(kernel):
    outcome, events = await run(kernel, "print(torch.__name__, np.__name__, nn.Linear.__name__, F.relu.__name__)")
    assert outcome.status == "ok"
    assert [e for e in events if isinstance(e, StreamText)] == [StreamText("stdout", "torch numpy Linear relu\n")]


async def test_a_tensor_result_carries_its_shape_dtype_and_device(kernel):
    outcome, events = await run(kernel, "torch.arange(1, 10) + 2")
    result = next(e for e in events if isinstance(e, Result))
    assert result.text == "tensor([ 3,  4,  5,  6,  7,  8,  9, 10, 11])"
    assert result.tensor["shape"] == [9] and result.tensor["dtype"] == "int64" and result.tensor["device"] == "cpu"
    assert result.tensor["requires_grad"] is False and result.tensor["grad_fn"] is None


async def test_grad_fn_and_requires_grad_are_reported(kernel):
    _, events = await run(kernel, "w = torch.ones(2, requires_grad=True); w * 3")
    meta = next(e for e in events if isinstance(e, Result)).tensor
    assert meta["requires_grad"] is True and meta["grad_fn"] == "MulBackward0"


async def test_output_streams_in_order_and_stderr_is_separate(kernel):
    _, events = await run(kernel, "import sys\nfor i in range(3): print(i)\nprint('oops', file=sys.stderr)")
    out = "".join(e.text for e in events if isinstance(e, StreamText) and e.name == "stdout")
    err = "".join(e.text for e in events if isinstance(e, StreamText) and e.name == "stderr")
    assert out == "0\n1\n2\n" and err == "oops\n"


async def test_an_error_comes_with_a_short_traceback_of_the_learners_frames(kernel):
    outcome, events = await run(kernel, "def f(x):\n    return x @ torch.ones(3, 4)\n\nf(torch.ones(2, 2))")
    assert outcome.status == "error"
    failure = next(e for e in events if isinstance(e, Failure))
    assert failure.ename == "RuntimeError" and "cannot be multiplied" in failure.evalue
    short = next(e for e in events if isinstance(e, ShortTraceback)).record
    assert [f["name"] for f in short["frames"]] == ["<module>", "f"]
    assert short["frames"][-1]["line"] == 2
    assert short["frames"][-1]["source"][-1] == "    return x @ torch.ones(3, 4)"


async def test_deep_recursion_is_squeezed(kernel):
    _, events = await run(kernel, "def down(n):\n    return down(n + 1)\ndown(0)")
    short = next(e for e in events if isinstance(e, ShortTraceback)).record
    assert short["ename"] == "RecursionError"
    assert len(short["frames"]) <= 12 and short["frames"][-1]["repeats"] > 100


async def test_syntax_error_points_at_the_line(kernel):
    outcome, events = await run(kernel, "x = 1\ny = (2 +\n")
    assert outcome.status == "error"
    short = next(e for e in events if isinstance(e, ShortTraceback)).record
    assert short["ename"] == "SyntaxError" and short["syntax"]["line"] == 2


async def test_input_and_sys_exit_do_not_hurt_the_session(kernel):
    await run(kernel, "keep = 41")
    _, events = await run(kernel, "input('name? ')")
    assert any(isinstance(e, Failure) and e.ename == "StdinNotImplementedError" for e in events)
    _, events = await run(kernel, "import sys; sys.exit(3)")
    assert any(isinstance(e, Failure) and e.ename == "SystemExit" for e in events)
    _, events = await run(kernel, "keep + 1")
    assert Result("42", final=True) in events


async def test_help_with_a_question_mark_returns_a_page(kernel):
    _, events = await run(kernel, "torch.zeros?")
    page = next(e for e in events if isinstance(e, Page))
    assert "zeros" in page.text


async def test_user_expressions_are_evaluated_after_the_code(kernel):
    outcome, _ = await run(kernel, "t = torch.ones(3, 4)", expressions={"shape": "t.shape", "bad": "nope"})
    assert outcome.expressions == {"shape": "torch.Size([3, 4])", "bad": None}


async def test_completion_from_the_kernel(kernel):
    completion = await kernel.complete("torch.ara", 9)
    assert "arange" in completion.matches  # the word after the dot, replacing text from start to end
    assert (completion.start, completion.end) == (len("torch."), len("torch.ara"))


async def test_interrupt_stops_a_runaway_loop_and_keeps_variables(kernel, tmp_path):
    await run(kernel, "survivor = 'still here'")
    events = []
    looping = tmp_path / "looping"
    task = asyncio.create_task(kernel.execute(f"open({str(looping)!r}, 'w').close()\nwhile True: pass", events.extend))
    await wait_for_async(looping.exists, what="the loop to start")  # an interrupt before it would miss it
    await kernel.interrupt()
    outcome = await asyncio.wait_for(task, HANG_GUARD)
    assert outcome.status == "error"
    assert any(isinstance(e, Failure) and e.ename == "KeyboardInterrupt" for e in events)
    _, events = await run(kernel, "survivor")
    assert Result("'still here'", final=True) in events


async def test_a_crash_is_noticed_and_a_restart_gives_a_working_kernel(kernel):
    with pytest.raises(KernelDied):
        await kernel.execute("import os; os._exit(1)")
    seconds = await kernel.restart()
    _, events = await run(kernel, "torch.ones(2).sum()")
    assert Result("tensor(2.)", next(e for e in events if isinstance(e, Result)).tensor, final=True) in events
    assert seconds > 0  # the time the restart took, for the notice; how long it may take is not a test's call


async def test_each_run_sends_a_snapshot_of_variables_and_the_op_trace(kernel):
    from tui.kernel.events import Snapshot

    _, events = await run(kernel, "snap_x = torch.randn(2, 3)\nsnap_y = snap_x @ torch.randn(3, 5)\nsnap_model = nn.Linear(5, 1)")
    record = next(e for e in events if isinstance(e, Snapshot)).record
    rows = {row["name"]: row for row in record["variables"]}
    assert rows["snap_y"]["shape"] == [2, 5] and rows["snap_y"]["dtype"] == "float32"
    assert rows["snap_model"]["kind"] == "module" and rows["snap_model"]["parameters"] == 6
    ops = [(op["op"], op["inputs"], op["output"], op["line"]) for op in record["trace"]["ops"]]
    assert ("matmul", [[2, 3], [3, 5]], [2, 5], 2) in ops
    assert all(op[0] not in ("empty", "kaiming_uniform_") for op in ops)


async def test_a_shape_error_in_a_model_is_explained_in_the_traceback_record(kernel):
    _, events = await run(kernel, "net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(6, 2))\nnet(torch.randn(5, 4))")
    explanation = next(e for e in events if isinstance(e, ShortTraceback)).record["explanation"]
    assert explanation["op"] == "linear" and explanation["layer"] == "net.2"
    assert "in_features = 6" in explanation["problem"] and "it has 8" in explanation["problem"]
    assert explanation["layers"][-1].endswith("(5, 8) -> FAILED")


async def test_detail_of_a_tensor_and_a_module_comes_as_json(kernel):
    import ast
    import json

    await run(kernel, "det = torch.tensor([[1., float('nan')], [3., 4.]]); mlp = nn.Sequential(nn.Linear(3, 4), nn.ReLU()); mlp(torch.ones(2, 3))")
    outcome, _ = await run(kernel, "", expressions={"t": "__tensordojo__.detail('det')", "m": "__tensordojo__.detail('mlp')"})
    tensor = json.loads(ast.literal_eval(outcome.expressions["t"]))
    assert tensor["stats"]["nan"] == 1 and tensor["stats"]["max"] == 4.0 and tensor["stride"] == [2, 1]
    module = json.loads(ast.literal_eval(outcome.expressions["m"]))
    assert module["total"] == 16 and module["layers"][0]["output"] == [2, 4]


async def test_shapes_magic_turns_tracing_off_and_on(kernel):
    from tui.kernel.events import Snapshot

    await run(kernel, "%shapes off")
    _, events = await run(kernel, "off_t = torch.ones(2) + 1")
    assert next(e for e in events if isinstance(e, Snapshot)).record["trace"] is None
    await run(kernel, "%shapes on")
    _, events = await run(kernel, "on_t = torch.ones(2) + 1")
    assert next(e for e in events if isinstance(e, Snapshot)).record["trace"]["ops"]


async def test_a_new_kernels_sockets_stay_out_of_the_current_folder_its_warm_up_leaves_no_trace(tmp_path, monkeypatch):
    # jupyter_client's ipc transport would otherwise leave kernel-ipc-N files wherever the
    # learner started the app (and a killed app never removes them).
    monkeypatch.chdir(tmp_path)
    session = KernelSession()
    await session.start()
    sockets = session._sockets
    try:
        assert list(tmp_path.iterdir()) == []
        assert sockets is not None and len(list(sockets.iterdir())) >= 5  # shell, iopub, stdin, control, heartbeat
        # A fresh kernel's warm-up run leaves no trace: this is the learner's first run after it.
        outcome, events = await run(session, "_, dict(Out), len(In)")
        assert outcome.execution_count == 1
        assert Result("('', {}, 2)", final=True) in events  # In holds '' and this cell, as in a fresh IPython
    finally:
        await session.shutdown()
    assert not sockets.exists()


async def test_an_empty_flush_does_not_wait_for_the_iopub_thread_and_printed_text_keeps_its_order(kernel):
    # The kernel flushes stdout and stderr before every value; an empty flush used to wait for
    # a round trip to ipykernel's IOPub thread all the same.
    _, events = await run(kernel, "import sys\nscheduled = []\nthread = sys.stdout.pub_thread\nschedule = thread.schedule\n"
                                  "thread.schedule = lambda f: (scheduled.append(f), schedule(f))[1]\n"
                                  "sys.stdout.flush(); sys.stderr.flush()\nthread.schedule = schedule\nlen(scheduled)")
    assert Result("0", final=True) in events
    _, events = await run(kernel, "print('a'); print('b', file=sys.stderr); print('c'); 5")
    order = [(e.name, e.text) if isinstance(e, StreamText) else e.text for e in events if isinstance(e, (StreamText, Result))]
    assert order[-1] == "5" and "".join(text for name, text in order[:-1] if name == "stdout") == "a\nc\n"
    assert ("stderr", "b\n") in order[:-1]


async def test_the_kernel_process_own_output_goes_to_kernel_log_not_the_terminal(kernel):
    """What the kernel process writes to its real fd 2 (C libraries, torch's warnings) lands in kernel.log."""
    from tests.waiting import wait_for_async

    marker = "kernel-log-marker-7f3a"
    await run(kernel, f"import os; os.write(2, b'{marker}\\n')")
    await wait_for_async(lambda: marker in kernel.log_path.read_text(encoding="utf-8"), what="the line in kernel.log")
