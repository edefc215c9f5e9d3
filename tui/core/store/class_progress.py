"""Class progress: one learner's progress as a file to hand in, and a class's files merged into one table.

The export is JSON (``format``, ``version``, ``learner``, ``exported_at``, ``lessons``,
``exercises``). Merging reads many exports; a file that is not one, is from another version or
was edited into nonsense is skipped with a reason, and the others are still merged.
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.grading.lookup import exercises, full_id
from tui.core.course.loader import Catalogue
from tui.core.store.progress import NOT_STARTED, ProgressStore

FORMAT = "tensordojo-progress"
VERSION = 1


def _iso(stamp: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)) if stamp else None


def export_progress(store: ProgressStore, catalogue: Catalogue, learner: str) -> dict[str, Any]:
    """One learner's progress: per lesson status and minutes, per exercise attempts and passes."""
    statuses, times = store.statuses(), store.lesson_times()
    lessons = []
    for lesson in catalogue.lessons:
        spent = times.get(lesson.id)
        end = spent and (spent.completed_at or spent.updated_at)
        lessons.append({
            "id": lesson.id,
            "title": lesson.title,
            "status": statuses.get(lesson.id, NOT_STARTED),
            "minutes": round((end - spent.started_at) / 60, 1) if spent else 0.0,
            "started_at": _iso(spent.started_at) if spent else None,
            "completed_at": _iso(spent.completed_at) if spent else None,
        })
    rows = []
    by_lesson: dict[str, dict] = {}
    for lesson, exercise in exercises(catalogue):
        tries = by_lesson.setdefault(lesson.id, store.attempts(lesson.id)).get(exercise.id)
        rows.append({
            "id": full_id(lesson, exercise),
            "attempts": tries.count if tries else 0,
            "passed": bool(tries and tries.passed),
            "passed_at": _iso(tries.passed_at) if tries else None,
            "last_attempt_at": _iso(tries.last_at) if tries else None,
        })
    return {"format": FORMAT, "version": VERSION, "learner": learner, "exported_at": _iso(time.time()),
            "lessons": lessons, "exercises": rows}


def export_csv(export: dict[str, Any]) -> str:
    """One learner's export as CSV: a row per lesson and per exercise."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "id", "status", "minutes", "attempts", "passed", "when"])
    for row in export["lessons"]:
        writer.writerow(["lesson", row["id"], row["status"], row["minutes"], "", "", row["completed_at"] or ""])
    for row in export["exercises"]:
        writer.writerow(["exercise", row["id"], "", "", row["attempts"], row["passed"], row["passed_at"] or ""])
    return out.getvalue()


def _in_lesson(exercise_rows: Any, lesson_id: str) -> list[dict[str, Any]]:
    return [r for r in exercise_rows if r["id"].startswith(lesson_id + ".")]


def export_text(export: dict[str, Any]) -> str:
    """One learner's export as lines: lesson, status, minutes, exercises passed of total."""
    lines = []
    for row in export["lessons"]:
        mine = _in_lesson(export["exercises"], row["id"])
        done = sum(r["passed"] for r in mine)
        lines.append(f"{row['id']:<20} {row['status']:<12} {row['minutes']:>6} min   exercises {done}/{len(mine)}")
    return "\n".join(lines)


class UnreadableExport(ValueError):
    """A progress file that cannot be merged; the message says why."""


