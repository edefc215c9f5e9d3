"""What the ``tensordojo`` subcommands share: the one-line usage error, where lessons come from
(``--lessons`` and ``$TENSORDOJO_LESSONS``), the loaded lessons and the progress store."""

from __future__ import annotations

import sys


class UsageError(Exception):
    """A mistake on the command line; the message says what was wrong and what exists."""


_COURSE = None
"""Where lessons come from for this command (the --lessons folders and the environment)."""


def course():
    """Where lessons come from for this command."""
    from tui.core.course.packs import CourseSpec

    return _COURSE or CourseSpec()


def set_course(folders: list[str]) -> None:
    """Read --lessons and $TENSORDOJO_LESSONS; a missing folder is a warning, the rest still loads."""
    global _COURSE
    from tui.core.course.packs import CourseSpec

    _COURSE = CourseSpec.from_options(folders)
    for folder in _COURSE.missing_folders():
        print(f"tensordojo: lesson folder {folder} does not exist; going on without it", file=sys.stderr)


def load_lessons(say_broken: bool = True):
    """The lessons of this command's course: built in, --lessons folders, installed packs.

    A lesson module or pack that failed to load (it raised, exited or hung at import) is left out, and
    unless the command lists it itself (``lessons``, ``lint``), a line on stderr says which, where and
    why: a command must not go on as if the lesson had never existed."""
    from tui.core.course.packs import load_course

    spec = course()
    catalogue = load_course(spec)
    if say_broken:
        missing = set(spec.missing_folders())  # already said by set_course
        for problem in catalogue.problems:
            if problem.where.file not in missing:
                print(f"tensordojo: left out: {problem}", file=sys.stderr)
    return catalogue


def open_store():
    """The learner's progress store (a replaced file is announced on stderr)."""
    from tui.core.paths import progress_db_path
    from tui.core.store.progress import ProgressStore

    store = ProgressStore(progress_db_path())
    if store.notice:
        print(f"tensordojo: {store.notice}", file=sys.stderr)
    return store
