"""Lesson packs: the built-in course plus lessons from folders and from installed packages.

Modules of outside packs are tried in a child process first (:mod:`tui.core.course.import_guard`): one that
exits or hangs at import is listed as broken and the rest load.

A pack is a folder of lesson modules (``--lessons DIR``, or ``TENSORDOJO_LESSONS``, a list of
folders separated like ``PATH``), or a package that registers itself under the entry-point group
``tensordojo.lessons`` (the entry point's value is a package with ``ORDER``, like ``lessons``).
Every lesson knows its pack. A lesson id that a second pack uses again is not merged: that
lesson is listed as broken with both packs named, and the first one stays usable.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.lesson import BrokenLesson
from tui.core.course.loader import Catalogue, load_package, load_paths
from tui.core.course.source import Problem, SourceLocation

BUILT_IN = "tensordojo"
"""The pack name of the course that ships with the app."""
ENTRY_POINT_GROUP = "tensordojo.lessons"
ENV_VAR = "TENSORDOJO_LESSONS"


@dataclass(frozen=True)
class CourseSpec:
    """Where lessons come from; JSON-ready, so the grading process can load the same ones.

    Attributes:
        package: the built-in course's package.
        folders: folders of lesson modules, each a pack named after the folder.
        entry_points: whether to add the packs installed packages register.
    """

    package: str = "lessons"
    folders: tuple[str, ...] = field(default=())
    entry_points: bool = True

    @classmethod
    def from_options(cls, folders: list[str] | None = None, environ: dict[str, str] | None = None) -> CourseSpec:
        """``--lessons`` folders first, then those in ``TENSORDOJO_LESSONS``; duplicates dropped."""
        env = (environ if environ is not None else os.environ).get(ENV_VAR, "")
        listed = [*(folders or []), *[p for p in env.split(os.pathsep) if p.strip()]]
        unique = list(dict.fromkeys(str(Path(p).expanduser().resolve()) for p in listed))
        return cls(folders=tuple(unique))

    def missing_folders(self) -> list[str]:
        """Folders that do not exist (the rest still load)."""
        return [f for f in self.folders if not Path(f).is_dir()]

    def to_dict(self) -> dict[str, Any]:
        """The form the grading process receives."""
        return {"package": self.package, "folders": list(self.folders), "entry_points": self.entry_points}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CourseSpec:
        """Read :meth:`to_dict`'s form."""
        return cls(data.get("package", "lessons"), tuple(data.get("folders", ())), bool(data.get("entry_points", True)))


def _with_pack(entry: Any, pack: str) -> Any:
    if isinstance(entry, BrokenLesson):
        return dataclasses.replace(entry, pack=pack)
    entry.pack = pack
    return entry


def merge(course: Catalogue, pack: str, more: Catalogue) -> None:
    """Add a pack's lessons to the course; an id already taken is reported and kept out of the way."""
    course.problems += more.problems
    for entry in more.entries:
        taken = course.get(entry.id)
        if taken is None:
            course.entries.append(_with_pack(entry, pack))
            continue
        message = (f"lesson id {entry.id!r} is used by pack {taken.pack!r} and again by pack {pack!r}; "
                   f"rename one (the {taken.pack!r} lesson is the one that opens)")
        course.problems.append(Problem(entry.where, message))
        course.entries.append(BrokenLesson(f"{pack}/{entry.id}", entry.where, message, getattr(entry, "title", ""), pack))


def installed_packs() -> list[tuple[str, str]]:
    """``(pack name, package)`` for every package registered under ``tensordojo.lessons``."""
    from importlib.metadata import entry_points

    return sorted((ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP))


def load_course(spec: CourseSpec | None = None) -> Catalogue:
    """The built-in lessons, then each folder pack, then each installed pack."""
    spec = spec or CourseSpec()
    course = Catalogue()
    merge(course, BUILT_IN, load_package(spec.package))
    for folder in spec.folders:
        path = Path(folder)
        if not path.is_dir():
            course.problems.append(Problem(SourceLocation(folder, 0), "lesson folder not found; its lessons are left out"))
            continue
        if folder not in sys.path:
            sys.path.append(folder)  # lesson modules may import helper modules beside them
        merge(course, path.name, load_paths([path], guarded=True))
    if spec.entry_points:
        for name, package in installed_packs():
            try:
                pack = load_package(package, guarded=True)
            except (Exception, SystemExit) as error:  # an installed pack that fails to import must not stop the app
                where = SourceLocation(package, 0)
                course.problems.append(Problem(where, f"lesson pack {name!r} ({package}) failed to load: "
                                                      f"{type(error).__name__}: {error}"))
                continue
            merge(course, name, pack)
    return course