def read_export(path: Path) -> dict[str, Any]:
    """Read and check one exported file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnreadableExport("no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableExport(f"cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise UnreadableExport(f"is not JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnreadableExport("is not a tensordojo progress export (make one with 'tensordojo progress --json')")
    if data.get("version") != VERSION:
        raise UnreadableExport(f"is format version {data.get('version')!r}; this tensordojo reads version {VERSION}")
    ok = (isinstance(data.get("learner"), str) and data["learner"].strip()
          and isinstance(data.get("lessons"), list) and isinstance(data.get("exercises"), list)
          and all(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("status"), str)
                  for r in data["lessons"])
          and all(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("attempts"), int)
                  and isinstance(r.get("passed"), bool) for r in data["exercises"]))
    if not ok:
        raise UnreadableExport("has missing or malformed fields (was it edited by hand?)")
    return data


@dataclass
class ClassTable:
    """A class's progress: one row per learner, one column per lesson and per exercise."""

    lessons: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """``file: why`` for each file left out."""

    def to_csv(self) -> str:
        """CSV: learner, then each lesson's status, then each exercise as passed / attempted (n) / empty."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["learner", *self.lessons, *self.exercises])
        for row in self.rows:
            writer.writerow([row["learner"], *(row["lessons"].get(i, NOT_STARTED) for i in self.lessons),
                             *(exercise_cell(row["exercises"].get(i)) for i in self.exercises)])
        return out.getvalue()


    def to_text(self) -> str:
        """A terminal table, learner by lesson: ✓ done, ● in progress, ○ not started, then exercises passed/total."""
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        marks = {"done": "✓", "in progress": "●"}
        grid = Table(title="Class progress")
        grid.add_column("learner", no_wrap=True)
        for number, _ in enumerate(self.lessons, 1):
            grid.add_column(str(number), justify="center", no_wrap=True)
        for row in self.rows:
            cells = []
            for lesson in self.lessons:
                mine = _in_lesson(row["exercises"].values(), lesson)
                mark = marks.get(row["lessons"].get(lesson, ""), "○")
                cells.append(f"{mark}{sum(r['passed'] for r in mine)}/{len(mine)}")
            grid.add_row(Text(row["learner"]), *cells)  # a name as typed, never read as markup
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(grid)
        legend = ", ".join(f"{n} {lesson}" for n, lesson in enumerate(self.lessons, 1))
        console.print(f"Lessons: {legend}. Cells: ✓ done, ● in progress, ○ not started, then exercises "
                      "passed/total.", soft_wrap=True)
        return console.export_text()


def exercise_cell(result: dict[str, Any] | None) -> str:
    """``passed``, ``tried N`` or empty."""
    if not result or not result.get("attempts"):
        return ""
    return "passed" if result.get("passed") else f"tried {result['attempts']}"


def class_exports(class_dir: Path, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The export of each learner of a served class (``tensordojo serve --class-dir``), by name."""
    from tui.core.store.class_view import class_learners

    found = []
    for name, path in class_learners(class_dir):
        if path.exists():
            store = ProgressStore(path)
            try:
                found.append(export_progress(store, catalogue, name))
            finally:
                store.close()
    return found


def merge_exports(paths: list[Path], catalogue: Catalogue | None = None) -> ClassTable:
    """Merge exported files, and the learners of served class folders (which need ``catalogue``),
    into one table; lessons and exercises in the order they first appear."""
    table = ClassTable()
    names: dict[str, int] = {}
    loaded: list[tuple[Path, dict[str, Any]]] = []
    for path in paths:
        if path.is_dir():
            learners = class_exports(path, catalogue) if catalogue is not None else []
            if not learners:
                table.skipped.append(f"{path}: a folder with no served learner's progress in it")
            loaded += [(path, data) for data in learners]
            continue
        try:
            loaded.append((path, read_export(path)))
        except UnreadableExport as why:
            table.skipped.append(f"{path}: {why}")
    for path, data in loaded:
        learner = data["learner"].strip()
        names[learner] = names.get(learner, 0) + 1
        if names[learner] > 1:
            learner = f"{learner} ({names[learner]})"
        for row in data["lessons"]:
            if row["id"] not in table.lessons:
                table.lessons.append(row["id"])
        for row in data["exercises"]:
            if row["id"] not in table.exercises:
                table.exercises.append(row["id"])
        table.rows.append({
            "learner": learner,
            "lessons": {r["id"]: r["status"] for r in data["lessons"]},
            "exercises": {r["id"]: r for r in data["exercises"]},
        })
    return table
