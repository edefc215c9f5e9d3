"""The grading process: ``python -m tui.core.grading.runner``.

It reads one JSON job per line on stdin and answers one JSON line per job on stdout. It imports
torch and hypothesis once, then forks a child for each job, so a submission starts in
milliseconds, cannot change the next one's state, and is killed at its time limit. The child
sends an event per test through a pipe, so a hang or a crash still names the test it happened
in. Where ``os.fork`` is missing, ``--inline`` runs one job in this process (the client then
starts a fresh runner per job and enforces the limit by killing it).

Jobs: ``{"job": 1, "kind": "exercise", "source": {...}, "lesson": ID, "step": ID, "code": TEXT,
"timeout": S}`` and ``{"job": 2, "kind": "try", "code": TEXT, "check": EXPR, "timeout": S}``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from tui.core.grading.report import TIMED_OUT, Report, TestResult

OUTPUT_KEPT = 2000
"""Characters of the learner's printed output sent back with a report."""
FILE_LIMIT = 8 * 1024 * 1024
"""Bytes the learner's code may print before its writes fail (it cannot fill the disk)."""
SUBMISSION_FILE = "solution.py"

Emit = Callable[[dict[str, Any]], None]


# -- inside the child ------------------------------------------------------------------


def describe_error(error: BaseException, file: str = SUBMISSION_FILE) -> str:
    """One line for an exception: the learner's line it came from, the type and the message."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == file]
    where = ""
    if isinstance(error, SyntaxError) and error.filename == file:
        where = f"line {error.lineno}: "
        return f"{where}SyntaxError: {error.msg}"
    if frames:
        where = f"line {frames[-1].lineno}" + (f" in {frames[-1].name}" if frames[-1].name != "<module>" else "") + ": "
    text = str(error).strip().splitlines()
    return f"{where}{type(error).__name__}" + (f": {text[0]}" if text else "")


def load_code(code: str, file: str = SUBMISSION_FILE) -> dict[str, Any]:
    """Run a module's source in a fresh namespace and return the namespace."""
    namespace: dict[str, Any] = {"__name__": file.removesuffix(".py"), "__file__": file}
    exec(compile(code, file, "exec"), namespace)  # noqa: S102  (running the learner's code is the point)
    return namespace


def find_exercise(job: dict[str, Any]) -> Any:
    """The exercise a job names, from the lessons it says where to find."""
    from tui.core.grading.lookup import find_exercise as lookup
    from tui.core.loader import load_paths
    from tui.core.packs import CourseSpec, load_course

    source = job.get("source") or {"package": "lessons"}
    key = json.dumps(source, sort_keys=True)
    if key not in _CATALOGUES:
        paths = source.get("paths")
        _CATALOGUES[key] = load_paths([Path(p) for p in paths]) if paths else load_course(CourseSpec.from_dict(source))
    return lookup(_CATALOGUES[key], f"{job['lesson']}.{job['step']}")[1]


_CATALOGUES: dict[str, Any] = {}


def run_exercise(job: dict[str, Any], emit: Emit) -> None:
    """Grade one submission, emitting ``setup``, ``start`` and ``result`` events."""
    from tui.core.grading.cases import Submission, title_of

    exercise = find_exercise(job)
    try:
        mine = load_code(job["code"])
    except BaseException as error:  # whatever the learner's module raises is the verdict
        emit({"event": "setup", "status": "error", "message": f"Your code did not run: {describe_error(error)}"})
        return
    missing = [n for n in exercise.names if n not in mine]
    if missing:
        emit({"event": "setup", "status": "missing",
              "message": f"Your code does not define {', '.join(missing)}; the tests need "
                         f"{', '.join(exercise.names)}."})
        return
    sub = Submission(mine, job["code"])
    ref = Submission(load_code(exercise.reference, "reference.py"), exercise.reference)
    for test in exercise.tests:
        name = title_of(test)
        emit({"event": "start", "name": name})
        try:
            test(sub, ref)
        except AssertionError as failure:
            emit({"event": "result", "name": name, "passed": False, "message": _failure_text(failure)})
        except BaseException as error:  # an error from the learner's code fails this test only
            emit({"event": "result", "name": name, "passed": False, "message": f"Your code raised {describe_error(error)}"})
        else:
            emit({"event": "result", "name": name, "passed": True, "message": ""})


def _failure_text(failure: AssertionError) -> str:
    text = str(failure).strip()
    return text.splitlines()[0] if text else "a check failed"


def run_try(job: dict[str, Any], emit: Emit) -> None:
    """Run a try step's code the way the REPL would, then evaluate its check expression."""
    prelude = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np\n"
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(prelude, "<prelude>", "exec"), namespace)  # noqa: S102
    try:
        exec(compile(job["code"], SUBMISSION_FILE, "exec"), namespace)  # noqa: S102
        value = repr(eval(job["check"], namespace)) if job.get("check") else None  # noqa: S307
    except BaseException as error:  # the step's own code failing is what lint reports
        emit({"event": "setup", "status": "error", "message": describe_error(error)})
        return
    emit({"event": "value", "value": value})


