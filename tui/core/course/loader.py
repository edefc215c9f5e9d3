"""Loading lesson modules into a catalogue, keeping the broken ones with their errors.

A lesson module declares ``LESSON = Lesson(...)``. The ``lessons`` package lists its modules
in order in ``ORDER``. A module that fails to import, has no ``LESSON`` or declares bad steps
becomes a :class:`BrokenLesson` with the file, line and error; the others still load.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable, Union

from tui.core.lesson import BrokenLesson, Lesson
from tui.core.course.source import Problem, SourceLocation

Entry = Union[Lesson, BrokenLesson]


@dataclass
class Catalogue:
    """The lessons in order, broken ones included, and problems with the collection itself."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def lessons(self) -> list[Lesson]:
        """The lessons that loaded."""
        return [e for e in self.entries if isinstance(e, Lesson)]

    @property
    def ids(self) -> list[str]:
        """Every id, broken lessons included, in order."""
        return [e.id for e in self.entries]

    def get(self, lesson_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return next((e for e in self.entries if e.id == lesson_id), None)

    def replace(self, entry: Entry) -> None:
        """Put a reloaded lesson where the entry with its id was."""
        self.entries = [entry if e.id == entry.id else e for e in self.entries]

    def add(self, entry: Entry, problems: list[Problem]) -> None:
        """Add an entry, reporting an id that is already taken."""
        if self.get(entry.id) is not None:
            problems = problems + [Problem(entry.where, f"lesson id {entry.id!r} is used twice")]
        self.entries.append(entry)
        self.problems += problems


def _failure_location(error: BaseException, file: str) -> SourceLocation:
    """The line in the lesson file where loading failed (or the deepest frame known)."""
    if isinstance(error, SyntaxError) and error.filename:
        return SourceLocation(error.filename, error.lineno or 0)
    frames = traceback.extract_tb(error.__traceback__)
    in_file = [f for f in frames if Path(f.filename) == Path(file)]
    frame = (in_file or frames or [None])[-1]
    return SourceLocation(frame.filename, frame.lineno or 0) if frame else SourceLocation(file, 0)


def _describe(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        return f"SyntaxError: {error.msg}"
    return f"{type(error).__name__}: {error}".splitlines()[0]


def load_lesson(name: str, file: str, importer: Callable[[], ModuleType]) -> tuple[Entry, list[Problem]]:
    """Import one lesson module and return its lesson (or a broken entry) and its problems.

    Args:
        name: the module's short name, used as the id when no lesson could be read.
        file: the module's file, for error locations.
        importer: imports and returns the module.
    """
    try:
        module = importer()
    except (Exception, SystemExit) as error:  # a lesson module may raise anything; the app must survive it
        where = _failure_location(error, file)
        problem = Problem(where, f"the module failed to load: {_describe(error)}")
        return BrokenLesson(name, where, problem.message), [problem]
    lesson = getattr(module, "LESSON", None)
    if not isinstance(lesson, Lesson):
        where = SourceLocation(file, 1)
        problem = Problem(where, "the module defines no LESSON = Lesson(...)")
        return BrokenLesson(name, where, problem.message), [problem]
    problems = lesson.problems()
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return BrokenLesson(lesson.id or name, first.where, first.message + more, lesson.title), problems
    return lesson, []


def _import_file(path: Path) -> ModuleType:
    module_name = f"tensordojo_lesson_{path.stem}_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} is not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def lesson_files(path: Path) -> list[Path]:
    """The lesson modules at a path: the file itself, or a folder's ``*.py`` files but ``__init__``."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.py") if p.name != "__init__.py")
    return [path]


def refused_entry(name: str, file: str, line: int, why: str) -> tuple[Entry, list[Problem]]:
    """A module that was not imported (it exits or hangs at import), as a broken lesson."""
    where = SourceLocation(file, line)
    problem = Problem(where, f"the module was not loaded: {why}")
    return BrokenLesson(name, where, problem.message), [problem]


def load_paths(paths: list[Path], guarded: bool = False) -> Catalogue:
    """Load lesson modules from files and folders (for ``lint`` and outside packs).

    Args:
        guarded: try the modules in a child process first (:mod:`tui.core.course.import_guard`), and do not
            import those that exit or hang there.
    """
    catalogue = Catalogue()
    found = [path for path in paths if path.exists()]
    catalogue.problems += [Problem(SourceLocation(str(path), 0), "no such file or folder") for path in paths if not path.exists()]
    files = [file for path in found for file in lesson_files(path)]
    refused = _guard([str(file) for file in files]) if guarded else {}
    for file in files:
        if str(file) in refused:
            catalogue.add(*refused_entry(file.stem, str(file), refused[str(file)].line, refused[str(file)].why))
        else:
            catalogue.add(*load_lesson(file.stem, str(file), lambda f=file: _import_file(f)))
    return catalogue


def _guard(files: list[str], modules: list[str] | None = None) -> dict:
    from tui.core.course.import_guard import Item, check_imports

    return check_imports([Item(file, module) for file, module in zip(files, modules or [""] * len(files))])


class PackRefused(Exception):
    """An installed pack's own package exits or hangs when imported."""


def _guard_package(package: str) -> dict:
    """Try a package and each module in its folder in a child process (before importing any here)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return {}
    folder = Path(spec.origin).parent
    files = [spec.origin] + [str(file) for file in lesson_files(folder)]
    modules = [package] + [f"{package}.{Path(file).stem}" for file in files[1:]]
    refused = _guard(files, modules)
    if spec.origin in refused:
        why = refused[spec.origin]
        raise PackRefused(f"{spec.origin}, line {why.line}: {why.why}")
    return refused


def load_package(package: str = "lessons", guarded: bool = False) -> Catalogue:
    """Load the lessons a package lists in its ``ORDER``, in that order.

    Modules in the package folder that ``ORDER`` leaves out are reported as problems.

    Args:
        guarded: as for :func:`load_paths`; a package that itself exits or hangs raises :class:`PackRefused`.
    """
    catalogue = Catalogue()
    refused = _guard_package(package) if guarded else {}
    registry = importlib.import_module(package)
    folder = Path(registry.__file__).parent
    order: list[str] = list(getattr(registry, "ORDER", []))
    for name in order:
        file = folder / f"{name}.py"
        if not file.exists():
            where = SourceLocation(str(registry.__file__), 1)
            message = f"ORDER lists {name!r} but there is no {file.name}"
            catalogue.add(BrokenLesson(name, where, message), [Problem(where, message)])
            continue
        if str(file) in refused:
            catalogue.add(*refused_entry(name, str(file), refused[str(file)].line, refused[str(file)].why))
            continue
        catalogue.add(*load_lesson(name, str(file), lambda n=name: importlib.import_module(f"{package}.{n}")))
    for file in lesson_files(folder):
        if file.stem not in order:
            where = SourceLocation(str(registry.__file__), 1)
            catalogue.problems.append(Problem(where, f"{file.name} is not listed in ORDER"))
    return catalogue
