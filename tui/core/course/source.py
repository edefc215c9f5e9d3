"""Where a lesson object was declared, and problems found in lesson files."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

_CORE_DIR = str(Path(__file__).resolve().parents[1])  # tui/core, above this package


@dataclass(frozen=True)
class SourceLocation:
    """A file and line, written ``file:line`` like a compiler does."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


UNKNOWN_LOCATION = SourceLocation("<unknown>", 0)


def caller_location() -> SourceLocation:
    """Return the first frame outside ``tui/core``: the lesson line that declared the object.

    Frames of dataclass-generated ``__init__`` methods have the file name ``<string>``
    and are skipped too.
    """
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_CORE_DIR) and not name.startswith("<"):
            return SourceLocation(name, frame.f_lineno)
        frame = frame.f_back
    return UNKNOWN_LOCATION


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson, with where it is."""

    where: SourceLocation
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
