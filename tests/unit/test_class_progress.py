"""Exporting one learner's progress and merging a class's files, bad files included."""

from __future__ import annotations

import json

from tui.core.store.class_progress import VERSION, export_progress, merge_exports, read_export
from tui.core.grading.lookup import exercises, full_id
from tui.core.course.loader import load_package
from tui.core.store.progress import ProgressStore

CATALOGUE = load_package()


def learner(tmp_path, name: str, passes: bool, finish: bool):
    store = ProgressStore(tmp_path / f"{name}.db")
    store.set_current_step("tensors", "powers")
    store.record_answer("tensors", "pad-sequences", "def pad_sequences(s, value=0): ...", False)
    if passes:
        store.record_answer("tensors", "pad-sequences", "def pad_sequences(s, value=0): return 1", True)
    if finish:
        store.mark_done("tensors", "powers")
    data = export_progress(store, CATALOGUE, name)
    store.close()
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    return path, data


def test_an_export_has_every_lesson_and_exercise_with_attempts(tmp_path):
    _, data = learner(tmp_path, "ana", passes=True, finish=True)
    assert data["format"] == "tensordojo-progress" and data["version"] == VERSION and data["learner"] == "ana"
    lessons = {r["id"]: r for r in data["lessons"]}
    assert list(lessons) == CATALOGUE.ids  # every lesson of the course, in order
    assert lessons["tensors"]["status"] == "done" and lessons["gpu"]["status"] == "not started"
    assert lessons["tensors"]["completed_at"] is not None
    pad = next(r for r in data["exercises"] if r["id"] == "tensors.pad-sequences")
    assert (pad["attempts"], pad["passed"]) == (2, True) and pad["passed_at"] is not None
    assert [r["id"] for r in data["exercises"]] == [full_id(lesson, step) for lesson, step in exercises(CATALOGUE)]


def test_a_class_of_three_merges_into_one_table_and_csv(tmp_path):
    files = [learner(tmp_path, n, p, f)[0] for n, p, f in (("ana", True, True), ("bo", False, False), ("cy", True, False))]
    table = merge_exports(files)
    assert [r["learner"] for r in table.rows] == ["ana", "bo", "cy"] and table.skipped == []
    lines = table.to_csv().splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["learner", "tensors"] and "tensors.pad-sequences" in header
    column = header.index("tensors.pad-sequences")
    assert [line.split(",")[column] for line in lines[1:]] == ["passed", "tried 1", "passed"]
    assert [line.split(",")[1] for line in lines[1:]] == ["done", "in progress", "in progress"]


def test_bad_files_are_skipped_with_a_reason_and_the_rest_merge(tmp_path):
    good, data = learner(tmp_path, "ana", passes=True, finish=False)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**data, "version": VERSION + 1}))
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**data, "exercises": [{"id": "x", "attempts": "many"}]}))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    same_name = tmp_path / "again.json"
    same_name.write_text(json.dumps(data))
    table = merge_exports([good, newer, edited, garbage, tmp_path / "missing.json", same_name])
    assert [r["learner"] for r in table.rows] == ["ana", "ana (2)"]
    reasons = "\n".join(table.skipped)
    assert "this tensordojo reads version 1" in reasons and "edited by hand" in reasons
    assert "is not JSON (line 1" in reasons and "no such file" in reasons
    assert read_export(good)["learner"] == "ana"
