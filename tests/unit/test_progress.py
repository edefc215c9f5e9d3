"""The progress store: place, answers, completion, reset, and recovery from bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.core.store.progress import DONE, IN_PROGRESS, NOT_STARTED, SCHEMA_VERSION, ProgressStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "deep" / "folder" / "progress.db"


def test_a_new_store_creates_its_folder_and_knows_nothing(db):
    store = ProgressStore(db)
    assert db.exists() and store.notice is None
    assert store.status("tensors") == NOT_STARTED
    assert store.current_step("tensors") is None


def test_place_and_answers_survive_reopening(db):
    store = ProgressStore(db)
    store.set_current_step("tensors", "dtype")
    store.record_answer("tensors", "q1", "(4, 3)", False)
    store.record_answer("tensors", "q1", "(3, 4)", True)
    store.record_answer("tensors", "q2", "int64", False)
    store.close()

    again = ProgressStore(db)
    assert again.current_step("tensors") == "dtype"
    assert again.status("tensors") == IN_PROGRESS
    answers = again.answers("tensors")
    assert (answers["q1"].answer, answers["q1"].correct, answers["q1"].attempts) == ("(3, 4)", True, 2)
    assert (answers["q2"].correct, answers["q2"].attempts) == (False, 1)
    assert again.solved_steps("tensors") == {"q1"}


def test_a_right_answer_stays_solved_after_a_later_wrong_one(db):
    store = ProgressStore(db)
    store.record_answer("l", "q", "right", True)
    store.record_answer("l", "q", "wrong", False)
    assert store.solved_steps("l") == {"q"}
    assert store.answers("l")["q"].correct is False


def test_done_keeps_the_place_and_reset_forgets_one_or_all(db):
    store = ProgressStore(db)
    store.mark_done("a", "last")
    store.set_current_step("b", "two")
    store.record_answer("b", "q", "x", True)
    assert store.statuses() == {"a": DONE, "b": IN_PROGRESS}
    assert store.current_step("a") == "last"
    store.reset("a")
    assert store.statuses() == {"b": IN_PROGRESS}
    store.reset()
    assert store.statuses() == {} and store.answers("b") == {}


def test_a_corrupt_file_is_kept_aside_and_replaced_with_one_notice(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite" * 100)
    store = ProgressStore(db)
    kept = [p for p in db.parent.iterdir() if ".unusable-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not sqlite")
    assert store.notice and "could not be used" in store.notice and kept[0].name in store.notice
    store.set_current_step("tensors", "s1")
    assert store.current_step("tensors") == "s1"
    store.close()
    assert ProgressStore(db).notice is None


def test_a_database_from_a_newer_version_is_kept_aside(db):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = ProgressStore(db)
    assert "newer tensordojo" in store.notice
    assert any(".unusable-" in p.name for p in db.parent.iterdir())


def test_a_hand_edited_database_missing_columns_is_kept_aside(db):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY)")
    store = ProgressStore(db)
    assert "lessons lacks" in store.notice


def test_a_failed_write_rolls_back_whole(db, monkeypatch):
    store = ProgressStore(db)
    store.record_answer("l", "q", "first", True)
    with pytest.raises(sqlite3.Error):
        with store._transaction() as con:
            con.execute("DELETE FROM answers")
            con.execute("INSERT INTO no_such_table VALUES (1)")
    assert store.answers("l")["q"].answer == "first"


def test_committed_writes_are_on_disk_for_another_connection(db):
    """What a killed app leaves: everything committed so far, read by a fresh process."""
    store = ProgressStore(db)
    store.record_answer("l", "q", "a1", True)
    store.set_current_step("l", "s3")
    with sqlite3.connect(db) as other:
        assert other.execute("SELECT step_id FROM lessons").fetchone() == ("s3",)
        assert other.execute("SELECT COUNT(*) FROM answers").fetchone() == (1,)


def test_exercise_drafts_and_give_ups_are_kept_and_reset(tmp_path):
    store = ProgressStore(tmp_path / "p.db")
    assert store.exercise_state("l", "e").draft is None
    store.save_draft("l", "e", "def f(): pass")
    store.reveal("l", "e")
    store.save_draft("l", "e", "def f(): return 1")
    store.close()
    store = ProgressStore(tmp_path / "p.db")
    state = store.exercise_state("l", "e")
    assert (state.draft, state.revealed) == ("def f(): return 1", True)
    store.reset("l")
    assert store.exercise_state("l", "e").draft is None and not store.exercise_state("l", "e").revealed


def test_a_version_2_file_gains_the_exercises_table_and_keeps_its_answers(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY, step_id TEXT NOT NULL, started_at REAL NOT NULL,"
        " updated_at REAL NOT NULL, completed_at REAL);"
        "CREATE TABLE answers (id INTEGER PRIMARY KEY, lesson_id TEXT NOT NULL, step_id TEXT NOT NULL,"
        " answer TEXT NOT NULL, correct INTEGER NOT NULL, at REAL NOT NULL);"
        "CREATE TABLE history (id INTEGER PRIMARY KEY, source TEXT NOT NULL, at REAL NOT NULL);"
        "INSERT INTO answers (lesson_id, step_id, answer, correct, at) VALUES ('l', 's', '3', 1, 0);"
        "PRAGMA user_version = 2;"
    )
    db.close()
    store = ProgressStore(path)
    assert store.notice is None
    assert store.solved_steps("l") == {"s"}
    store.save_draft("l", "e", "x")
    assert store.exercise_state("l", "e").draft == "x"
