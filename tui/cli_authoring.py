"""The ``tensordojo`` commands for lesson authors and graders: new-lesson, exercises, check and lint."""

from __future__ import annotations

import json
from pathlib import Path

from tui.cli_shared import UsageError, course, load_lessons


def new_lesson(lesson_id: str, folder: Path) -> int:
    """Write a lesson scaffold and say how to check and open it."""
    from tui.core.scaffold import ScaffoldError, write_lesson

    try:
        target = write_lesson(lesson_id, folder)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(f"Wrote {target}.\nCheck it:  tensordojo lint {folder}\nOpen it:   tensordojo --lessons {folder} --lesson {lesson_id}")
    return 0


def list_exercises() -> int:
    """Print every exercise id with the names its file must define."""
    from tui.core.grading.lookup import exercises, full_id

    rows = [(full_id(lesson, step), ", ".join(step.names), step.title) for lesson, step in exercises(load_lessons())]
    width = max((len(r[0]) for r in rows), default=2)
    for ident, names, title in rows:
        print(f"{ident:<{width}}  {title}  (defines {names})")
    return 0


def check(exercise_id: str, file: Path, as_json: bool, timeout: float | None) -> int:
    """Grade a file: exit 0 when every hidden test passes, 1 when any fails, 2 for bad input."""
    from tui.core.grading.client import Grader, GraderUnavailable
    from tui.core.grading.lookup import find_exercise

    try:
        lesson, exercise = find_exercise(load_lessons(), exercise_id)
    except LookupError as error:
        raise UsageError(str(error)) from None
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if not file.is_file():
        raise UsageError(f"no such file: {file}")
    try:
        code = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {file}: {error}") from None
    grader = Grader(course().to_dict())
    try:
        report = grader.grade(lesson.id, exercise.id, code, timeout or exercise.timeout)
    except GraderUnavailable as error:
        raise UsageError(str(error)) from None
    finally:
        grader.close()
    if report.status == "missing":
        raise UsageError(f"{file}: {report.message}")
    if as_json:
        print(json.dumps({"exercise": exercise_id, **report.to_dict()}, indent=2))
    else:
        for result in report.results:
            print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}" + (f"\n      {result.message}" if result.message else ""))
        if report.output.strip() and not report.passed:
            print("your code printed:\n" + "\n".join(f"  {line}" for line in report.output.strip().splitlines()[:10]))
        print(f"{exercise_id}: {report.summary()}")
    return 0 if report.passed else 1


def lint(paths: list[Path], quick: bool = False) -> int:
    """Check lessons; print every problem as file:line: message; exit 1 when there is any."""
    from tui.core.lint import lint_catalogue
    from tui.core.loader import load_paths

    catalogue = load_paths(paths) if paths else load_lessons()
    report = lint_catalogue(catalogue)
    if not quick:
        from tui.core.grading.client import Grader, GraderUnavailable
        from tui.core.grading.lint_runs import run_problems
        from tui.core.lint_prose import prose_run_problems

        grader = Grader({"paths": [str(p.resolve()) for p in paths]} if paths else course().to_dict())
        try:
            report.problems += prose_run_problems(catalogue.lessons)
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
