"""The process that forks learners' processes: started before any lesson is loaded.

The runner forks it right after importing torch, so it (and every learner's process forked from
it) never held a lesson, a reference solution or a check. For each job the runner sends it the
learner's end of a socket and the output file over a Unix socket (``SCM_RIGHTS``); it forks a
learner's process and answers its pid, and later that process's exit status. It is a child
subreaper: whatever a learner's process starts and leaves behind is re-parented here, so the
runner finds the whole tree among this process's descendants and kills it at the end of a job.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import socket
import sys
from typing import Any

_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_PDEATHSIG = 1


def _become_subreaper() -> None:
    if sys.platform == "linux":
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def _die_with_parent() -> None:
    if sys.platform == "linux":
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def _quiet_standard_streams() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _start_learner(request: dict[str, Any], fds: list[int], control: socket.socket) -> int:
    learner_fd, output_fd = fds
    pid = os.fork()
    if pid:
        os.close(learner_fd)
        os.close(output_fd)
        return pid
    try:  # the learner's process
        # It stays in the runner's process group, so a client that kills that group (an app
        # quitting mid-check) kills it too; and it dies with the zygote.
        _die_with_parent()
        control.close()
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.closerange(3, learner_fd)
        os.closerange(learner_fd + 1, 65536)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from tui.core.grading.sandbox import serve_learner

        serve_learner(socket.socket(fileno=learner_fd), request["fenced"], request["blocked"])
    except BaseException:  # a fault of the grader's side: printed into the learner's output, for the report
        import traceback

        traceback.print_exc()
    finally:
        os._exit(70)


def serve_zygote(control: socket.socket) -> None:
    """Fork a learner's process per request until the runner closes the control socket."""
    _quiet_standard_streams()
    _become_subreaper()
    mine: set[int] = set()
    while True:
        ready, _, _ = select.select([control], [], [], 0.05)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                break
            if pid in mine:
                mine.discard(pid)
                control.sendall(json.dumps({"ended": pid, "status": status}).encode() + b"\n")
        if not ready:
            continue
        message, fds, _, _ = socket.recv_fds(control, 65536, 2)
        if not message:
            os._exit(0)
        pid = _start_learner(json.loads(message), fds, control)
        mine.add(pid)
        control.sendall(json.dumps({"started": pid}).encode() + b"\n")


def start_zygote() -> tuple[int, socket.socket]:
    """Fork the zygote from this (lesson-free) process; returns its pid and the control socket."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        try:
            ours.close()
            _die_with_parent()
            keep = theirs.fileno()
            os.closerange(3, keep)
            os.closerange(keep + 1, 65536)
            serve_zygote(theirs)
        finally:
            os._exit(0)
    theirs.close()
    return pid, ours
