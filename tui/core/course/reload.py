"""Reloading one lesson from its file, for ``--watch``: the new version, or why it cannot load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.lesson import BrokenLesson, Lesson
from tui.core.course.loader import load_paths


@dataclass
class LessonSource:
    """A lesson's file and the modification time last seen."""

    path: Path
    seen: float

    @classmethod
    def of(cls, lesson: Lesson) -> LessonSource | None:
        """The file that declared the lesson, or None when it is not a file (built in, say, from a zip)."""
        path = Path(lesson.where.file)
        return cls(path, path.stat().st_mtime) if path.is_file() else None

    def changed(self) -> bool:
        """Whether the file was saved since last seen (a file being replaced counts once it is back)."""
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            return False
        if mtime == self.seen:
            return False
        self.seen = mtime
        return True


def reload_lesson(old: Lesson, source: LessonSource) -> Lesson | str:
    """The lesson as its file now declares it, or a one-line reason it could not be loaded."""
    catalogue = load_paths([source.path], guarded=True)
    entry = catalogue.entries[0] if catalogue.entries else None
    if isinstance(entry, Lesson):
        if entry.id != old.id:
            return f"the file now declares lesson {entry.id!r}, not {old.id!r}; reopen it from the lesson list"
        entry.pack = old.pack
        return entry
    if isinstance(entry, BrokenLesson):
        return f"{entry.where}: {entry.error}"
    return "; ".join(str(p) for p in catalogue.problems) or "the file declares no lesson"


def place_after_reload(old: Lesson, new: Lesson, index: int) -> int:
    """Keep the learner on the same step when it still exists; else at the same position, clamped."""
    step_id = old.steps[index].id if index < len(old.steps) else None
    if any(step.id == step_id for step in new.steps):
        return new.step_index(step_id)
    return min(index, len(new.steps) - 1)
