"""REPL history: up/down with a kept draft, reverse search, and persistence in the progress store."""

from __future__ import annotations

from tui.core.repl.history import HistoryCursor
from tui.core.store.progress import HISTORY_KEPT, ProgressStore


def test_up_and_down_walk_the_entries_and_restore_the_draft():
    cursor = HistoryCursor(["a = 1", "b = 2"])
    assert cursor.older("half-typed") == "b = 2"
    assert cursor.older("b = 2") == "a = 1"
    assert cursor.older("a = 1") is None
    assert cursor.newer() == "b = 2"
    assert cursor.newer() == "half-typed"
    assert cursor.newer() is None


def test_adding_skips_blanks_and_repeats_and_resets_the_position():
    cursor = HistoryCursor(["x"])
    cursor.older("")
    cursor.add("x")
    cursor.add("   ")
    cursor.add("y")
    assert cursor.entries == ["x", "y"] and cursor.position == 2


def test_reverse_search_finds_newest_first_then_older_matches():
    cursor = HistoryCursor(["t = torch.ones(3)", "print(t)", "t.sum()"])
    assert cursor.search("t.") == (2, "t.sum()")
    assert cursor.search("torch", before=2) == (0, "t = torch.ones(3)")
    assert cursor.search("torch", before=0) is None
    assert cursor.search("absent") is None


def test_history_persists_in_the_progress_database(tmp_path):
    store = ProgressStore(tmp_path / "p.db")
    for source in ["a", "b", "b", "c"]:
        store.add_history(source)
    store.close()
    assert ProgressStore(tmp_path / "p.db").history() == ["a", "b", "c"]


def test_history_keeps_only_the_newest_entries(tmp_path):
    store = ProgressStore(tmp_path / "p.db")
    for n in range(HISTORY_KEPT + 5):
        store.add_history(f"x = {n}")
    entries = store.history()
    assert len(entries) == HISTORY_KEPT and entries[-1] == f"x = {HISTORY_KEPT + 4}" and entries[0] == "x = 5"


def test_a_version_1_database_gains_history_in_place(tmp_path):
    import sqlite3

    db = tmp_path / "p.db"
    with sqlite3.connect(db) as con:
        con.executescript(
            "CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY, step_id TEXT NOT NULL, started_at REAL NOT NULL,"
            " updated_at REAL NOT NULL, completed_at REAL);"
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, lesson_id TEXT NOT NULL, step_id TEXT NOT NULL,"
            " answer TEXT NOT NULL, correct INTEGER NOT NULL, at REAL NOT NULL);"
            "INSERT INTO lessons VALUES ('tensors', 's2', 0, 0, NULL); PRAGMA user_version = 1;"
        )
    store = ProgressStore(db)
    assert store.notice is None and store.current_step("tensors") == "s2"
    store.add_history("1 + 1")
    assert store.history() == ["1 + 1"]
