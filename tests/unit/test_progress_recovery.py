"""The progress store under contention and damage: a lock is waited for, never called damage; a write
that cannot get the lock is kept and saved later; read-only and misplaced files; several processes
writing at once lose nothing."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

import tui.core.store.progress_file as progress_file
from tui.core.store.progress import ProgressStore


def aside(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".unusable-" in p.name]


def test_a_file_locked_by_another_program_at_open_is_waited_for_not_moved_aside(tmp_path):
    path = tmp_path / "p.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other (x)")  # a rollback-journal file: EXCLUSIVE also shuts readers out
    holder.execute("BEGIN EXCLUSIVE")
    opened: list[ProgressStore] = []
    opener = threading.Thread(target=lambda: opened.append(ProgressStore(path)))
    opener.start()
    opener.join(0.3)  # gives the opener time to meet the lock; the assertions below do not depend on it
    holder.execute("COMMIT")
    holder.close()
    opener.join()
    assert opened[0].notice is None and not aside(tmp_path)
    assert opened[0].set_current_step("l", "s") and opened[0].current_step("l") == "s"


def test_a_write_that_cannot_get_the_lock_is_kept_said_and_saved_with_the_next(tmp_path):
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    heard: list[str] = []
    store.on_notice = heard.append
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    assert store.record_answer("l", "q", "first", True) is False
    assert store.unsaved and "answer was not saved" in store.unsaved and heard == [store.unsaved]
    assert store.answers("l") == {}  # reads still work while another process writes
    other.execute("COMMIT")
    assert store.record_answer("l", "q", "second", False) is True
    assert store.unsaved is None
    assert store.answers("l")["q"].attempts == 2 and store.solved_steps("l") == {"q"}
    assert not aside(tmp_path)


def test_close_saves_what_is_still_kept(tmp_path):
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    assert store.save_draft("l", "e", "x = 1") is False
    threading.Timer(0.2, lambda: other.execute("COMMIT")).start()  # the other program finishes while we close
    store.close()
    assert ProgressStore(path).exercise_state("l", "e").draft == "x = 1"


def test_a_folder_where_the_file_should_be_keeps_progress_in_memory_and_says_where(tmp_path):
    path = tmp_path / "progress.db"
    path.mkdir()
    store = ProgressStore(path)
    assert str(path) in store.notice and "TENSORDOJO_HOME" in store.notice and "folder" in store.notice
    assert store.set_current_step("l", "s") and store.current_step("l") == "s"
    assert path.is_dir()  # nothing of the user's was moved


def test_a_data_folder_under_a_file_says_which_path(tmp_path):
    (tmp_path / "home").write_text("not a folder")
    store = ProgressStore(tmp_path / "home" / "progress.db")
    assert str(tmp_path / "home") in store.notice and "TENSORDOJO_HOME" in store.notice


def test_an_unwritable_folder_says_so_and_still_works(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_file.os, "access", lambda p, mode: False)  # root writes anywhere: pretend
    store = ProgressStore(tmp_path / "p.db")
    assert "Cannot write" in store.notice and str(tmp_path) in store.notice and "TENSORDOJO_HOME" in store.notice
    assert store.record_answer("l", "q", "a", True)


def test_a_read_only_file_is_shown_read_only_and_never_moved(tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    store.set_current_step("l", "s3")
    store.close()
    monkeypatch.setattr(progress_file.os, "access", lambda p, mode: False)
    shown = ProgressStore(path)
    assert shown.read_only and "read-only" in shown.notice
    assert shown.current_step("l") == "s3"
    assert shown.set_current_step("l", "s4") is False
    assert not aside(tmp_path)


def test_damage_found_at_open_by_quick_check_moves_the_file_aside(tmp_path):
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    for i in range(400):
        store.record_answer("l", f"q{i}", "x" * 200, True)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3:4096 * 5] = b"\xff" * 8192  # two b-tree pages in the middle of the answers table
    path.write_bytes(bytes(data))
    again = ProgressStore(path)
    assert again.notice and "could not be used" in again.notice and len(aside(tmp_path)) == 1
    assert again.record_answer("l", "q", "fresh", True)


class DamagedAfterOpen:
    """A connection whose file turns out damaged at the next statement (as a disk fault would)."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, *args):
        raise sqlite3.DatabaseError("database disk image is malformed")

    def close(self) -> None:
        self.real.close()


def test_damage_found_after_open_moves_the_file_aside_and_the_write_lands_in_the_new_one(tmp_path):
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    heard: list[str] = []
    store.on_notice = heard.append
    store._db = DamagedAfterOpen(store._db)
    assert store.record_answer("l", "q", "kept", True)
    assert len([p for p in aside(tmp_path) if p.suffix != ".db" and not p.name.endswith(("-wal", "-shm"))]) == 1
    assert heard and "could not be used" in heard[0]
    assert store.answers("l")["q"].answer == "kept"


def _writer(path: str, name: str, rounds: int, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    store = ProgressStore(Path(path))
    for i in range(rounds):
        store.record_answer("l", f"{name}-q", str(i), i % 2 == 0)
        store.save_draft("l", f"{name}-e{i}", f"draft {i}")
        store.add_history(f"{name} input {i}")
        store.set_current_step(name, f"s{i}")
    store.close()
    raise SystemExit(0 if store.notice is None else 3)


@pytest.mark.parametrize("round_", range(3))
def test_several_processes_opening_and_writing_at_once_lose_nothing(tmp_path, round_):
    """The bug this replaces: three processes opening one new file together got "database is
    locked" and the store moved the healthy file aside (3 to 9 rounds in 10)."""
    path, names, rounds = tmp_path / "p.db", ["a", "b", "c", "d"], 60
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_writer, args=(str(path), n, rounds, start)) for n in names]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0] * len(names)  # no notice in any process
    assert not aside(tmp_path)
    store = ProgressStore(path)
    history = store.history()
    for name in names:
        assert store.answers("l")[f"{name}-q"].attempts == rounds
        assert all(store.exercise_state("l", f"{name}-e{i}").draft == f"draft {i}" for i in range(rounds))
        assert [h for h in history if h.startswith(name + " ")] == [f"{name} input {i}" for i in range(rounds)]
        assert store.current_step(name) == f"s{rounds - 1}"
