"""The learner's progress, kept in SQLite: the current step per lesson, quiz answers, completion,
the REPL's input history, and each step's unsent work (an exercise's or a try step's draft code, an
answer typed and not sent; attempts are answers).

Every write is its own transaction, so killing the app mid-write loses at most that write. A
write waits at most :data:`WRITE_WAIT_S` for another process's lock (the UI calls it); one that
cannot get it in time is kept in memory, retried before the next write and at close, and
:attr:`ProgressStore.unsaved` says so. A damaged file, or one a newer tensordojo wrote, is moved
aside (never deleted) and a fresh one started, at open or whenever the damage shows;
:attr:`ProgressStore.notice` then says what happened. See ``progress_file.py`` for opening.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from tui.core.store.progress_file import (Opened, UnusableDatabase, in_memory, is_corrupt, is_locked, move_aside,
                                    open_database)

__all__ = ["ProgressStore", "UnusableDatabase", "SCHEMA_VERSION", "NOT_STARTED", "IN_PROGRESS", "DONE"]
T = TypeVar("T")

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
WRITE_WAIT_S = 0.05
"""How long a write waits for another process's lock: short, because the UI's event loop waits too."""
CLOSE_WAIT_S = 5.0
"""How long closing waits to save the writes still kept in memory."""

NOT_STARTED, IN_PROGRESS, DONE = "not started", "in progress", "done"


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
        write_wait: seconds a write waits for another process's lock before it is kept to retry.
    """

    def __init__(self, path: Path, write_wait: float = WRITE_WAIT_S) -> None:
        self.path = path
        self.write_wait = write_wait
        self.notice: str | None = None
        """What went wrong with the file (moved aside, read-only, in memory); the app shows it."""
        self.unsaved: str | None = None
        """Set while some writes wait in memory for the lock: what the oldest of them was."""
        self.on_notice: Callable[[str], None] | None = None
        """Called with each notice that arises after opening (damage found, a write not saved)."""
        self._pending: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        try:
            opened = open_database(self.path, _SCHEMA, SCHEMA_VERSION, _EXPECTED_COLUMNS)
        except UnusableDatabase as why:
            opened = self._replace(str(why))
        self._db, self.read_only = opened.db, opened.read_only
        self.notice = opened.notice or self.notice

    def _replace(self, why: str) -> Opened:
        """Move the unusable file aside and open a fresh one (in memory when that fails too)."""
        try:
            kept = move_aside(self.path)
        except OSError as error:
            return in_memory(f"Your progress file {self.path} could not be used ({why}) nor moved aside "
                             f"({error.strerror or error}).", _SCHEMA)
        self.notice = (f"Your progress file {self.path} could not be used ({why}). It was kept as {kept.name} "
                       "and a new one was started.")
        try:
            return open_database(self.path, _SCHEMA, SCHEMA_VERSION, _EXPECTED_COLUMNS)
        except UnusableDatabase as again:
            return in_memory(f"A new progress file {self.path} could not be started either ({again}).", _SCHEMA)

    def _damaged(self, error: sqlite3.Error) -> None:
        """Damage found after opening: keep the file aside, start afresh, and say so."""
        try:
            self._db.close()
        except sqlite3.Error:
            pass
        opened = self._replace(str(error))
        self._db, self.read_only = opened.db, opened.read_only
        self.notice = opened.notice or self.notice
        if self.on_notice and self.notice:
            self.on_notice(self.notice)

    def close(self) -> None:
        """Save what is still kept in memory (waiting a few seconds for the lock), then close."""
        with self._lock:
            self.flush(CLOSE_WAIT_S)
            self._db.close()

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read; damage found now moves the file aside and reads the fresh one."""
        with self._lock:
            for _ in range(200):
                try:
                    return query(self._db)
                except sqlite3.DatabaseError as error:
                    if is_corrupt(error):
                        self._damaged(error)
                    elif is_locked(error):  # WAL readers wait only while another process recovers the file
                        time.sleep(0.01)
                    else:
                        raise
            return query(self._db)

    def _write(self, what: str, change: Callable[[sqlite3.Connection], None]) -> bool:
        """Keep ``change`` and try to save it with every write kept before it; True when all saved."""
        with self._lock:
            if self.read_only:
                return False
            self._pending.append((what, change))
            return self.flush(self.write_wait)

    def flush(self, wait: float | None = None) -> bool:
        """Save the writes kept in memory, oldest first, waiting up to ``wait`` seconds for the lock
        for each; True when none is left."""
        with self._lock:
            if self.read_only:
                return not self._pending
            wait_ms = int(1000 * (self.write_wait if wait is None else wait))
            while self._pending:
                what, change = self._pending[0]
                try:
                    self._db.execute(f"PRAGMA busy_timeout = {wait_ms}")
                    with self._transaction() as db:
                        change(db)
                except sqlite3.DatabaseError as error:
                    if is_corrupt(error):
                        self._damaged(error)
                        continue
                    if not isinstance(error, sqlite3.OperationalError):
                        self._pending.pop(0)  # a change the schema refuses will never succeed: not kept
                        raise
                    # Locked, or a full disk or an I/O error: the change is kept and tried again.
                    why = "the progress file is busy" if is_locked(error) else f"the progress file says: {error}"
                    first = self.unsaved is None
                    self.unsaved = f"Your {what} was not saved yet: {why}. It is kept and saved with your next step."
                    if first and self.on_notice:
                        self.on_notice(self.unsaved)
                    return False
                self._pending.pop(0)
            self.unsaved = None
            return True

    # -- reading -------------------------------------------------------------------------

    def current_step(self, lesson_id: str) -> str | None:
        """The id of the step the learner was on, or None for a lesson not started."""
        row = self._read(lambda db: db.execute("SELECT step_id FROM lessons WHERE lesson_id = ?",
                                                (lesson_id,)).fetchone())
        return row[0] if row else None

    def status(self, lesson_id: str) -> str:
        """``not started``, ``in progress`` or ``done``."""
        return self.statuses().get(lesson_id, NOT_STARTED)

    def statuses(self) -> dict[str, str]:
        """The status of every lesson the learner has opened."""
        rows = self._read(lambda db: db.execute("SELECT lesson_id, completed_at FROM lessons").fetchall())
        return {lesson: DONE if done else IN_PROGRESS for lesson, done in rows}

    def answers(self, lesson_id: str) -> dict[str, AnswerRecord]:
        """Per step: the latest answer, whether it was right, and the number of tries."""
        rows = self._read(lambda db: db.execute(
            "SELECT step_id, answer, correct, n FROM ("
            " SELECT step_id, answer, correct, COUNT(*) OVER (PARTITION BY step_id) AS n,"
            " ROW_NUMBER() OVER (PARTITION BY step_id ORDER BY id DESC) AS latest"
            " FROM answers WHERE lesson_id = ?) WHERE latest = 1",
            (lesson_id,),
        ).fetchall())
        return {step: AnswerRecord(answer, bool(correct), n) for step, answer, correct, n in rows}

    def solved_steps(self, lesson_id: str) -> set[str]:
        """Ids of the steps answered right at least once."""
        rows = self._read(lambda db: db.execute(
            "SELECT DISTINCT step_id FROM answers WHERE lesson_id = ? AND correct = 1", (lesson_id,)
        ).fetchall())
        return {row[0] for row in rows}

    def attempts(self, lesson_id: str) -> dict[str, Attempts]:
        """Per step of a lesson: the number of attempts, whether any passed, when it first did."""
        rows = self._read(lambda db: db.execute(
            "SELECT step_id, COUNT(*), MAX(correct), MIN(CASE WHEN correct = 1 THEN at END), MAX(at)"
            " FROM answers WHERE lesson_id = ? GROUP BY step_id",
            (lesson_id,),
        ).fetchall())
        return {step: Attempts(n, bool(ok), first, last) for step, n, ok, first, last in rows}

    def lesson_times(self) -> dict[str, LessonTimes]:
        """Per lesson opened: when it started, when last worked on (an answer counts), when it was done."""
        rows = self._read(lambda db: db.execute(
            "SELECT l.lesson_id, l.started_at, MAX(l.updated_at, COALESCE(MAX(a.at), 0)), l.completed_at"
            " FROM lessons l LEFT JOIN answers a ON a.lesson_id = l.lesson_id GROUP BY l.lesson_id"
        ).fetchall())
        return {lesson: LessonTimes(start, last, done) for lesson, start, last, done in rows}

    def exercise_state(self, lesson_id: str, step_id: str) -> ExerciseState:
        """The exercise's saved draft and whether its solution was revealed."""
        row = self._read(lambda db: db.execute(
            "SELECT draft, revealed FROM exercises WHERE lesson_id = ? AND step_id = ?", (lesson_id, step_id)
        ).fetchone())
        return ExerciseState(row[0], bool(row[1])) if row else ExerciseState()

    # -- writing -------------------------------------------------------------------------
    # Each write takes its timestamps when called, so a write saved later, once the lock is free,
    # still records when the learner did it. Each returns True when saved now.

    def save_draft(self, lesson_id: str, step_id: str, code: str) -> bool:
        """Keep the code in an exercise's editor, so leaving the step loses nothing."""
        now = time.time()
        return self._write("draft", lambda db: db.execute(
            "INSERT INTO exercises (lesson_id, step_id, draft, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lesson_id, step_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at",
            (lesson_id, step_id, code, now)))

    def reveal(self, lesson_id: str, step_id: str) -> bool:
        """Record that the learner gave up on an exercise and was shown the solution."""
        now = time.time()
        return self._write("give-up", lambda db: db.execute(
            "INSERT INTO exercises (lesson_id, step_id, revealed, updated_at) VALUES (?, ?, 1, ?)"
            " ON CONFLICT (lesson_id, step_id) DO UPDATE SET revealed = 1, updated_at = excluded.updated_at",
            (lesson_id, step_id, now)))

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

    def set_current_step(self, lesson_id: str, step_id: str) -> bool:
        """Remember the learner's place in a lesson (starting the lesson if needed)."""
        now = time.time()
        return self._write("place in the lesson", lambda db: self._save_place(db, lesson_id, step_id, now))

    @staticmethod
    def _save_place(db: sqlite3.Connection, lesson_id: str, step_id: str, now: float) -> None:
        db.execute(
            "INSERT INTO lessons (lesson_id, step_id, started_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lesson_id) DO UPDATE SET step_id = excluded.step_id, updated_at = excluded.updated_at",
            (lesson_id, step_id, now, now),
        )

    def record_answer(self, lesson_id: str, step_id: str, answer: str, correct: bool) -> bool:
        """Keep one attempt at a question."""
        now = time.time()
        return self._write("answer", lambda db: db.execute(
            "INSERT INTO answers (lesson_id, step_id, answer, correct, at) VALUES (?, ?, ?, ?, ?)",
            (lesson_id, step_id, answer, int(correct), now)))

    def mark_done(self, lesson_id: str, step_id: str) -> bool:
        """Mark a lesson finished, keeping the learner's place."""
        now = time.time()

        def change(db: sqlite3.Connection) -> None:
            self._save_place(db, lesson_id, step_id, now)
            db.execute("UPDATE lessons SET completed_at = COALESCE(completed_at, ?) WHERE lesson_id = ?",
                       (now, lesson_id))

        return self._write("finished lesson", change)

    def add_history(self, source: str) -> bool:
        """Keep one REPL input (not repeating the previous one), trimming to the newest entries."""
        now = time.time()

        def change(db: sqlite3.Connection) -> None:
            last = db.execute("SELECT source FROM history ORDER BY id DESC LIMIT 1").fetchone()
            if last and last[0] == source:
                return
            db.execute("INSERT INTO history (source, at) VALUES (?, ?)", (source, now))
            db.execute("DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - ?", (HISTORY_KEPT,))

        return self._write("REPL history", change)

    def history(self) -> list[str]:
        """REPL inputs, oldest first."""
        rows = self._read(lambda db: db.execute("SELECT source FROM history ORDER BY id").fetchall())
        return [row[0] for row in rows]

    def reset(self, lesson_id: str | None = None) -> bool:
        """Forget the progress of one lesson, or of all lessons when no id is given."""
        where, args = ("WHERE lesson_id = ?", (lesson_id,)) if lesson_id else ("", ())

        def change(db: sqlite3.Connection) -> None:
            db.execute(f"DELETE FROM lessons {where}", args)
            db.execute(f"DELETE FROM answers {where}", args)
            db.execute(f"DELETE FROM exercises {where}", args)

        return self._write("reset", change)
