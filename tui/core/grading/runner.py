"""The grading process: ``python -m tui.core.grading.runner``.

It reads one JSON job per line on stdin and answers one JSON line per job on stdout. At start it
imports torch, then forks the zygote (:mod:`tui.core.grading.zygote`), before any lesson is
loaded. For an exercise job it then uses three processes:

- the **learner's process**, forked by the zygote: it runs the learner's module and calls its
  functions on request (:mod:`tui.core.grading.sandbox`); it holds no reference, no expected value
  and no comparison, cannot import the course, and (with Landlock) cannot read its files;
- the **judge**, forked from this process: it loads the exercise, computes expected values and
  compares, talking to the learner's process over a socket (:mod:`tui.core.grading.judge`), and
  sends this process one event per test through a pipe;
- this process, which enforces the time limit and a memory limit on the learner's process tree
  (the watchdog, :mod:`tui.core.grading.watchdog`, on its resident memory), kills the whole tree at the end (the zygote is a child
  subreaper, so even a daemonised child is found), and builds the report. A test without a
  result fails, naming the test.

Jobs: ``{"job": 1, "kind": "exercise", "source": {...}, "lesson": ID, "step": ID, "code": TEXT,
"timeout": S}`` and ``{"job": 2, "kind": "try", "code": TEXT, "check": EXPR, "timeout": S}`` (a
lesson's own try-step code: trusted, run in a forked child).
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from tui.core.grading.report import TIMED_OUT, Report, TestResult
from tui.core.grading.sandbox import BROKEN_EXIT
from tui.core.grading.watchdog import EventPipe, end_tree, timed_out, watch_limits

OUTPUT_KEPT = 2000
"""Characters of the learner's printed output sent back with a report."""
FILE_LIMIT = 8 * 1024 * 1024
"""Bytes the code may print before its writes fail (it cannot fill the disk)."""
"""Bytes of private resident memory the learner's process tree may hold."""
SUBMISSION_FILE = "solution.py"

Emit = Callable[[dict[str, Any]], None]


def describe_error(error: BaseException, file: str = SUBMISSION_FILE) -> str:
    """One line for an exception: the line it came from, the type and the message."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == file]
    if isinstance(error, SyntaxError) and error.filename == file:
        return f"line {error.lineno}: SyntaxError: {error.msg}"
    where = ""
    if frames:
        where = f"line {frames[-1].lineno}" + (f" in {frames[-1].name}" if frames[-1].name != "<module>" else "") + ": "
    text = str(error).strip().splitlines()
    return f"{where}{type(error).__name__}" + (f": {text[0]}" if text else "")


def find_exercise(job: dict[str, Any]) -> Any:
    """The exercise a job names, from the lessons it says where to find."""
    from tui.core.grading.lookup import find_exercise as lookup
    from tui.core.course.loader import load_paths
    from tui.core.course.packs import CourseSpec, load_course

    source = job.get("source") or {"package": "lessons"}
    key = json.dumps(source, sort_keys=True)
    if key not in _CATALOGUES:
        paths = source.get("paths")
        _CATALOGUES[key] = load_paths([Path(p) for p in paths]) if paths else load_course(CourseSpec.from_dict(source))
    return lookup(_CATALOGUES[key], f"{job['lesson']}.{job['step']}")[1]


_CATALOGUES: dict[str, Any] = {}


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


# -- in the runner, around the children ------------------------------------------------


def _collect(events: list[dict[str, Any]], status: str, output: str, elapsed: float, why: str = "") -> Report:
    """The report from the judge's events; a test in the plan without a result is a failure."""
    report = Report(status="passed", output=output, elapsed_s=round(elapsed, 3))
    running, planned, results = None, None, {}
    for event in events:
        kind = event.get("event")
        if kind == "plan":
            planned = list(event["tests"])
        elif kind == "setup":
            report.status, report.message = event["status"], event["message"]
        elif kind == "start":
            running = event["name"]
        elif kind == "result" and event.get("name") not in results:
            results[event["name"]] = TestResult(event["name"], bool(event["passed"]), event["message"])
            running = None
        elif kind == "value":
            report.value = event["value"]
    report.results = [results[n] for n in (planned if planned is not None else list(results)) if n in results]
    if status != "done":
        report.status, report.message = status, why
        if running is not None and running not in results:
            report.results.append(TestResult(running, False, why))
        return report
    if report.status == "passed" and planned is not None:
        report.results += [TestResult(n, False, "no result came back for this test") for n in planned if n not in results]
        if not planned:
            report.status, report.message = "failed", "this exercise has no hidden tests"
    if report.status == "passed" and not all(r.passed for r in report.results):
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


