"""How many tabs ``tensordojo serve`` holds, and how long an idle one lives.

Each tab costs an app and a REPL kernel, about 300 MB once torch is loaded (20 tabs took about
6 GB), so the default limit comes from the machine's memory; past it a tab gets a page (or, on a
websocket already open, a line) saying the class is full, and no new process. A tab with no input
for the idle timeout gets a notice and its processes end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SESSION_BYTES = 400 * 2**20
"""Memory set aside per tab: an app and a kernel with torch loaded measured about 300 MB."""
RESERVED_BYTES = 2 * 2**30
"""Memory left to the system and the server."""
DEFAULT_IDLE_S = 2 * 3600.0

FULL_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>tensordojo: the class is full</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>The class is full</h1>
<p>This tensordojo server already runs {limit} sessions, as many as it was started to hold.
Try again when someone closes their tab, or ask the instructor to raise <code>--max-sessions</code>.</p>
</body></html>
"""


def machine_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Total memory in bytes, or None when it cannot be read."""
    try:
        match = re.search(r"^MemTotal:\s+(\d+) kB", meminfo.read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) * 1024 if match else None


def default_max_sessions(memory: int | None) -> int:
    """As many sessions as the memory holds, keeping some for the system; 8 when memory is unknown."""
    if memory is None:
        return 8
    return max(1, (memory - RESERVED_BYTES) // SESSION_BYTES)


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``2h`` as seconds; ``0`` means never. Raises ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not a duration: give seconds, or a number with s, m or h (like 2h)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def describe_duration(seconds: float) -> str:
    """``2 h``, ``30 min``, ``45 s``."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


@dataclass
class Sessions:
    """The tabs being served now, against the limit."""

    limit: int
    idle_s: float = DEFAULT_IDLE_S
    active: set[str] = field(default_factory=set)

    @property
    def full(self) -> bool:
        """Whether a new tab would go past the limit."""
        return len(self.active) >= self.limit

    def enter(self, session_id: str) -> bool:
        """Count a new tab in; False (and nothing counted) when the class is full."""
        if self.full:
            return False
        self.active.add(session_id)
        return True

    def leave(self, session_id: str) -> None:
        """A tab closed or was ended."""
        self.active.discard(session_id)

    def full_notice(self) -> bytes:
        """What a websocket opened past the limit shows before it closes."""
        return (f"\r\n  The class is full: this server holds {self.limit} sessions and all are in use.\r\n"
                "  Reload the page when someone leaves, or ask the instructor to raise --max-sessions.\r\n").encode()

    def idle_notice(self) -> bytes:
        """What an idle tab shows when its session ends."""
        return (f"\r\n\x1b[0m  This session ended after {describe_duration(self.idle_s)} without input. "
                "Your progress is saved; reload the page to start again.\r\n").encode()
