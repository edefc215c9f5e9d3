"""The learner's progress, kept in SQLite: the current step per lesson, quiz answers, completion,
the REPL's input history, and each exercise's draft code (attempts are answers).

Every write is its own transaction, so killing the app mid-write loses at most that write.
A database that cannot be read, or that a newer tensordojo wrote, is moved aside (never
deleted) and a fresh one started; :attr:`ProgressStore.notice` then says what happened, once.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 3
# 2: adds the history table; 3: adds the exercises table. Older files gain them in place
# (CREATE TABLE IF NOT EXISTS).

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lessons (
    lesson_id    TEXT PRIMARY KEY,
    step_id      TEXT NOT NULL,
    started_at   REAL NOT NULL,
    updated_at   REAL NOT NULL,
    completed_at REAL
);
CREATE TABLE IF NOT EXISTS answers (
    id        INTEGER PRIMARY KEY,
    lesson_id TEXT NOT NULL,
    step_id   TEXT NOT NULL,
    answer    TEXT NOT NULL,
    correct   INTEGER NOT NULL,
    at        REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_step ON answers (lesson_id, step_id);
CREATE TABLE IF NOT EXISTS exercises (
    lesson_id  TEXT NOT NULL,
    step_id    TEXT NOT NULL,
    draft      TEXT,
    revealed   INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    PRIMARY KEY (lesson_id, step_id)
);
CREATE TABLE IF NOT EXISTS history (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    at     REAL NOT NULL
);
"""

_EXPECTED_COLUMNS = {
    "lessons": {"lesson_id", "step_id", "started_at", "updated_at", "completed_at"},
    "answers": {"id", "lesson_id", "step_id", "answer", "correct", "at"},
    "history": {"id", "source", "at"},
    "exercises": {"lesson_id", "step_id", "draft", "revealed", "updated_at"},
}
HISTORY_KEPT = 2000

NOT_STARTED, IN_PROGRESS, DONE = "not started", "in progress", "done"


class UnusableDatabase(Exception):
    """The database file cannot be used as it is; the message says why."""


@dataclass(frozen=True)
class ExerciseState:
    """An exercise's unsubmitted code, and whether the learner gave up and saw the solution."""

    draft: str | None = None
    revealed: bool = False


@dataclass(frozen=True)
class Attempts:
    """Every attempt at one step: how many, whether one passed, and when."""

    count: int
    passed: bool
    passed_at: float | None
    last_at: float


@dataclass(frozen=True)
class LessonTimes:
    """When a lesson was first opened, last worked on, and finished."""

    started_at: float
    updated_at: float
    completed_at: float | None


@dataclass(frozen=True)
class AnswerRecord:
    """The learner's latest answer to one step, and how many tries it took."""

    answer: str
    correct: bool
    attempts: int


