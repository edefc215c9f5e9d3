"""Ending a child process when the process that started it dies, even by SIGKILL.

A served tab's app, its REPL kernel, its training process: each must not outlive its parent, or a
killed server leaves a class's worth of kernels running. The parent says so through the
environment (:func:`mark_child_environment`); the child calls :func:`die_with_parent` first thing.
On Linux the child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
everywhere, a daemon thread also watches the parent's id, the fallback for other systems.

PR_SET_PDEATHSIG fires when the *thread* that forked the child ends, so it is only asked for when
the parent started the child from its main thread; the watching thread covers the others.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PARENT_VARIABLE = "TENSORDOJO_PARENT_PID"
SIGNAL_VARIABLE = "TENSORDOJO_PARENT_SIGNAL"
PR_SET_PDEATHSIG = 1
WATCH_PERIOD_S = 1.0


def mark_child_environment(env: dict[str, str]) -> dict[str, str]:
    """Ask the child that gets ``env`` to end when this process dies; returns ``env``."""
    env[PARENT_VARIABLE] = str(os.getpid())
    main = threading.current_thread() is threading.main_thread()
    env[SIGNAL_VARIABLE] = "1" if main else "0"
    return env


def _ask_for_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent() -> bool:
    """End this process when the parent named in the environment dies; False when none is named.

    The variables are removed from this process's environment, so its own children are told about
    their parent (this process), not their grandparent.
    """
    named = os.environ.pop(PARENT_VARIABLE, None)
    by_signal = os.environ.pop(SIGNAL_VARIABLE, "0") == "1"
    if not named or not named.isdigit():
        return False
    parent = int(named)
    if by_signal:
        _ask_for_signal()
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_PERIOD_S)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    return True
