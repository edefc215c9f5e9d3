"""``tensordojo check`` and ``tensordojo exercises``: exit codes, JSON, and clear verdicts for broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def check(tmp_path: Path, code: str | None, *args: str, exercise: str = "reductions.row-means"):
    file = tmp_path / ("solution.py" if code is not None else "nowhere.py")
    if code is not None:
        file.write_text(code)
    return subprocess.run([sys.executable, "-m", "tui.cli", "check", exercise, str(file), *args],
                          capture_output=True, text=True, timeout=120)


def test_a_passing_file_exits_0_and_json_lists_every_test(tmp_path):
    done = check(tmp_path, "def row_means(x):\n    return x.mean(1)\n", "--json")
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["exercise"] == "reductions.row-means" and verdict["passed"] is True
    assert [set(r) for r in verdict["results"]] == [{"name", "passed", "message"}] * 2


def test_a_failing_file_exits_1_and_prints_each_failure(tmp_path):
    done = check(tmp_path, "def row_means(x):\n    return x.mean(0)\n")
    assert done.returncode == 1
    assert done.stdout.count("FAIL") == 2 and "reductions.row-means: 2 of 2 tests failed." in done.stdout


def test_bad_input_exits_2_with_one_line(tmp_path):
    unknown = check(tmp_path, "x = 1\n", exercise="reductions.row-mean")
    assert unknown.returncode == 2 and "did you mean reductions.row-means" in unknown.stderr
    missing_file = check(tmp_path, None)
    assert missing_file.returncode == 2 and "no such file" in missing_file.stderr
    no_names = check(tmp_path, "def something_else(x):\n    return x\n")
    assert no_names.returncode == 2 and "does not define row_means" in no_names.stderr
    for done in (unknown, missing_file, no_names):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_syntax_errors_loops_and_crashes_get_a_verdict_not_a_hang(tmp_path):
    syntax = check(tmp_path, "def row_means(x)\n")
    assert syntax.returncode == 1 and "SyntaxError" in syntax.stdout
    loop = check(tmp_path, "def row_means(x):\n    while True: pass\n", "--timeout", "1")
    assert loop.returncode == 1 and "timed out after 1 s" in loop.stdout
    crash = check(tmp_path, "import os\ndef row_means(x):\n    os.abort()\n")
    assert crash.returncode == 1 and "SIGABRT" in crash.stdout


def test_exercises_lists_ids_with_the_names_to_define():
    done = subprocess.run([sys.executable, "-m", "tui.cli", "exercises"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert any(line.startswith("○ training-loop.fit ") and "(defines fit)" in line for line in done.stdout.splitlines())


def test_lint_reports_a_starter_that_passes_and_a_reference_that_fails(tmp_path):
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
    done = subprocess.run([sys.executable, "-m", "tui.cli", "lint", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "pack.py:14: exercise 'same': the starter passes every hidden test" in done.stdout
    assert "pack.py:17: exercise 'wrong': the reference fails: six: double(3) should be 6" in done.stdout
    quick = subprocess.run([sys.executable, "-m", "tui.cli", "lint", "--quick", str(tmp_path)], capture_output=True,
                           text=True, timeout=60)
    assert quick.returncode == 0, quick.stdout


def test_new_lesson_then_lint_then_list_it_as_a_pack(tmp_path):
    pack = tmp_path / "pack"
    cli = [sys.executable, "-m", "tui.cli"]
    made = subprocess.run([*cli, "new-lesson", "my-lesson", "--dir", str(pack)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 and (pack / "my_lesson.py").is_file()
    linted = subprocess.run([*cli, "lint", str(pack)], capture_output=True, text=True, timeout=120)
    assert linted.returncode == 0, linted.stdout
    assert "ok: 1 lesson, 6 steps, 1 exercise (exercises and try steps run), no problems" in linted.stdout
    listed = subprocess.run([*cli, "--lessons", str(pack), "lessons", "--json"], capture_output=True, text=True, timeout=60)
    rows = json.loads(listed.stdout)
    assert rows[-1]["id"] == "my-lesson" and rows[-1]["pack"] == "pack"
    again = subprocess.run([*cli, "new-lesson", "my-lesson", "--dir", str(pack)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = subprocess.run([*cli, "--lessons", str(tmp_path / "nope"), "lessons"], capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 0 and "does not exist; going on without it" in missing.stderr
    assert "tensors" in missing.stdout
