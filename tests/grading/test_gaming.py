"""Gaming the grader: every trick is graded as a failure, and resources stay bounded.

The tricks live in :mod:`tests.grading.gaming_tricks`; here they go through the shared grader,
``tensordojo check`` and (in tests/app/test_exercise_flow.py) the app's exercise flow.
"""

from __future__ import annotations

import json
import os

import pytest

import tui.core.grading.client as grading_client
from tests.cli_runs import GraderPool, run_cli
from tests.grading.gaming_tricks import TRICKS
from tests.processes import descendants
from tests.waiting import wait_for
from tui.core.grading.client import Grader
from tui.core.grading.fence import landlock_available

ROW_MEANS = ("reductions", "row-means")
LIMIT_S = 5.0
ROOMY_S = 120.0
"""For answers whose verdict must not be a timeout: a limit only as a hang guard (on a busy machine
the learner's process with its children took over 5 s, and a correct answer read 'timed out')."""


@pytest.mark.parametrize("name", list(TRICKS))
def test_a_trick_is_graded_as_a_failure(grader, name):
    report = grader.grade(*ROW_MEANS, TRICKS[name], LIMIT_S)
    assert not report.passed and report.status != "passed", (name, report.to_dict())
    assert report.message or any(not r.passed and r.message for r in report.results), report.to_dict()


def test_imports_of_the_course_fail_with_a_clear_message(grader):
    for module in ("lessons.reductions", "tui.core.grading.checks", "lessons.checks.reductions"):
        report = grader.grade(*ROW_MEANS, f"import {module}\ndef row_means(x):\n    return x.mean(1)\n", ROOMY_S)
        assert report.status == "error" and "cannot import" in report.message, report.to_dict()


@pytest.mark.skipif(not landlock_available(), reason="the kernel has no Landlock")
def test_the_course_files_cannot_be_read_from_the_learner_process(grader):
    report = grader.grade(*ROW_MEANS, TRICKS["read the check module from disk"], LIMIT_S)
    assert report.status == "error" and "Permission denied" in report.message


def test_output_and_exit_tricks_fail_naming_the_exit(grader):
    report = grader.grade(*ROW_MEANS, TRICKS["write result events to every pipe and os._exit(0)"], ROOMY_S)
    # It wrote into the socket too, so the judge says the answer was unreadable, or the exit came first.
    assert report.status == "crashed" and report.results == []
    assert "exit code 0" in report.message or "could not be read" in report.message, report.message


def _grade_and_look_for_leftovers(grader, code: str):
    report = grader.grade(*ROW_MEANS, code, ROOMY_S)
    runner = grader._process.pid
    # The runner has killed the tree before it answered; a SIGKILL takes effect asynchronously,
    # so wait for the kernel to finish tearing the processes down (only the zygote stays).
    wait_for(lambda: len(descendants(runner)) <= 1, what="the learner's process tree to be gone")
    return report, descendants(runner)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_a_correct_answer_that_starts_background_processes_passes_and_they_are_killed(grader):
    code = ("import subprocess, os\n"
            "daemon = subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
            "if os.fork() == 0:\n    os.setsid()\n    import time\n    time.sleep(600)\n"
            "def row_means(x):\n    return x.mean(1)\n")
    report, left = _grade_and_look_for_leftovers(grader, code)
    assert report.passed, report.to_dict()
    assert len(left) == 1, left  # only the zygote stays below the runner


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_too_much_memory_is_stopped_and_named(grader):
    code = ("import torch\nkept = []\n"
            "def row_means(x):\n"
            "    for _ in range(30):\n"
            "        kept.append(torch.ones(25 * 2**20))  # 100 MB at a time, 3 GB in all\n"
            "    return x.mean(1)\n")
    report, left = _grade_and_look_for_leftovers(grader, code)
    assert report.status == "crashed" and "memory" in report.message, report.to_dict()
    assert len(left) == 1, left


def test_tensordojo_check_fails_the_tricks_and_writes_nothing_here(tmp_path, dojo_home, capsys, monkeypatch):
    names = ["write result events to every pipe and os._exit(0)", "import the lesson and call the reference",
             "read the lesson's file from disk and run its reference", "forge an answer frame into the grader's socket"]
    here = tmp_path / "learner"  # the current folder (the data folder is elsewhere, set by conftest)
    here.mkdir()
    monkeypatch.chdir(here)
    # The command runs in this process; its grading process starts here, with this test's data folder,
    # once for the four tricks (each is still graded in a fresh fork).
    graders = GraderPool(Grader, dojo_home, cwd=here)
    monkeypatch.setattr(grading_client, "Grader", graders.make)
    try:
        for name in names:
            file = here / "solution.py"
            file.write_text(TRICKS[name])
            done = run_cli(capsys, "check", "reductions.row-means", str(file), "--json")
            assert done.returncode != 0, (name, done.stdout, done.stderr)
            if done.stdout.strip():
                assert json.loads(done.stdout)["passed"] is False
    finally:
        graders.close()
    assert sorted(p.name for p in here.iterdir()) == ["solution.py"]
