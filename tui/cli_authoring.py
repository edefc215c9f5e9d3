"""The ``tensordojo`` commands for lesson authors: new-lesson and lint (exercises, start, check: cli_practice.py)."""

from __future__ import annotations

from pathlib import Path

from tui.cli_shared import UsageError, course, load_lessons


def new_lesson(lesson_id: str, folder: Path) -> int:
    """Write a lesson scaffold and say how to check and open it."""
    from tui.core.course.scaffold import ScaffoldError, write_lesson

    try:
        target = write_lesson(lesson_id, folder)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(f"Wrote {target}.\nCheck it:  tensordojo lint {folder}\nOpen it:   tensordojo --lessons {folder} --lesson {lesson_id}")
    return 0


def lint(paths: list[Path], quick: bool = False) -> int:
    """Check lessons; print every problem as file:line: message; exit 1 when there is any."""
    from tui.core.lint import lint_catalogue
    from tui.core.course.loader import load_paths

    catalogue = load_paths(paths, guarded=True) if paths else load_lessons(say_broken=False)  # lint reports them
    report = lint_catalogue(catalogue)
    if not quick:
        from tui.core.grading.client import Grader, GraderUnavailable
        from tui.core.grading.lint_runs import run_problems
        from tui.core.lint.prose import run_prose

        grader = Grader({"paths": [str(p.resolve()) for p in paths]} if paths else course().to_dict())
        try:
            prose = run_prose(catalogue.lessons)
            report.problems += prose.problems
            report.claims_checked = prose.claims_checked
            report.problems += run_problems(catalogue, grader)
            report.ran = True
        except GraderUnavailable as error:
            raise UsageError(str(error)) from None
        finally:
            grader.close()
    for problem in report.problems:
        print(problem)
    for note in report.notes:
        print(f"{note} [layout note]")
    print(report.summary())
    return 1 if report.problems else 0
