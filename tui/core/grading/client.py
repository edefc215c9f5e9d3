"""Talking to the grading process from the app, the CLI and lint.

:class:`Grader` starts ``python -m tui.core.grading.runner`` on first use and keeps it, so the
cost of importing torch is paid once; each job still runs in a fresh forked child. If the
runner dies or stops answering it is started again, and the job gets a clear report.
Thread-safe: one job at a time.
"""

from __future__ import annotations

import itertools
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Any

from tui.core.grading.report import TIMED_OUT, Report

STARTUP_S = 90.0
"""How long the runner may take to import torch before it counts as broken."""
SLACK_S = 5.0
"""Time on top of a job's own limit before the runner itself counts as stuck."""


class GraderUnavailable(Exception):
    """The grading process could not be started; the message says why."""


class Grader:
    """A client of one runner process.

    Args:
        source: where the runner finds lessons: ``{"package": "lessons"}`` or ``{"paths": [...]}``.
    """

    def __init__(self, source: dict[str, Any] | None = None) -> None:
        self.source = source or {"package": "lessons"}
        self._process: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._closed = False
        self.forks = hasattr(os, "fork")

    # -- process ---------------------------------------------------------------------------

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "tui.core.grading.runner", *([] if self.forks else ["--inline"])]

    def _start(self) -> subprocess.Popen[str]:
        self._stderr = tempfile.TemporaryFile()
        process = subprocess.Popen(
            self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, bufsize=1, start_new_session=True,
        )
        line = self._read_line(process, STARTUP_S)
        if line is None or not json.loads(line).get("ready"):
            self._kill(process)
            raise GraderUnavailable(f"the grading process did not start: {self._last_error() or 'no answer'}")
        return process

    def _last_error(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    @staticmethod
    def _read_line(process: subprocess.Popen[str], timeout: float) -> str | None:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return None
        line = process.stdout.readline()
        return line or None

    @staticmethod
    def _kill(process: subprocess.Popen[str]) -> None:
        """Kill the runner and the child grading a submission (they share a process group)."""
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()

    def warm_up(self) -> None:
        """Start the runner now (in a background thread, say) so the first check is quick."""
        with self._lock:
            if not self._closed and (self._process is None or self._process.poll() is not None):
                self._process = self._start()

    def close(self) -> None:
        """Stop the runner, at once even while a job runs (quitting must not wait for a grade)."""
        self._closed = True
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            try:
                if process.stdin:
                    process.stdin.close()
                process.wait(timeout=1)
            except (OSError, subprocess.TimeoutExpired):
                self._kill(process)

    # -- jobs ------------------------------------------------------------------------------

    def _submit(self, job: dict[str, Any]) -> Report:
        job = {"job": next(self._ids), **job}
        limit = float(job.get("timeout", 10)) + SLACK_S
        with self._lock:
            if not self.forks:
                return self._submit_inline(job, limit)
            for attempt in range(2):
                if self._closed:
                    return Report("error", "the grader was closed (the app is quitting)")
                if self._process is None or self._process.poll() is not None:
                    self._process = self._start()
                try:
                    assert self._process.stdin is not None
                    self._process.stdin.write(json.dumps(job) + "\n")
                    self._process.stdin.flush()
                except (BrokenPipeError, OSError):
                    self._process = None
                    continue
                started = time.monotonic()
                process = self._process
                line = self._read_line(process, limit)
                if line is not None:
                    return Report.from_dict(json.loads(line))
                self._kill(process)
                self._process = None
                if time.monotonic() - started >= limit:
                    return Report(TIMED_OUT, f"the grader stopped answering after {limit:g} s and was restarted")
            return Report("crashed", f"the grading process keeps dying: {self._last_error() or 'no message'}")

    def _submit_inline(self, job: dict[str, Any], limit: float) -> Report:
        process = self._start()
        assert process.stdin is not None
        process.stdin.write(json.dumps(job) + "\n")
        process.stdin.close()
        line = self._read_line(process, limit)
        self._kill(process)
        if line is None:
            return Report(TIMED_OUT, f"timed out after {job.get('timeout', 10)} s: an endless loop, or far too much work?")
        return Report.from_dict(json.loads(line))

    def grade(self, lesson_id: str, step_id: str, code: str, timeout: float) -> Report:
        """Run an exercise's hidden tests on this code."""
        return self._submit({"kind": "exercise", "source": self.source, "lesson": lesson_id, "step": step_id,
                             "code": code, "timeout": timeout})

    def grade_or_explain(self, lesson_id: str, step_id: str, code: str, timeout: float, then: str) -> Report:
        """``grade``, or, when no grading process can start, an error report saying why and ``then`` (what to do)."""
        try:
            return self.grade(lesson_id, step_id, code, timeout)
        except GraderUnavailable as why:
            return Report("error", f"{why}. {then}")

    def run_try(self, code: str, check: str, timeout: float = 30.0) -> Report:
        """Run a try step's code and evaluate its check (for lint); ``value`` holds the repr."""
        return self._submit({"kind": "try", "code": code, "check": check, "timeout": timeout})
