"""Loading lessons: order, broken modules kept with file, line and error, duplicate ids."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import good_lesson
from tui.core.lesson import BrokenLesson, Lesson
from tui.core.course.loader import load_package, load_paths


def test_the_shipped_lessons_load_in_order_without_problems():
    catalogue = load_package()
    assert catalogue.ids[:2] == ["tensors", "matmul-broadcasting"]
    assert catalogue.problems == []
    assert all(isinstance(e, Lesson) for e in catalogue.entries)


def test_a_pack_loads_in_the_order_it_lists(lesson_pack):
    name, _ = lesson_pack({"b": good_lesson("bee"), "a": good_lesson("ay")}, order=["b", "a"])
    assert load_package(name).ids == ["bee", "ay"]


def test_a_syntax_error_breaks_only_its_lesson_with_file_and_line(lesson_pack):
    name, folder = lesson_pack({"ok": good_lesson("ok"), "bad": "x = 1\ny = (\n"})
    catalogue = load_package(name)
    assert catalogue.ids == ["ok", "bad"]
    broken = catalogue.get("bad")
    assert isinstance(broken, BrokenLesson)
    assert broken.where.file == str(folder / "bad.py")
    assert broken.where.line == 2
    assert "SyntaxError" in broken.error
    assert isinstance(catalogue.get("ok"), Lesson)


def test_an_exception_at_import_points_at_the_raising_line(lesson_pack):
    name, folder = lesson_pack({"boom": "import os\n\nraise RuntimeError('no data')\n"})
    broken = load_package(name).get("boom")
    assert isinstance(broken, BrokenLesson)
    assert (broken.where.file, broken.where.line) == (str(folder / "boom.py"), 3)
    assert "RuntimeError: no data" in broken.error


def test_a_module_without_lesson_is_broken(lesson_pack):
    name, _ = lesson_pack({"empty": "X = 1\n"})
    broken = load_package(name).get("empty")
    assert isinstance(broken, BrokenLesson) and "no LESSON" in broken.error


def test_a_bad_step_breaks_the_lesson_and_names_the_step_line(lesson_pack):
    source = good_lesson("badstep").replace('answer="right",', 'answer="nope",')
    name, folder = lesson_pack({"badstep": source})
    broken = load_package(name).get("badstep")
    assert isinstance(broken, BrokenLesson)
    line = source.splitlines().index("        Choice(") + 1
    assert (broken.where.file, broken.where.line) == (str(folder / "badstep.py"), line)
    assert "answer='nope' is not one of the options" in broken.error


def test_registry_problems_missing_file_unlisted_module_duplicate_id(lesson_pack):
    name, _ = lesson_pack({"one": good_lesson("same"), "two": good_lesson("same"), "extra": good_lesson("x")},
                          order=["one", "two", "ghost"])
    catalogue = load_package(name)
    messages = [p.message for p in catalogue.problems]
    assert "lesson id 'same' is used twice" in messages
    assert "ORDER lists 'ghost' but there is no ghost.py" in messages
    assert "extra.py is not listed in ORDER" in messages
    assert isinstance(catalogue.get("ghost"), BrokenLesson)


def test_load_paths_reads_files_and_folders_and_reports_missing_ones(tmp_path: Path):
    (tmp_path / "a.py").write_text(good_lesson("a"))
    (tmp_path / "b.py").write_text(good_lesson("b"))
    catalogue = load_paths([tmp_path, tmp_path / "nowhere"])
    assert catalogue.ids == ["a", "b"]
    assert [p.message for p in catalogue.problems] == ["no such file or folder"]


def test_lesson_problems_bad_id_and_fields():
    lesson = Lesson(id="Bad Id", title="", summary="two\nlines", minutes=0, steps=[])
    messages = " | ".join(p.message for p in lesson.problems())
    for expected in ("lower-case words", "no title", "one line", "positive whole number", "no steps"):
        assert expected in messages


def test_step_index_falls_back_to_the_start_for_a_removed_step():
    lesson = load_package().get("tensors")
    assert lesson.step_index(lesson.steps[3].id) == 3
    assert lesson.step_index("no-such-step") == 0
    assert lesson.step_index(None) == 0
