"""Length-prefixed frames over the socket between the judge and the learner's process.

Each frame is an 8-byte big-endian length and a payload. The judge's requests carry a fresh random
nonce and an answer counts only with the same nonce, so bytes the learner's code writes into the
socket ahead of time (a fake "passed", a fake result) are read as a broken answer, never as a
verdict. The judge reads answers with :func:`tui.core.grading.values.load` (restricted unpickler).
"""

from __future__ import annotations

import socket
import struct

HEADER = struct.Struct(">Q")
MAX_FRAME = 512 * 1024 * 1024
"""Largest answer read (a result of half a gigabyte is already a mistake)."""


class ChannelClosed(Exception):
    """The other end closed the socket (the learner's process ended, or the judge did)."""


class BrokenFrame(Exception):
    """The bytes read are not a frame this side can use."""


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Write one frame."""
    sock.sendall(HEADER.pack(len(payload)) + payload)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ChannelClosed("the other end closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive_frame(sock: socket.socket) -> bytes:
    """Read one frame's payload (blocking)."""
    (size,) = HEADER.unpack(_read_exactly(sock, HEADER.size))
    if size > MAX_FRAME:
        raise BrokenFrame(f"a frame of {size} bytes")
    return _read_exactly(sock, size)
