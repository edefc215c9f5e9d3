"""The app's side of the training process (:mod:`tui.core.training.child`): start it, run, control, save.

:meth:`TrainingProcess.run` blocks until the run ends, so the training screen calls it from a thread
worker, which posts each report as a message. A reader thread owns the socket's receiving end and
routes what arrives: reports to the run in progress, save replies to the save waiting for them. If
the process dies (killed, out of memory, a crash in a native library), the run in progress ends
with a report that says so, and the next run starts a new process; the app itself is untouched.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable

from tui.core.processes.exit_status import describe_exit
from tui.core.paths import child_environment
from tui.core.training.checkpoint import CheckpointError
from tui.core.training.config import TrainConfig
from tui.core.training.engine import Report

SAVE_TIMEOUT = 30.0


class RemoteControl:
    """Pause, resume, stop and a new learning rate for a run in the training process.

    The same surface as :class:`~tui.core.training.engine.RunControl`, so the screen treats a run
    the same wherever it trains; each call sends one message and returns at once.
    """

    def __init__(self, send: Callable[[tuple], None]) -> None:
        self._send = send
        self.paused = False
        self.stop_requested = False

    def pause(self) -> None:
        """Hold the run after its next report."""
        self.paused = True
        self._send(("pause",))

    def resume(self) -> None:
        """Let the run go on."""
        self.paused = False
        self._send(("resume",))

    def stop(self) -> None:
        """End the run after its next report (a paused run ends too)."""
        self.stop_requested = True
        self._send(("stop",))

    @property
    def new_lr(self) -> None:
        """Write-only: setting it changes the run's learning rate after its next report."""
        return None

    @new_lr.setter
    def new_lr(self, value: float) -> None:
        self._send(("lr", float(value)))


def _exit_words(code: int | None) -> str:
    return "it stopped answering" if code is None else describe_exit(code)


def _died_report(last: Report | None, config: TrainConfig, code: int | None) -> Report:
    """The end of a run whose process died: the last figures it sent, and why it ended."""
    message = (f"The training process ended: {_exit_words(code)}. The curve so far stays; "
               "press s to start a new run.")
    if last is None:
        return Report.ended(config.lr, message)
    return replace(last, steps=[], losses=[], accuracy=None, grad_norms={}, boundary=None, done=True, paused=False,
                   reason="error", message=message)


class TrainingProcess:
    """One training process, started on first use and restarted after it dies.

    Args:
        log_path: where the process's own stdout and stderr go (they must never print over the TUI).
    """

    def __init__(self, log_path: Path | None = None) -> None:
        self.log_path = log_path
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._socket: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._run_queue: queue.Queue[tuple] = queue.Queue()
        self._save_queue: queue.Queue[tuple] = queue.Queue()
        self._ready = threading.Event()

    @property
    def alive(self) -> bool:
        """Whether the process is running."""
        return self._process is not None and self._process.poll() is None

    def ensure_started(self) -> None:
        """Start the process unless it runs (it imports torch at once, so call this early).

        Raises:
            OSError: when it cannot be started (its log folder cannot be made, say).
        """
        with self._start_lock:
            if self.alive:
                return
            self._close_connection()
            log: Any = subprocess.DEVNULL
            if self.log_path is not None:
                try:  # an unwritable data folder costs the log, not the run (the store says where)
                    self.log_path.parent.mkdir(parents=True, exist_ok=True)
                    log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115
                except OSError:
                    pass
            ours, theirs = socket.socketpair()
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "tui.core.training.child", str(theirs.fileno())],
                    pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    env=self._environment(), close_fds=True)
            finally:
                theirs.close()
                if log is not subprocess.DEVNULL:
                    log.close()
            # The connection reads and writes a copy of the socket's descriptor; the socket itself is
            # kept so that shutdown() can wake the reader thread blocked in recv (close alone does not).
            self._socket, self._conn = ours, Connection(os.dup(ours.fileno()))
            self._run_queue, self._save_queue, self._ready = queue.Queue(), queue.Queue(), threading.Event()
            reader = threading.Thread(target=self._read, args=(self._conn, self._process, self._run_queue, self._save_queue,
                                                               self._ready), name="training-reader", daemon=True)
            reader.start()

    @staticmethod
    def _environment() -> dict[str, str]:
        env = child_environment()
        env["OMP_NUM_THREADS"] = "1"  # set before torch is imported there (DESIGN.md)
        return env

    @staticmethod
    def _read(conn: Connection, process: subprocess.Popen, runs: queue.Queue, saves: queue.Queue,
              ready: threading.Event) -> None:
        """Route what the process sends until it closes; then tell whoever waits that it is gone."""
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "ready":
                ready.set()
            else:
                (saves if message[0] == "saved" else runs).put(message)
        try:
            code = process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        runs.put(("died", code))
        saves.put(("died", code))

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Start the process if needed and wait until it has loaded torch; False if it did not in time."""
        self.ensure_started()
        return self._ready.wait(timeout)

    def send(self, message: tuple) -> None:
        """Send one message to the process (ignored when it is gone: the run's end says why)."""
        with self._send_lock:
            conn = self._conn
            if conn is None:
                return
            try:
                conn.send(message)
            except OSError:
                pass

    def run(self, config: TrainConfig, control: RemoteControl, on_report: Callable[[Report], None],
            on_started: Callable[[str], None] | None = None) -> Report:
        """Train one run in the process, passing each report on; return the last one.

        Blocks until the run ends (finished, stopped, diverged, out of memory, or the process died).
        """
        self.ensure_started()  # a new process comes with new queues: nothing of a dead one is read
        runs = self._run_queue
        self.send(("run", config))
        last: Report | None = None
        while True:
            message = runs.get()
            kind = message[0]
            if kind == "started" and on_started is not None:
                on_started(message[1])
            elif kind == "report":
                last = message[1]
                on_report(last)
                if last.done:
                    return last
            elif kind == "died":
                final = _died_report(last, config, message[1])
                on_report(final)
                return final

    def control(self) -> RemoteControl:
        """A control for the next run."""
        return RemoteControl(self.send)

    def save_checkpoint(self, path: Path, timeout: float = SAVE_TIMEOUT) -> None:
        """Write the last run's checkpoint (config, step, model, optimizer) to ``path`` (call while the run
        is paused or over).

        Raises:
            CheckpointError: with the reason, when it could not be written.
        """
        if not self.alive:
            raise CheckpointError("the training process is not running, so there is no model to save")
        saves = self._save_queue
        self.send(("save", str(path)))
        try:
            message = saves.get(timeout=timeout)
        except queue.Empty:
            raise CheckpointError(f"the training process did not answer within {timeout:.0f} s") from None
        if message[0] == "died":
            raise CheckpointError(f"the training process ended: {_exit_words(message[1])}")
        if message[2]:
            raise CheckpointError(message[2])

    def _close_connection(self) -> None:
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)  # the process reads EOF and ends; our reader wakes
            except OSError:
                pass
            self._socket.close()
            self._socket = None
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
            self._conn = None

    def shutdown(self, timeout: float = 3.0) -> None:
        """End the process: closing the connection ends it; it is killed if it has not gone in ``timeout`` s."""
        process = self._process
        with self._send_lock:
            self._close_connection()
        if process is None:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._process = None

    def pid(self) -> int | None:
        """The process id, or None (tests kill it to check recovery)."""
        return self._process.pid if self.alive else None
