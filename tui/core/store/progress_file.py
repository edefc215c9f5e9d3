"""Opening the progress database safely: waiting out locks, telling corruption from contention,
falling back to read-only or to memory, and moving a truly unusable file aside.

Several processes may open one file at the same moment (a served class, the app and a
``tensordojo progress`` run). SQLite then answers "database is locked" for a while; that is
contention, never damage, so it is waited for and retried. Only ``PRAGMA quick_check`` failing,
SQLite saying the file is not a database or is malformed, a newer schema, or missing columns
count as unusable, and only those move the file aside (it is renamed, never deleted).
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tui.core.paths import HOME_VARIABLE

OPEN_WAIT_S = 20.0
"""How long opening waits for other processes' locks before settling for read-only."""

_LOCKED = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_READ_ONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH}


class UnusableDatabase(Exception):
    """The database file cannot be used as it is; the message says why."""


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_locked(error: sqlite3.Error) -> bool:
    """Whether the error is another connection holding a lock (wait and retry), not damage."""
    code = _code(error)
    return code in _LOCKED if code is not None else "locked" in str(error) or "busy" in str(error)


def is_corrupt(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or is not a database at all."""
    code = _code(error)
    if code is not None:
        return code in _CORRUPT
    return "malformed" in str(error) or "not a database" in str(error)


def is_read_only(error: sqlite3.Error) -> bool:
    """Whether the error means the file or its folder cannot be written."""
    code = _code(error)
    return code in _READ_ONLY if code is not None else "readonly" in str(error)


@dataclass
class Opened:
    """A connection and how it was opened."""

    db: sqlite3.Connection
    read_only: bool = False
    notice: str | None = None


def where_to_fix(path: Path) -> str:
    """What the learner can do about a file that cannot be written."""
    return f"Make it writable, or set {HOME_VARIABLE} to a folder you can write to."


def in_memory(why: str, schema: str) -> Opened:
    """A store that lives only as long as the process, when no file can be used."""
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.executescript(schema)
    return Opened(db, read_only=False, notice=f"{why} Progress is kept only until you quit.")


def open_database(path: Path, schema: str, version: int, columns: dict[str, set[str]]) -> Opened:
    """Open ``path`` for reading and writing, else read-only, else in memory; never raises for a
    locked, read-only, misplaced or unwritable file. Raises :class:`UnusableDatabase` for damage."""
    if path.is_dir():
        return in_memory(f"{path} is a folder, where tensordojo keeps its progress file. Move it away, or set "
                         f"{HOME_VARIABLE} to another folder.", schema)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return in_memory(f"Cannot create the folder {path.parent} for your progress ({error.strerror or error}). "
                         + where_to_fix(path), schema)
    writable = os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
    if not writable:
        if not path.exists():
            return in_memory(f"Cannot write your progress in {path.parent} (permission denied). " + where_to_fix(path), schema)
        return open_read_only(path, schema, version, f"Your progress file {path} is read-only: it is shown, but nothing "
                                             "new is saved. " + where_to_fix(path))
    deadline = time.monotonic() + OPEN_WAIT_S
    pause = 0.01
    while True:
        try:
            return Opened(connect(path, schema, version, columns))
        except sqlite3.DatabaseError as error:
            if is_corrupt(error):
                raise UnusableDatabase(str(error)) from error
            if is_read_only(error):
                return open_read_only(path, schema, version, f"Your progress file {path} cannot be written ({error}): it is "
                                                     "shown, but nothing new is saved. " + where_to_fix(path))
            if not is_locked(error):  # a full disk, an I/O error: not the file's fault, so it stays where it is
                return open_read_only(path, schema, version, f"Your progress file {path} cannot be written now ({error}): "
                                                     "it is shown, but nothing new is saved.")
            if time.monotonic() > deadline:
                return open_read_only(path, schema, version, f"Your progress file {path} stayed locked by another program "
                                                     f"for {OPEN_WAIT_S:.0f} s; it is shown read-only this time.")
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def connect(path: Path, schema: str, version: int, columns: dict[str, set[str]]) -> sqlite3.Connection:
    """Open, check and set up the file; any sqlite3 error is raised for the caller to sort out."""
    # timeout= sets SQLite's busy timeout before the first statement; without it a second process
    # opening the file during another's set-up gets "database is locked" at once.
    db = sqlite3.connect(path, timeout=OPEN_WAIT_S, isolation_level=None, check_same_thread=False)
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > version:
            raise UnusableDatabase(f"it was written by a newer tensordojo, schema {found}; this one reads {version}")
        checked = db.execute("PRAGMA quick_check").fetchone()[0]
        if checked != "ok":
            raise UnusableDatabase(f"quick_check found damage: {checked}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode=WAL")  # a property of the file: set once, by whoever comes first
        db.execute("PRAGMA synchronous=NORMAL")
        if found < version:
            # The write lock first, so two set-ups never interleave.
            try:
                db.executescript(f"BEGIN IMMEDIATE; {schema} PRAGMA user_version={version}; COMMIT;")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        check_columns(db, columns)
    except BaseException:
        db.close()
        raise
    return db


def open_read_only(path: Path, schema: str, version: int, notice: str) -> Opened:
    """The file opened for reading only; in memory (empty) when even that fails."""
    for query in ("mode=ro", "mode=ro&immutable=1"):  # immutable: no -shm file needed in a read-only folder
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=2,
                                 isolation_level=None, check_same_thread=False)
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found > version:
                db.close()
                return in_memory(f"Your progress file {path} was written by a newer tensordojo and cannot be "
                                 "replaced (it is read-only).", schema)
            db.execute("SELECT COUNT(*) FROM lessons").fetchone()
            return Opened(db, read_only=True, notice=notice)
        except sqlite3.Error:
            continue
    return in_memory(f"Your progress file {path} cannot be opened. " + where_to_fix(path), schema)


def check_columns(db: sqlite3.Connection, columns: dict[str, set[str]]) -> None:
    """Raise :class:`UnusableDatabase` when a table lacks a column this version needs."""
    for table, expected in columns.items():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not expected <= present:
            raise UnusableDatabase(f"table {table} lacks {', '.join(sorted(expected - present))}")


def move_aside(path: Path) -> Path:
    """Rename the file (and its -wal and -shm) to ``NAME.unusable-STAMP``; return the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.unusable-{stamp}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}.unusable-{stamp}-{number}")
    path.rename(kept)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(kept.with_name(kept.name + suffix))
    return kept
