"""``tensordojo check`` and ``tensordojo exercises``: exit codes, JSON, and clear verdicts for broken files.

The command runs in this process (tests/cli_runs.py); ``check`` grades through a pooled grading process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runs import run_cli


@pytest.fixture
def check(tmp_path: Path, capsys, pooled_graders):
    def run(code: str | None, *args: str, exercise: str = "reductions.row-means"):
        file = tmp_path / ("solution.py" if code is not None else "nowhere.py")
        if code is not None:
            file.write_text(code)
        return run_cli(capsys, "check", exercise, str(file), *args)

    return run


def test_a_passing_file_exits_0_and_json_lists_every_test(check):
    done = check("def row_means(x):\n    return x.mean(1)\n", "--json")
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["exercise"] == "reductions.row-means" and verdict["passed"] is True
    assert [set(r) for r in verdict["results"]] == [{"name", "passed", "message"}] * 2


def test_a_failing_file_exits_1_and_prints_each_failure(check):
    done = check("def row_means(x):\n    return x.mean(0)\n")
    assert done.returncode == 1
    assert done.stdout.count("FAIL") == 2 and "reductions.row-means: 2 of 2 tests failed." in done.stdout


def test_bad_input_exits_2_with_one_line(check):
    unknown = check("x = 1\n", exercise="reductions.row-mean")
    assert unknown.returncode == 2 and "did you mean reductions.row-means" in unknown.stderr
    missing_file = check(None)
    assert missing_file.returncode == 2 and "no such file" in missing_file.stderr
    no_names = check("def something_else(x):\n    return x\n")
    assert no_names.returncode == 2 and "does not define row_means" in no_names.stderr
    for done in (unknown, missing_file, no_names):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_syntax_errors_loops_and_crashes_get_a_verdict_not_a_hang(check):
    syntax = check("def row_means(x)\n")
    assert syntax.returncode == 1 and "SyntaxError" in syntax.stdout
    loop = check("def row_means(x):\n    while True: pass\n", "--timeout", "1")
    assert loop.returncode == 1 and "timed out after 1 s" in loop.stdout
    crash = check("import os\ndef row_means(x):\n    os.abort()\n")
    assert crash.returncode == 1 and "SIGABRT" in crash.stdout


def test_exercises_lists_ids_with_the_names_to_define(capsys):
    done = run_cli(capsys, "exercises")
    assert done.returncode == 0
    assert any(line.startswith("○ training-loop.fit ") and "(defines fit)" in line for line in done.stdout.splitlines())


def test_lint_reports_a_starter_that_passes_and_a_reference_that_fails(tmp_path, capsys):
    (tmp_path / "pack.py").write_text('''
from tui.core.grading.cases import agrees
from tui.core.grading.checks import Fail
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson


def six(sub, ref):
    if sub.double(3) != 6:
        raise Fail("double(3) should be 6")


LESSON = Lesson(id="pack", title="P", summary="s", minutes=1, steps=[
    Exercise(id="same", title="Same", prompt="double x", names=["double"],
             starter="def double(x):\\n    return 2 * x\\n", reference="def double(x):\\n    return x * 2\\n",
             tests=[agrees("double", lambda: [(3,)])], hints=["times two"]),
    Exercise(id="wrong", title="Wrong", prompt="double x", names=["double"],
             starter="def double(x):\\n    return x\\n", reference="def double(x):\\n    return x + 1\\n",
             tests=[six], hints=["times two"]),
])
''')
    done = run_cli(capsys, "lint", str(tmp_path))
    assert done.returncode == 1
    assert "pack.py:14: exercise 'same': the starter passes every hidden test" in done.stdout
    assert "pack.py:17: exercise 'wrong': the reference fails: six: double(3) should be 6" in done.stdout
    quick = run_cli(capsys, "lint", "--quick", str(tmp_path))
    assert quick.returncode == 0, quick.stdout


def test_new_lesson_then_lint_then_list_it_as_a_pack(tmp_path, capsys):
    pack = tmp_path / "pack"
    made = run_cli(capsys, "new-lesson", "my-lesson", "--dir", str(pack))
    assert made.returncode == 0 and (pack / "my_lesson.py").is_file()
    linted = run_cli(capsys, "lint", str(pack))
    assert linted.returncode == 0, linted.stdout
    assert "ok: 1 lesson, 6 steps, 1 exercise (exercises and try steps run), no problems" in linted.stdout
    listed = run_cli(capsys, "--lessons", str(pack), "lessons", "--json")
    rows = json.loads(listed.stdout)
    assert rows[-1]["id"] == "my-lesson" and rows[-1]["pack"] == "pack"
    again = run_cli(capsys, "new-lesson", "my-lesson", "--dir", str(pack))
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = run_cli(capsys, "--lessons", str(tmp_path / "nope"), "lessons")
    assert missing.returncode == 0 and "does not exist; going on without it" in missing.stderr
    assert "tensors" in missing.stdout
