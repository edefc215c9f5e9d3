"""The ``tensordojo`` commands for practising in your own editor: exercises, start and check (--watch).

A rustlings-style loop: ``start`` writes an exercise's task, starter code and hints to a file;
``check --watch`` grades it on every save and prints the next hint after each failure. Every
check is recorded in the same progress store as the app's, so ``exercises`` (and the app) show
what is passed.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

from tui.cli_shared import UsageError, course, load_lessons, open_store

POLL_S = 0.25
"""How often ``check --watch`` looks at the file's modification time."""


def list_exercises() -> int:
    """Print every exercise id with its title, the names its file defines, and whether you passed it."""
    from tui.core.grading.lookup import exercises, full_id

    store = open_store()
    try:
        rows = []
        for lesson, step in exercises(load_lessons()):
            record = store.answers(lesson.id).get(step.id)
            mark = "✓" if step.id in store.solved_steps(lesson.id) else ("✗" if record else "○")
            tries = f", {record.attempts} attempt{'s' * (record.attempts != 1)}" if record else ""
            rows.append((mark, full_id(lesson, step), step.title, ", ".join(step.names), tries))
    finally:
        store.close()
    width = max((len(r[1]) for r in rows), default=2)
    for mark, ident, title, names, tries in rows:
        print(f"{mark} {ident:<{width}}  {title}  (defines {names}{tries})")
    passed = sum(r[0] == "✓" for r in rows)
    print(f"{passed} of {len(rows)} passed · ✓ passed, ✗ tried, ○ not tried · tensordojo start ID writes one to a file")
    return 0


def start(exercise_id: str, file: Path | None, force: bool) -> int:
    """Write the exercise's file (your draft from the app, if any, else the starter); never overwrite."""
    from tui.core.grading.exercise_file import default_file_name, exercise_file
    from tui.core.grading.lookup import find_exercise

    lesson, exercise = _find(exercise_id)
    target = file or Path(default_file_name(exercise_id))
    if target.exists() and not force:
        raise UsageError(f"{target} exists; check it with 'tensordojo check --watch {target}', "
                         "or pass --force to start it over")
    store = open_store()
    try:
        draft = store.exercise_state(lesson.id, exercise.id).draft
    finally:
        store.close()
    try:
        target.write_text(exercise_file(lesson, exercise, draft or exercise.starter, target.name), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"Wrote {target}{' (your draft from the app)' if draft else ''}: {exercise.title}.")
    print(f"Edit it, then:  tensordojo check --watch {target}")
    return 0


def check(exercise_id: str | None, file: Path, as_json: bool, timeout: float | None, watch: bool = False) -> int:
    """Grade a file: exit 0 when every hidden test passes, 1 when any fails, 2 for bad input.

    Without an exercise id, the file's header line (written by ``start``) names it. Every check
    that counts as an attempt is recorded in the progress store.
    """
    from tui.core.grading.client import Grader

    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    code = _read(file)
    if exercise_id is None:
        from tui.core.grading.exercise_file import exercise_id_in

        exercise_id = exercise_id_in(code)
        if exercise_id is None:
            raise UsageError(f"{file} does not say which exercise it is (its first line would, from "
                             "'tensordojo start ID'); give the id: tensordojo check ID FILE")
    lesson, exercise = _find(exercise_id)
    grader = Grader(course().to_dict())
    store = open_store()
    try:
        if watch:
            return _watch(grader, store, lesson, exercise, exercise_id, file, timeout)
        report = _grade(grader, lesson, exercise, code, timeout)
        if report.status == "missing":
            raise UsageError(f"{file}: {report.message}")
        _record(store, lesson, exercise, code, report)
        if as_json:
            print(json.dumps({"exercise": exercise_id, **report.to_dict()}, indent=2))
        else:
            _print_report(exercise_id, report)
        return 0 if report.passed else 1
    finally:
        grader.close()
        store.close()


def _find(exercise_id: str):
    from tui.core.grading.lookup import find_exercise

    try:
        return find_exercise(load_lessons(), exercise_id)
    except LookupError as error:
        raise UsageError(str(error)) from None


def _read(file: Path) -> str:
    if not file.is_file():
        raise UsageError(f"no such file: {file}")
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {file}: {error}") from None


def _grade(grader, lesson, exercise, code: str, timeout: float | None):
    from tui.core.grading.client import GraderUnavailable

    try:
        return grader.grade(lesson.id, exercise.id, code, timeout or exercise.timeout)
    except GraderUnavailable as error:
        raise UsageError(str(error)) from None


def _record(store, lesson, exercise, code: str, report) -> None:
    """Keep the attempt as the app does: the code as a draft; a pass or a real failure as an attempt."""
    store.save_draft(lesson.id, exercise.id, code)
    if report.passed or report.earns_a_hint:
        store.record_answer(lesson.id, exercise.id, code, report.passed)


def _print_report(exercise_id: str, report) -> None:
    for result in report.results:
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}" + (f"\n      {result.message}" if result.message else ""))
    if report.output.strip() and not report.passed:
        print("your code printed:\n" + "\n".join(f"  {line}" for line in report.output.strip().splitlines()[:10]))
    print(f"{exercise_id}: {report.summary()}")


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        info = file.stat()
    except OSError:
        return None  # between an editor's delete and rename: look again at the next poll
    return info.st_mtime_ns, info.st_size


def _watch(grader, store, lesson, exercise, exercise_id: str, file: Path, timeout: float | None) -> int:
    """Grade the file now and after every save, until ctrl+c; the next hint after each failure."""
    record = store.answers(lesson.id).get(exercise.id)
    failures = 0 if record is None or record.correct else record.attempts
    _let_ctrl_c_stop()
    print(f"Watching {file} for {exercise_id}: save it to check again; ctrl+c stops.", flush=True)
    seen = None
    try:
        while True:
            stamp = _stamp(file)
            if stamp is not None and stamp != seen:
                seen = stamp
                try:
                    code = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as error:
                    print(f"cannot read {file}: {error}; waiting for the next save", flush=True)
                    continue
                report = _grade(grader, lesson, exercise, code, timeout)
                _record(store, lesson, exercise, code, report)
                print(f"\n--- {time.strftime('%H:%M:%S')} ---")
                _print_report(exercise_id, report)
                failures = _after_verdict(exercise, report, failures)
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        print("\nStopped watching. Your file and your progress are kept.", flush=True)
        return 0


def _let_ctrl_c_stop() -> None:
    """Make ctrl+c stop the watch, as its first line promises, even when it was started from a
    process that ignores or blocks SIGINT: both are inherited (a launcher, a test runner, an
    ``&`` in a script), and Python then never raises KeyboardInterrupt, so it watched for ever."""
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers belong to the main thread (an in-process run from a test)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _after_verdict(exercise, report, failures: int) -> int:
    """Say what next: the next hint after a failure, what is left after a pass."""
    if report.passed:
        print("✓ Passed, and recorded. Keep editing to try another way, or ctrl+c to stop.", flush=True)
        return 0
    if not report.earns_a_hint:
        print("(not counted as an attempt, and no hint used: fix it and save again)", flush=True)
        return failures
    failures += 1
    hints = exercise.hints_after(failures)
    if hints and failures <= len(exercise.hints):
        print(f"Hint {len(hints)} of {len(exercise.hints)}: {hints[-1]}", flush=True)
    elif exercise.hints:
        print(f"No more hints; the last: {exercise.hints[-1]}", flush=True)
    print("Save the file to check again.", flush=True)
    return failures
