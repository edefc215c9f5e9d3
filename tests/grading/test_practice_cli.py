"""The exercise loop on the command line: start writes a file, check (and --watch) grades and records it.

``start`` and ``check`` run in this process (tests/cli_runs.py); ``check --watch`` runs as a real
command, to stop it with a real ctrl+c (SIGINT).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli_runs import run_cli
from tests.waiting import wait_for
from tui.core.grading.exercise_file import exercise_id_in
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore

CLI = [sys.executable, "-m", "tui.cli"]
EXERCISE = "reductions.row-means"
RIGHT = "def row_means(x):\n    return x.mean(dim=1)\n"


@pytest.fixture
def run(capsys, monkeypatch, pooled_graders):
    """``tensordojo ARGS`` run from the folder ``cwd``."""

    def run_in(*args: str, cwd: Path):
        monkeypatch.chdir(cwd)
        return run_cli(capsys, *args)

    return run_in


def test_start_writes_the_task_the_starter_and_the_hints_and_never_overwrites(tmp_path, run):
    from tui.app import make_app

    exercise = make_app(start_kernel=False).catalogue.get("reductions").steps
    exercise = next(s for s in exercise if getattr(s, "id", "") == "row-means")
    done = run("start", EXERCISE, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "reductions_row_means.py").read_text()
    assert exercise_id_in(text) == EXERCISE
    assert exercise.starter.strip() in text  # the code, uncommented
    assert all(hint.split()[0] in text for hint in exercise.hints) and "# 1. " in text
    assert "row_means" in text.split(exercise.starter.strip())[0]  # the task comes first
    again = run("start", EXERCISE, cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert (tmp_path / "reductions_row_means.py").read_text() == text


def test_check_records_attempts_and_exercises_shows_what_passed(tmp_path, run):
    file = tmp_path / "mine.py"
    file.write_text("def row_means(x):\n    return x.mean(dim=0)\n")
    assert run("check", EXERCISE, str(file), cwd=tmp_path).returncode == 1
    file.write_text("def row_means(x)\n")  # a syntax error: not an attempt
    assert run("check", EXERCISE, str(file), cwd=tmp_path).returncode == 1
    listed = run("exercises", cwd=tmp_path).stdout
    assert f"✗ {EXERCISE}" in listed and "1 attempt)" in listed
    file.write_text(RIGHT)
    assert run("check", EXERCISE, str(file), cwd=tmp_path).returncode == 0
    store = ProgressStore(progress_db_path())
    try:
        assert "row-means" in store.solved_steps("reductions")  # the app's store: the app shows it passed
        assert store.answers("reductions")["row-means"].attempts == 2
    finally:
        store.close()
    headless = tmp_path / "plain.py"
    headless.write_text(RIGHT)
    unnamed = run("check", str(headless), cwd=tmp_path)
    assert unnamed.returncode == 2 and "does not say which exercise" in unnamed.stderr


def _ignoring_ctrl_c() -> None:
    """Run in the child before it starts: SIGINT ignored and blocked, as a launcher may leave it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_ctrl_c_stops_the_watch_even_when_started_with_sigint_ignored_and_blocked(tmp_path, run):
    # Both are inherited through exec; a loaded suite's worker once passed them on, and the watcher,
    # told "ctrl+c stops", slept on through every ctrl+c.
    assert run("start", EXERCISE, "ex.py", cwd=tmp_path).returncode == 0
    watcher = subprocess.Popen([*CLI, "check", "--watch", "ex.py"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, preexec_fn=_ignoring_ctrl_c)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(iter(watcher.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        wait_for(lambda: "Hint 1 of" in "".join(out), what="the first verdict")
        watcher.send_signal(signal.SIGINT)
        try:
            code = watcher.wait(timeout=120)  # a hang guard, not a time limit
        except subprocess.TimeoutExpired:
            pytest.fail("check --watch slept on through ctrl+c (SIGINT ignored or blocked from its parent)")
        assert code == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
    reader.join(timeout=10)
    assert "Stopped watching" in "".join(out)


def test_watch_regrades_on_save_with_the_next_hint_and_stops_cleanly_on_ctrl_c(tmp_path, run):
    assert run("start", EXERCISE, "ex.py", cwd=tmp_path).returncode == 0
    file = tmp_path / "ex.py"
    # faulthandler: a watcher that does not stop after ctrl+c is made to print where it is stuck
    watcher = subprocess.Popen([*CLI, "check", "--watch", "ex.py"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda: out.extend(iter(watcher.stdout.readline, "")), daemon=True),
               threading.Thread(target=lambda: err.extend(iter(watcher.stderr.readline, "")), daemon=True)]
    for reader in readers:
        reader.start()  # both pipes drained as the watcher writes: a full pipe would block it
    try:
        wait_for(lambda: "Hint 1 of" in "".join(out), what="the first verdict with hint 1")
        file.write_text(file.read_text().replace("    ...", "    return x.mean(dim=0)"))
        wait_for(lambda: "Hint 2 of" in "".join(out), what="the second verdict with hint 2")
        file.write_text(file.read_text().replace("x.mean(dim=0)", "x.mean(dim=1)"))
        wait_for(lambda: "Passed" in "".join(out), what="the pass")
        watcher.send_signal(signal.SIGINT)
        try:
            code = watcher.wait(timeout=120)  # a hang guard, not a time limit
        except subprocess.TimeoutExpired:
            watcher.send_signal(signal.SIGABRT)  # faulthandler writes every thread's stack to stderr
            watcher.wait(timeout=30)
            for reader in readers:
                reader.join(timeout=10)
            pytest.fail("check --watch did not stop after ctrl+c; its output:\n" + "".join(out)
                        + "\nits stderr:\n" + "".join(err))
        assert code == 0, "".join(err)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    for reader in readers:
        reader.join(timeout=10)
    assert "Stopped watching" in "".join(out)
    assert "Traceback" not in "".join(err)
    assert "".join(out).count("tests failed") == 2
