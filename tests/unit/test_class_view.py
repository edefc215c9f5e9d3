"""The instructor's class view over a served class's folders: per learner and lesson the step, passes,
attempts, last activity and who seems stuck; ``progress --class`` and ``progress --merge DIR``."""

from __future__ import annotations

import time

from tui.cli import main
from tui.core.store.class_view import STUCK_ATTEMPTS, STUCK_IDLE_S, class_rows
from tui.core.course.loader import load_package
from tui.core.store.progress import ProgressStore
from tui.serve_learners import learner_home

CATALOGUE = load_package()
TENSORS = next(lesson for lesson in CATALOGUE.lessons if lesson.id == "tensors")


def a_class(class_dir):
    ana = ProgressStore(learner_home(class_dir, "Ana") / "progress.db")
    ana.set_current_step("tensors", TENSORS.steps[2].id)
    for _ in range(STUCK_ATTEMPTS + 1):
        ana.record_answer("tensors", "pad-sequences", "wrong", False)
    ana.close()
    bo = ProgressStore(learner_home(class_dir, "Bo") / "progress.db")
    bo.set_current_step("tensors", TENSORS.steps[-1].id)
    bo.record_answer("tensors", "pad-sequences", "right", True)
    bo.close()
    learner_home(class_dir, "Cy")  # connected, opened nothing yet


def test_each_learner_has_a_row_per_lesson_opened_and_the_struggling_one_is_flagged(tmp_path):
    a_class(tmp_path)
    rows = {row.learner: row for row in class_rows(tmp_path, CATALOGUE)}
    assert set(rows) == {"Ana", "Bo"}
    ana, bo = rows["Ana"], rows["Bo"]
    assert ana.lesson == bo.lesson == "tensors"
    assert ana.step.startswith(f"3/{len(TENSORS.steps)} ") and bo.step.startswith(f"{len(TENSORS.steps)}/")
    assert (ana.passed, ana.attempts) == (0, STUCK_ATTEMPTS + 1) and (bo.passed, bo.attempts) == (1, 1)
    assert ana.answerable == bo.answerable == len(TENSORS.answerable_ids())
    assert ana.stuck == f"{STUCK_ATTEMPTS + 1} tries at pad-sequences" and bo.stuck == ""
    later = {row.learner: row for row in class_rows(tmp_path, CATALOGUE, now=time.time() + STUCK_IDLE_S + 120)}
    assert later["Bo"].stuck.startswith("idle ")  # in a lesson not finished, and quiet for a while


def test_progress_class_prints_the_table_and_merge_reads_a_class_folder(tmp_path, capsys):
    a_class(tmp_path)
    assert main(["progress", "--class", str(tmp_path), "--once"]) == 0
    shown = capsys.readouterr().out
    assert "Ana" in shown and "Bo" in shown and "tries at pad-sequences" in shown
    assert main(["progress", "--merge", str(tmp_path)]) == 0
    merged = capsys.readouterr().out
    assert "Ana" in merged and "Bo" in merged and "Cy" not in merged


def test_a_missing_class_folder_is_a_one_line_error(tmp_path, capsys):
    assert main(["progress", "--class", str(tmp_path / "nope"), "--once"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_name_that_looks_like_markup_is_shown_as_typed(tmp_path, capsys):
    store = ProgressStore(learner_home(tmp_path, "[/] [bold]Eve") / "progress.db")
    store.set_current_step("tensors", TENSORS.steps[0].id)
    store.close()
    assert main(["progress", "--class", str(tmp_path), "--once"]) == 0
    assert "[/] [bold]Eve" in capsys.readouterr().out
    assert main(["progress", "--merge", str(tmp_path)]) == 0
    assert "[/] [bold]Eve" in capsys.readouterr().out