def _fork_with_pipe(body: Callable[[Emit], None], setup: Callable[[], None] | None = None) -> tuple[int, int]:
    """Fork a child that runs ``body(emit)``, emitting JSON events into a pipe; then ``done``."""
    read_fd, write_fd = os.pipe()
    gc.freeze()  # what came since the last fork (a course loaded, say) stays shared too: see _freeze_for_forks
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child; its coverage is the parent's events)
        try:
            os.close(read_fd)
            if setup:
                setup()
            pipe = os.fdopen(write_fd, "w", buffering=1)

            def emit(event: dict[str, Any]) -> None:
                pipe.write(json.dumps(event) + "\n")

            try:
                body(emit)
            except BaseException as error:  # a broken exercise declaration must not take the runner down
                emit({"event": "setup", "status": "error", "message": f"the grader failed: {type(error).__name__}: {error}"})
            emit({"event": "done"})
            pipe.flush()
        finally:
            os._exit(0)
    os.close(write_fd)
    return pid, read_fd


def _quiet_child(output: Any) -> Callable[[], None]:
    def setup() -> None:
        import resource

        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))

    return setup


def grade_try(job: dict[str, Any]) -> Report:
    """Run a try step (the course's own code) in a forked child with a time limit."""
    timeout = float(job.get("timeout", 10))
    with tempfile.TemporaryFile() as output:
        started = time.monotonic()
        pid, read_fd = _fork_with_pipe(lambda emit: run_try(job, emit), _quiet_child(output))
        events = EventPipe(read_fd)
        status, why = "crashed", ""
        while not events.closed and not events.done:
            left = started + timeout - time.monotonic()
            if left <= 0:
                status, why = TIMED_OUT, timed_out(timeout)
                os.kill(pid, signal.SIGKILL)
                break
            if select.select([read_fd], [], [], left)[0]:
                events.read()
        os.close(read_fd)
        _, code = os.waitpid(pid, 0)
        if events.done:
            status = "done"
        elif status == "crashed":
            why = f"the process running the code died ({_signal_name(code)})"
        return _collect(events.items, status, _read_output(output), time.monotonic() - started, why)


class Runner:
    """This process's state: the zygote, and the lesson catalogues (loaded after the zygote forked)."""

    def __init__(self) -> None:
        from tui.core.grading.zygote import start_zygote

        self.zygote, self.control = start_zygote()
        self.control_buffer = b""
        self.ended: dict[int, int] = {}

    def _zygote_lines(self, timeout: float) -> list[dict[str, Any]]:
        if not select.select([self.control], [], [], timeout)[0]:
            return []
        chunk = self.control.recv(65536)
        if not chunk:
            raise RuntimeError("the process that starts learners' processes ended")
        self.control_buffer += chunk
        *lines, self.control_buffer = self.control_buffer.split(b"\n")
        messages = [json.loads(line) for line in lines if line]
        for message in messages:
            if "ended" in message:
                self.ended[int(message["ended"])] = int(message["status"])
        return messages

    def start_learner(self, job: dict[str, Any], learner_end: socket.socket, output: Any) -> int:
        request = json.dumps({"fenced": fenced_paths(job), "blocked": blocked_packages(job)}).encode()
        socket.send_fds(self.control, [request], [learner_end.fileno(), output.fileno()])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for message in self._zygote_lines(deadline - time.monotonic()):
                if "started" in message:
                    return int(message["started"])
        raise RuntimeError("the learner's process did not start")

    def grade_exercise(self, job: dict[str, Any]) -> Report:
        """Grade one submission with a learner's process, a judge, a time limit and a memory limit."""
        from tui.core.grading.judge import judge

        try:
            exercise = find_exercise(job)
        except Exception as error:  # noqa: BLE001
            return Report("error", f"the grader failed: {type(error).__name__}: {error}")
        timeout = float(job.get("timeout", 10))
        with tempfile.TemporaryFile() as output:
            started = time.monotonic()
            judge_end, learner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            learner = self.start_learner(job, learner_end, output)
            learner_end.close()

            def body(emit: Emit) -> None:
                self.control.close()
                judge(exercise, job["code"], judge_end, emit)

            judge_pid, read_fd = _fork_with_pipe(body, _quiet_judge)
            judge_end.close()
            status, why = self._watch(judge_pid, read_fd, learner, started, timeout)
            report = _collect(self._events, status, _read_output(output), time.monotonic() - started, why)
        return report

    def _watch(self, judge_pid: int, read_fd: int, learner: int, started: float, timeout: float) -> tuple[str, str]:
        events = EventPipe(read_fd)
        self._events = events.items
        status, why = watch_limits(events, self.zygote, self.control, lambda: self._zygote_lines(0), started, timeout)
        gone = next((e for e in events.items if e.get("event") == "gone"), None)
        if events.done and gone is None:
            status = "done"
        elif gone is not None:
            status, why = "crashed", self._gone_reason(learner, gone.get("why", ""))
        end_tree(self.zygote, judge_pid)
        os.close(read_fd)
        return status, why

    def _gone_reason(self, learner: int, why: str) -> str:
        deadline = time.monotonic() + 2
        while learner not in self.ended and time.monotonic() < deadline:
            self._zygote_lines(0.05)
        code = self.ended.get(learner)
        if code is None:
            return f"the grader could not use your code's answer: {why}"
        if os.WIFSIGNALED(code):
            return f"the process running your code died ({_signal_name(code)}): a crash, or out of memory?"
        if os.WEXITSTATUS(code) == BROKEN_EXIT:
            return ("your code broke the process it runs in (did it replace a builtin, or a function of torch "
                    "or pickle?); the grader could not call it")
        if os.WEXITSTATUS(code) == 0 and why and "ended" not in why:
            return f"the grader could not use your code's answer: {why}"
        return (f"your code ended the process ({_signal_name(code)}); don't call exit() or os._exit() "
                "in an exercise")


