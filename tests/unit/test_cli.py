"""The command line: listing, lint, reset, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import good_lesson
from tui import __version__
from tui.cli import main
from tui.core.course.loader import load_package
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore

COURSE = ["tensors", "matmul-broadcasting", "reshaping", "numpy", "reductions", "indexing", "autograd",
          "manual-backprop", "modules", "training-loop", "convolutions", "sequences", "data", "grad-accumulation",
          "data-parallel", "gpu", "debugging-shapes"]
"""The course, in the order the curriculum issues fix (the second edition adds three after the training loop)."""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lessons_json_lists_every_lesson_with_status(capsys):
    store = ProgressStore(progress_db_path())
    store.mark_done("tensors", "done")
    store.close()
    code, out, _ = run(capsys, "lessons", "--json")
    rows = json.loads(out)
    assert code == 0
    assert [r["id"] for r in rows][:2] == ["tensors", "matmul-broadcasting"]
    for row in rows:
        assert {"id", "title", "summary", "steps", "status"} <= row.keys()
    assert rows[0]["status"] == "done" and rows[1]["status"] == "not started"
    assert rows[0]["steps"] == len(load_package().get("tensors").steps)
    assert [r["id"] for r in rows if r["id"] in COURSE] == COURSE  # in order; the course may grow around them


def test_lessons_table(capsys):
    code, out, _ = run(capsys, "lessons")
    assert code == 0
    assert "tensors" in out and "Tensors and dtypes" in out and "not started" in out


@pytest.mark.parametrize(
    "args, expected",
    [(["nope"], "invalid choice: 'nope'"), (["--bogus"], "unrecognized arguments: --bogus"),
     (["--lesson", "nope"], "unknown lesson 'nope'; the lessons are: tensors, matmul-broadcasting"),
     (["reset", "nope"], "unknown lesson 'nope'"), (["reset"], "say which lesson to reset, or --all"),
     (["bench", "--runs", "0"], "--runs and --round-trips must be at least 1")],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, expected):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert expected in err
    assert err.count("\n") == 1 and err.startswith("tensordojo: ")
    assert "Traceback" not in err + out


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0 and capsys.readouterr().out.strip() == f"tensordojo {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for command in ("lessons", "lint", "reset", "bench", "--lesson"):
        assert command in help_text


def test_lint_exit_codes(capsys, tmp_path: Path):
    # --quick: the course's exercises are run once per session, by tests/grading/test_exercises.py.
    code, out, _ = run(capsys, "lint", "--quick")
    assert code == 0 and out.splitlines()[-1].startswith("ok: ") and "exercises and try steps run" not in out
    (tmp_path / "bad.py").write_text(good_lesson("bad").replace('answer="right",', 'answer="nope",'))
    code, out, _ = run(capsys, "lint", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'bad.py'}:" in out and "answer='nope'" in out
    code, out, _ = run(capsys, "lint", str(tmp_path / "missing"))
    assert code == 1 and "no such file or folder" in out


def test_reset_one_and_all(capsys):
    store = ProgressStore(progress_db_path())
    store.set_current_step("tensors", "a")
    store.set_current_step("matmul-broadcasting", "b")
    store.close()
    assert run(capsys, "reset", "tensors")[0] == 0
    assert ProgressStore(progress_db_path()).statuses() == {"matmul-broadcasting": "in progress"}
    assert run(capsys, "reset", "--all")[0] == 0
    assert ProgressStore(progress_db_path()).statuses() == {}


def test_the_console_script_and_the_module_run_without_traceback():
    """The one test that starts the command as a process; every other CLI test calls ``main`` in-process."""
    script = Path(sys.executable).with_name("tensordojo")  # installed beside this Python by pip install -e .
    result = subprocess.run([str(script), "lessons", "--json"], capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout)[0]["id"] == "tensors"
    bad = subprocess.run([sys.executable, "-m", "tui", "frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "invalid choice" in bad.stderr


def test_progress_exports_json_and_merges_files_into_a_table(capsys, tmp_path):
    store = ProgressStore(progress_db_path())
    store.record_answer("tensors", "pad-sequences", "code", True)
    store.close()
    code, out, _ = run(capsys, "progress", "--json", "--name", "Ana")
    assert code == 0 and json.loads(out)["learner"] == "Ana"
    (tmp_path / "ana.json").write_text(out)
    (tmp_path / "junk.json").write_text("[]")
    code, out, err = run(capsys, "progress", "--merge", str(tmp_path / "ana.json"), str(tmp_path / "junk.json"))
    assert code == 0 and "Class progress" in out and "Ana" in out and "skipped" in err and "junk.json" in err
    code, out, _ = run(capsys, "progress", "--merge", str(tmp_path / "ana.json"), "--csv")
    assert code == 0 and out.splitlines()[1].startswith("Ana,")
    code, _, err = run(capsys, "progress", "--merge", str(tmp_path / "junk.json"))
    assert code == 2 and "none of the files could be merged" in err
