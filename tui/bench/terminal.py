"""Driving the real app in a pseudo-terminal and reading its screen, for latency benchmarks.

A latency the learner feels ends when the text is in their terminal, so the clock must include
what a headless run skips: Textual turning the frame into escape sequences, its writer thread,
and the pty. :class:`TerminalApp` launches ``python -m tui`` in a pty, keeps a ``pyte``
terminal emulator fed with what the app writes, and times keys against what appears on screen.
Reads are timestamped before they are parsed, so the emulator's own cost is not counted.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import tempfile
import termios
import time


class ScreenTimeout(Exception):
    """The expected text did not appear in time."""


def launch_in_pty(size: tuple[int, int], args: list[str] | tuple[str, ...]) -> tuple[int, int]:
    """Start ``python ARGS`` in a pseudo-terminal of ``size`` (columns, lines), with a fresh
    progress folder; return the child's pid and the terminal's file descriptor."""
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes the app
        os.environ["TENSORDOJO_HOME"] = tempfile.mkdtemp(prefix="tensordojo-bench-")
        os.environ["COLUMNS"], os.environ["LINES"] = str(size[0]), str(size[1])
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    return pid, fd


class TerminalApp:
    """The app running in a pseudo-terminal of ``size`` (columns, lines)."""

    def __init__(self, size: tuple[int, int] = (100, 30), args: tuple[str, ...] = ("-m", "tui")) -> None:
        import pyte  # a test extra: pip install -e '.[test]'

        self._screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self._screen)
        self.pid, self.fd = launch_in_pty(size, args)

    def text(self) -> str:
        """The screen's text, one line per row."""
        return "\n".join(self._screen.display)

    def send(self, keys: bytes) -> float:
        """Type ``keys``; return perf_counter() just before they were written."""
        sent = time.perf_counter()
        os.write(self.fd, keys)
        return sent

    def _read_available(self, timeout: float) -> float | None:
        """Read what the app wrote (waiting up to ``timeout``); return when the last byte was read."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return None
        data, read_at = b"", 0.0
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:  # the app ended
                break
            if not chunk:
                break
            data, read_at = data + chunk, time.perf_counter()
        self._stream.feed(data)
        return read_at or None

    def wait_for(self, pattern: str, timeout: float = 30.0) -> float:
        """Wait until ``pattern`` (a regular expression) matches the screen; return when the
        bytes that completed it were read."""
        found = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        if found.search(self.text()):
            return time.perf_counter()
        while time.perf_counter() < deadline:
            read_at = self._read_available(min(0.05, max(0.0, deadline - time.perf_counter())))
            if read_at is not None and found.search(self.text()):
                return read_at
        raise ScreenTimeout(f"{pattern!r} did not appear within {timeout} s; the screen:\n{self.text()}")

    def settle(self, seconds: float) -> None:
        """Keep reading for ``seconds`` (lets the screen catch up, as a person pauses)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self._read_available(left)

    def run(self, source: bytes) -> float:
        """Type ``source``, pause as a person would, press Enter; return when Enter was written."""
        self.send(source)
        self.settle(0.15)
        return self.send(b"\r")

    def close(self) -> None:
        """End the app, as :func:`quit_in_pty` does."""
        quit_in_pty(self.pid, self.fd)


def quit_in_pty(pid: int, fd: int, grace: float = 3.0) -> None:
    """End an app started by :func:`launch_in_pty`: ctrl+q as a learner would (so it stops its
    kernel and removes the kernel's socket folder), or a kill if it has not ended within
    ``grace`` seconds; then close the terminal."""
    try:
        os.write(fd, b"\x11")
        deadline = time.perf_counter() + grace
        while time.perf_counter() < deadline:
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                break
            if select.select([fd], [], [], 0.05)[0]:
                os.read(fd, 1 << 16)  # keep the pty drained so the app can write and exit
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (OSError, ChildProcessError):  # the app already ended, or its end closed the pty
        pass
    finally:
        os.close(fd)