def _quiet_judge() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)


def fenced_paths(job: dict[str, Any]) -> list[str]:
    """Folders and files the learner's process may not read: the app's and the course's code."""
    found = []
    for name in blocked_packages(job):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            found += list(spec.submodule_search_locations or [spec.origin or ""])
    found += [str(Path(p).resolve()) for p in (job.get("source") or {}).get("paths") or []]
    return [p for p in found if p]


def blocked_packages(job: dict[str, Any]) -> list[str]:
    """Top-level packages a submission may not import."""
    package = str((job.get("source") or {}).get("package") or "lessons").split(".")[0]
    return sorted({"tui", "lessons", package})


def preload() -> None:
    """Import what every job needs, once, before the zygote forks (nothing of the course)."""
    import hypothesis  # noqa: F401
    import numpy  # noqa: F401
    import torch

    import tui.core.grading.sandbox  # noqa: F401

    torch.set_num_threads(1)
    # The first optimizer step imports torch._dynamo (about a second): pay it here, once, so
    # neither the judge nor the learner's process pays it per submission.
    weight = torch.zeros(1, requires_grad=True)
    for optimizer in (torch.optim.Adam([weight]), torch.optim.SGD([weight], lr=0.1, momentum=0.9)):
        weight.grad = torch.ones(1)
        optimizer.step()


def _freeze_for_forks() -> None:
    """Move every object made so far out of the garbage collector's reach before forking children.

    A forked child shares this process's memory until it writes to it, and a collection in the
    child writes to every object it scans (torch's, hypothesis's, the course's): each judge and
    learner's process copied most of that memory and spent the CPU doing it. Frozen objects are
    never scanned, so the children keep sharing them (Python's ``gc.freeze`` documentation gives
    this very use)."""
    gc.collect()
    gc.freeze()


def _hypothesis_storage() -> None:
    """Keep hypothesis's folder out of the learner's current folder (nothing is written to cwd)."""
    from tui.core.paths import data_dir

    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(data_dir() / "hypothesis")


def serve(inline: bool = False) -> None:
    """Answer jobs from stdin until it closes."""
    out = sys.stdout
    sys.stdout = sys.stderr  # stray prints from lesson modules must not corrupt the protocol
    _hypothesis_storage()
    if not hasattr(os, "fork"):
        out.write(json.dumps({"ready": False, "error": "grading needs os.fork (Linux or macOS)"}) + "\n")
        out.flush()
        return
    preload()
    _freeze_for_forks()
    runner = Runner()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        report = grade_try(job) if job.get("kind") == "try" else runner.grade_exercise(job)
        out.write(json.dumps({"job": job.get("job"), **report.to_dict()}) + "\n")
        out.flush()


if __name__ == "__main__":
    serve(inline="--inline" in sys.argv)
