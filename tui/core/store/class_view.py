"""The instructor's live view of a served class: for each learner and each lesson they opened,
the current step, questions and exercises passed, attempts, last activity, and who seems stuck.

It reads the learners' own progress files under the class folder (``tensordojo serve`` keeps one
folder per learner, with ``learner.json`` naming them) while their apps write them: SQLite in WAL
mode lets a reader look without blocking a writer. Nothing is written.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tui.core.course.loader import Catalogue
from tui.core.store.progress import DONE, ProgressStore

STUCK_ATTEMPTS = 4
"""Failed attempts at one step, none passing, after which a learner seems stuck on it."""
STUCK_IDLE_S = 10 * 60.0
"""No activity for this long in a lesson not finished counts as stuck too."""


@dataclass(frozen=True)
class LessonRow:
    """One learner in one lesson they opened."""

    learner: str
    lesson: str
    step: str
    """``5/17 Broadcasting rules``: the step they are on."""
    passed: int
    answerable: int
    attempts: int
    last_activity: float
    stuck: str
    """Empty, or why they seem stuck (``6 tries at q-shape``, ``idle 14 min``)."""


def class_learners(class_dir: Path) -> Iterator[tuple[str, Path]]:
    """Each learner's name and progress file, by name."""
    found = []
    for note in sorted(class_dir.glob("*/learner.json")):
        try:
            name = json.loads(note.read_text(encoding="utf-8"))["name"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(name, str):
            found.append((name, note.parent / "progress.db"))
    yield from sorted(found, key=lambda pair: pair[0].lower())


def learner_rows(name: str, store: ProgressStore, catalogue: Catalogue, now: float) -> list[LessonRow]:
    """The rows of one learner: a row per lesson they opened, in course order."""
    times, statuses = store.lesson_times(), store.statuses()
    rows = []
    for lesson in catalogue.lessons:
        if lesson.id not in times:
            continue
        ids = [step.id for step in lesson.steps]
        current = store.current_step(lesson.id)
        place = f"{ids.index(current) + 1}/{len(ids)} {lesson.steps[ids.index(current)].title}" if current in ids else "?"
        tries = store.attempts(lesson.id)
        answerable = lesson.answerable_ids()
        passed = sum(1 for step in answerable if step in tries and tries[step].passed)
        last = max([times[lesson.id].updated_at, *(t.last_at for t in tries.values())])
        stuck = ""
        struggling = [(t.count, step) for step, t in tries.items() if not t.passed and t.count >= STUCK_ATTEMPTS]
        if struggling:
            count, step = max(struggling)
            stuck = f"{count} tries at {step}"
        elif statuses.get(lesson.id) != DONE and now - last > STUCK_IDLE_S:
            stuck = f"idle {int((now - last) // 60)} min"
        rows.append(LessonRow(name, lesson.id, "done" if statuses.get(lesson.id) == DONE else place, passed,
                              len(answerable), sum(t.count for t in tries.values()), last, stuck))
    return rows


def class_rows(class_dir: Path, catalogue: Catalogue, now: float | None = None) -> list[LessonRow]:
    """Every learner's rows; a learner who has not started yet gets none."""
    now = time.time() if now is None else now
    rows: list[LessonRow] = []
    for name, path in class_learners(class_dir):
        if not path.exists():
            continue
        store = ProgressStore(path)
        try:
            rows += learner_rows(name, store, catalogue, now)
        finally:
            store.close()
    return rows


def ago(seconds: float) -> str:
    """``12 s ago``, ``3 min ago``, ``2 h ago``."""
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    return f"{seconds / 3600:.0f} h ago"


def class_table(rows: list[LessonRow], now: float | None = None, title: str = "Class") -> Any:
    """A Rich table of the rows (Rich, not Textual: the CLI prints it, live or once)."""
    from rich.table import Table
    from rich.text import Text

    now = time.time() if now is None else now
    table = Table(title=title)
    for column in ("learner", "lesson", "step", "passed", "attempts", "last activity", "stuck"):
        table.add_column(column, no_wrap=column in ("learner", "lesson"))
    for row in rows:
        # Text, not markup: a learner typed their own name, and "[/]" must show as itself.
        table.add_row(Text(row.learner), Text(row.lesson), Text(row.step), f"{row.passed}/{row.answerable}",
                      str(row.attempts), ago(now - row.last_activity), Text(row.stuck, style="bold red"))
    if not rows:
        table.caption = "Nobody has opened a lesson yet."
    return table
