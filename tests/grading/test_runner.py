"""The grading process against real submissions: verdicts, time limits, crashes, output."""

from __future__ import annotations

import os

import pytest

from tests.processes import descendants, living_in_group
from tests.waiting import HANG_GUARD, wait_for

ROW_MEANS = ("reductions", "row-means")


def grade(grader, code: str, timeout: float = 120.0):
    return grader.grade(*ROW_MEANS, code, timeout)


def test_a_right_answer_in_any_style_passes(grader):
    for code in ("def row_means(x):\n    return x.mean(dim=1)\n",
                 "def row_means(x):\n    return x.sum(-1) / x.shape[-1]\n",
                 "import torch\ndef row_means(x):\n    return torch.stack([r.mean() for r in x])\n"):
        report = grade(grader, code)
        assert report.passed, (code, report.to_dict())
        assert [r.passed for r in report.results] == [True, True]


def test_the_wrong_dim_fails_with_the_differing_value(grader):
    report = grade(grader, "def row_means(x):\n    return x.mean(dim=0)\n")
    assert report.status == "failed"
    wrong_shape, wrong_values = (r.message for r in report.results)
    assert "has shape (3,) but should have shape (2,)" in wrong_shape  # a 2 x 3 input: the shape gives it away
    assert "(2, 2) float32) differs at [0]:" in wrong_values  # a square one: only the values do


def test_keepdim_is_named_as_a_shape_mistake(grader):
    report = grade(grader, "def row_means(x):\n    return x.mean(1, keepdim=True)\n")
    assert "has shape (2, 1) but should have shape (2,)" in report.results[0].message


def test_an_endless_loop_is_stopped_at_the_limit_and_named(grader):
    report = grade(grader, "def row_means(x):\n    while True:\n        pass\n", timeout=1.5)
    assert report.status == "timeout"
    assert "timed out after 1.5 s" in report.results[0].message
    assert grade(grader, "def row_means(x):\n    return x.mean(1)\n").passed  # the runner still works


def test_a_segfault_and_an_exit_are_reported_and_the_runner_survives(grader):
    crash = grade(grader, "import ctypes\ndef row_means(x):\n    return ctypes.string_at(0)\n")
    assert crash.status == "crashed" and "SIGSEGV" in crash.message
    leave = grade(grader, "import os\ndef row_means(x):\n    os._exit(3)\n")
    assert leave.status == "crashed" and "exit code 3" in leave.message
    assert grade(grader, "def row_means(x):\n    return x.mean(1)\n").passed


def test_syntax_errors_import_errors_and_missing_names_get_their_own_status(grader):
    syntax = grade(grader, "def row_means(x)\n    return x\n")
    assert syntax.status == "error" and "line 1: SyntaxError" in syntax.message
    boom = grade(grader, "raise RuntimeError('at import')\n")
    assert boom.status == "error" and "RuntimeError: at import" in boom.message
    missing = grade(grader, "def row_mean(x):\n    return x.mean(1)\n")
    assert missing.status == "missing" and "does not define row_means" in missing.message


def test_printed_output_comes_back_capped(grader):
    report = grade(grader, "print('hello')\ndef row_means(x):\n    print('x' * 10000)\n    return x.mean(1)\n")
    assert report.passed
    assert report.output.startswith("hello")
    assert len(report.output) < 2100 and "more output cut" in report.output


def test_each_job_starts_from_a_clean_process(grader):
    grade(grader, "import torch\ntorch.set_default_dtype(torch.float64)\ndef row_means(x):\n    return x.mean(1)\n")
    assert grade(grader, "def row_means(x):\n    return x.mean(1)\n").passed  # float32 again in the next job


def test_a_try_step_runs_with_the_repl_imports(grader):
    report = grader.run_try("z = torch.zeros(4, 5)\na = np.ones(2)", "z.shape")
    assert report.passed and report.value == "torch.Size([4, 5])"
    broken = grader.run_try("z = torch.zeros(2) @ torch.zeros(3)", "z.shape")
    assert broken.status == "error" and "RuntimeError" in broken.message


def test_a_dead_runner_is_replaced(grader):
    grader._process.kill()
    grader._process.wait()
    assert grade(grader, "def row_means(x):\n    return x.mean(1)\n").passed


def test_closing_during_a_long_job_returns_at_once():
    if not os.path.isdir("/proc"):
        pytest.skip("watches the runner's processes through /proc")
    import threading

    from tui.core.grading.client import Grader

    own = Grader()
    own.warm_up()
    pid = own._process.pid
    reports = []
    worker = threading.Thread(target=lambda: reports.append(
        own.grade(*ROW_MEANS, "def row_means(x):\n    while True:\n        pass\n", 2 * HANG_GUARD)))
    worker.start()
    wait_for(lambda: descendants(pid), what="the job's forked child to start")
    own.close()
    worker.join(HANG_GUARD)
    assert not worker.is_alive()  # so close() ended the job: its limit is twice as far away
    assert reports[0].status in ("error", "crashed") and not reports[0].passed
    # The runner's forked child was killed with it; a kill takes effect asynchronously, and tearing
    # down a process with torch mapped takes a while on a slow machine, so wait for it to go.
    wait_for(lambda: living_in_group(pid) == [], what="the runner's process group to end")


def test_without_fork_each_job_gets_its_own_runner_and_the_same_verdicts():
    from tui.core.grading.client import Grader

    inline = Grader()
    inline.forks = False  # as on a platform without os.fork
    try:
        assert grade(inline, "def row_means(x):\n    return x.mean(1)\n").passed
        wrong = grade(inline, "def row_means(x):\n    return x.mean(0)\n")
        assert wrong.status == "failed" and "has shape (3,) but should have shape (2,)" in wrong.results[0].message
        loop = grade(inline, "def row_means(x):\n    while True:\n        pass\n", timeout=1)
        assert loop.status == "timeout"
    finally:
        inline.close()