class ProgressStore:
    """Reads and writes one learner's progress.

    Args:
        path: the SQLite file; created with its folder when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._connect()
        except UnusableDatabase as why:
            kept = self._move_aside()
            self.notice = f"Your progress file {path} could not be used ({why}). It was kept as {kept.name} and a new one was started."
            self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UnusableDatabase(f"it was written by a newer tensordojo, schema {version}; this one reads {SCHEMA_VERSION}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
            self._check_columns(db)
        except sqlite3.DatabaseError as error:
            db.close()
            raise UnusableDatabase(str(error)) from error
        except UnusableDatabase:
            db.close()
            raise
        return db

    @staticmethod
    def _check_columns(db: sqlite3.Connection) -> None:
        for table, expected in _EXPECTED_COLUMNS.items():
            present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if not expected <= present:
                raise UnusableDatabase(f"table {table} lacks {', '.join(sorted(expected - present))}")

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.unusable-{stamp}")
        self.path.rename(kept)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(kept.with_name(kept.name + suffix))
        return kept

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # -- reading -------------------------------------------------------------------------

    def current_step(self, lesson_id: str) -> str | None:
        """The id of the step the learner was on, or None for a lesson not started."""
        row = self._db.execute("SELECT step_id FROM lessons WHERE lesson_id = ?", (lesson_id,)).fetchone()
        return row[0] if row else None

    def status(self, lesson_id: str) -> str:
        """``not started``, ``in progress`` or ``done``."""
        return self.statuses().get(lesson_id, NOT_STARTED)

    def statuses(self) -> dict[str, str]:
        """The status of every lesson the learner has opened."""
        rows = self._db.execute("SELECT lesson_id, completed_at FROM lessons")
        return {lesson: DONE if done else IN_PROGRESS for lesson, done in rows}

    def answers(self, lesson_id: str) -> dict[str, AnswerRecord]:
        """Per step: the latest answer, whether it was right, and the number of tries."""
        rows = self._db.execute(
            "SELECT step_id, answer, correct, n FROM ("
            " SELECT step_id, answer, correct, COUNT(*) OVER (PARTITION BY step_id) AS n,"
            " ROW_NUMBER() OVER (PARTITION BY step_id ORDER BY id DESC) AS latest"
            " FROM answers WHERE lesson_id = ?) WHERE latest = 1",
            (lesson_id,),
        )
        return {step: AnswerRecord(answer, bool(correct), n) for step, answer, correct, n in rows}

    def solved_steps(self, lesson_id: str) -> set[str]:
        """Ids of the steps answered right at least once."""
        rows = self._db.execute(
            "SELECT DISTINCT step_id FROM answers WHERE lesson_id = ? AND correct = 1", (lesson_id,)
        )
        return {row[0] for row in rows}

    def attempts(self, lesson_id: str) -> dict[str, Attempts]:
        """Per step of a lesson: the number of attempts, whether any passed, when it first did."""
        rows = self._db.execute(
            "SELECT step_id, COUNT(*), MAX(correct), MIN(CASE WHEN correct = 1 THEN at END), MAX(at)"
            " FROM answers WHERE lesson_id = ? GROUP BY step_id",
            (lesson_id,),
        )
        return {step: Attempts(n, bool(ok), first, last) for step, n, ok, first, last in rows}

    def lesson_times(self) -> dict[str, LessonTimes]:
        """Per lesson opened: when it started, when last worked on (an answer counts), when it was done."""
        rows = self._db.execute(
            "SELECT l.lesson_id, l.started_at, MAX(l.updated_at, COALESCE(MAX(a.at), 0)), l.completed_at"
            " FROM lessons l LEFT JOIN answers a ON a.lesson_id = l.lesson_id GROUP BY l.lesson_id"
        )
        return {lesson: LessonTimes(start, last, done) for lesson, start, last, done in rows}

    def exercise_state(self, lesson_id: str, step_id: str) -> ExerciseState:
        """The exercise's saved draft and whether its solution was revealed."""
        row = self._db.execute(
            "SELECT draft, revealed FROM exercises WHERE lesson_id = ? AND step_id = ?", (lesson_id, step_id)
        ).fetchone()
        return ExerciseState(row[0], bool(row[1])) if row else ExerciseState()

    # -- writing -------------------------------------------------------------------------

    def save_draft(self, lesson_id: str, step_id: str, code: str) -> None:
        """Keep the code in an exercise's editor, so leaving the step loses nothing."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO exercises (lesson_id, step_id, draft, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (lesson_id, step_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at",
                (lesson_id, step_id, code, time.time()),
            )

    def reveal(self, lesson_id: str, step_id: str) -> None:
        """Record that the learner gave up on an exercise and was shown the solution."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO exercises (lesson_id, step_id, revealed, updated_at) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (lesson_id, step_id) DO UPDATE SET revealed = 1, updated_at = excluded.updated_at",
                (lesson_id, step_id, time.time()),
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """All statements inside commit together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def set_current_step(self, lesson_id: str, step_id: str) -> None:
        """Remember the learner's place in a lesson (starting the lesson if needed)."""
        with self._transaction() as db:
            self._save_place(db, lesson_id, step_id)

    @staticmethod
    def _save_place(db: sqlite3.Connection, lesson_id: str, step_id: str) -> None:
        now = time.time()
        db.execute(
            "INSERT INTO lessons (lesson_id, step_id, started_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lesson_id) DO UPDATE SET step_id = excluded.step_id, updated_at = excluded.updated_at",
            (lesson_id, step_id, now, now),
        )

    def record_answer(self, lesson_id: str, step_id: str, answer: str, correct: bool) -> None:
        """Keep one attempt at a question."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO answers (lesson_id, step_id, answer, correct, at) VALUES (?, ?, ?, ?, ?)",
                (lesson_id, step_id, answer, int(correct), time.time()),
            )

    def mark_done(self, lesson_id: str, step_id: str) -> None:
        """Mark a lesson finished, keeping the learner's place."""
        with self._transaction() as db:
            self._save_place(db, lesson_id, step_id)
            db.execute(
                "UPDATE lessons SET completed_at = COALESCE(completed_at, ?) WHERE lesson_id = ?",
                (time.time(), lesson_id),
            )

    def add_history(self, source: str) -> None:
        """Keep one REPL input (not repeating the previous one), trimming to the newest entries."""
        with self._transaction() as db:
            last = db.execute("SELECT source FROM history ORDER BY id DESC LIMIT 1").fetchone()
            if last and last[0] == source:
                return
            db.execute("INSERT INTO history (source, at) VALUES (?, ?)", (source, time.time()))
            db.execute("DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - ?", (HISTORY_KEPT,))

    def history(self) -> list[str]:
        """REPL inputs, oldest first."""
        return [row[0] for row in self._db.execute("SELECT source FROM history ORDER BY id")]

    def reset(self, lesson_id: str | None = None) -> None:
        """Forget the progress of one lesson, or of all lessons when no id is given."""
        where, args = ("WHERE lesson_id = ?", (lesson_id,)) if lesson_id else ("", ())
        with self._transaction() as db:
            db.execute(f"DELETE FROM lessons {where}", args)
            db.execute(f"DELETE FROM answers {where}", args)
            db.execute(f"DELETE FROM exercises {where}", args)