def run_job(job: dict[str, Any], emit: Emit) -> None:
    """Run a job of either kind, turning a grader fault into a report rather than a crash."""
    try:
        (run_try if job.get("kind") == "try" else run_exercise)(job, emit)
    except BaseException as error:  # a broken exercise declaration must not take the runner down
        emit({"event": "setup", "status": "error", "message": f"the grader failed: {type(error).__name__}: {error}"})
    emit({"event": "done"})


# -- in the runner, around the child -----------------------------------------------------


def _collect(events: list[dict[str, Any]], status: str, output: str, elapsed: float, why: str = "") -> Report:
    report = Report(status="passed", output=output, elapsed_s=round(elapsed, 3))
    running = None
    for event in events:
        kind = event["event"]
        if kind == "setup":
            report.status, report.message = event["status"], event["message"]
        elif kind == "start":
            running = event["name"]
        elif kind == "result":
            report.results.append(TestResult(event["name"], event["passed"], event["message"]))
            running = None
        elif kind == "value":
            report.value = event["value"]
    if status != "done":
        report.status = status
        report.message = why
        if running is not None:
            report.results.append(TestResult(running, False, why))
    elif report.status == "passed" and not all(r.passed for r in report.results):
        report.status = "failed"
    return report


def _signal_name(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {signal.Signals(number).name}"
        except ValueError:
            return f"signal {number}"
    return f"exit code {os.WEXITSTATUS(status)}"


def _read_output(file: Any) -> str:
    file.seek(0)
    data = file.read(OUTPUT_KEPT + 1).decode("utf-8", "replace")
    return data if len(data) <= OUTPUT_KEPT else data[:OUTPUT_KEPT] + "\n[... more output cut ...]"


def _child(job: dict[str, Any], write_fd: int, output: Any) -> None:
    import resource

    os.dup2(output.fileno(), 1)
    os.dup2(output.fileno(), 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    pipe = os.fdopen(write_fd, "w", buffering=1)

    def emit(event: dict[str, Any]) -> None:
        pipe.write(json.dumps(event) + "\n")

    run_job(job, emit)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001  (a closed or full stream: nothing left to save)
            pass
    pipe.flush()
    os._exit(0)


def grade_forked(job: dict[str, Any]) -> Report:
    """Run one job in a forked child with a time limit and collect its report."""
    if job.get("kind") != "try":
        try:
            find_exercise(job)  # load the lessons here, once: a child's cache dies with the child
        except Exception:  # noqa: BLE001  (the child meets the same error and reports it)
            pass
    timeout = float(job.get("timeout", 10))
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover  (the child; its coverage is the parent's events)
            os.close(read_fd)
            try:
                _child(job, write_fd, output)
            finally:
                os._exit(70)
        os.close(write_fd)
        events, buffer, status, why = [], b"", "crashed", ""
        deadline = started + timeout
        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    status, why = TIMED_OUT, f"timed out after {timeout:g} s: an endless loop, or far too much work?"
                    os.kill(pid, signal.SIGKILL)
                    break
                ready, _, _ = select.select([pipe], [], [], left)
                if not ready:
                    continue
                chunk = os.read(pipe.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                events += [json.loads(line) for line in lines if line]
                if events and events[-1]["event"] == "done":
                    status = "done"
        _, code = os.waitpid(pid, 0)
        if status == "crashed":
            why = (f"the process running your code died ({_signal_name(code)}): a crash, or out of memory?"
                   if os.WIFSIGNALED(code) else f"your code ended the process ({_signal_name(code)}); "
                   "don't call exit() or os._exit() in an exercise")
        return _collect(events, status, _read_output(output), time.monotonic() - started, why)


def grade_inline(job: dict[str, Any]) -> Report:
    """Run one job in this process (no fork on this platform); the caller enforces the limit."""
    events: list[dict[str, Any]] = []
    started = time.monotonic()
    run_job(job, events.append)
    return _collect(events, "done", "", time.monotonic() - started)


def preload() -> None:
    """Import what every job needs, once, before any fork."""
    import hypothesis  # noqa: F401
    import numpy  # noqa: F401
    import torch

    import tui.core.grading.cases  # noqa: F401
    import tui.core.grading.checks  # noqa: F401

    torch.set_num_threads(1)


def serve(inline: bool = False) -> None:
    """Answer jobs from stdin until it closes."""
    out = sys.stdout
    sys.stdout = sys.stderr  # stray prints from lesson modules must not corrupt the protocol
    preload()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    grade = grade_inline if inline or not hasattr(os, "fork") else grade_forked
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        report = grade(job)
        out.write(json.dumps({"job": job.get("job"), **report.to_dict()}) + "\n")
        out.flush()


if __name__ == "__main__":
    serve(inline="--inline" in sys.argv)
