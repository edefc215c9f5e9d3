"""Lesson packs from folders, the environment and entry points; duplicate ids; the scaffold; reloading."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from tests.conftest import good_lesson
from tui.core.lesson import BrokenLesson, Lesson
from tui.core.course.packs import BUILT_IN, CourseSpec, load_course
from tui.core.course.reload import LessonSource, place_after_reload, reload_lesson
from tui.core.course.scaffold import ScaffoldError, write_lesson

ONLY_BUILT_IN = CourseSpec(entry_points=False)


def folder_pack(root: Path, name: str, *lesson_ids: str) -> Path:
    folder = root / name
    folder.mkdir()
    for lesson_id in lesson_ids:
        (folder / f"{lesson_id.replace('-', '_')}.py").write_text(good_lesson(lesson_id))
    return folder


def test_a_folder_pack_follows_the_course_and_knows_its_pack(tmp_path):
    folder = folder_pack(tmp_path, "workshop", "extra-one")
    course = load_course(CourseSpec(folders=(str(folder),), entry_points=False))
    assert course.ids[-1] == "extra-one" and course.ids[0] == "tensors"
    assert course.get("extra-one").pack == "workshop" and course.get("tensors").pack == BUILT_IN
    assert course.problems == []


def test_folders_come_from_options_then_the_environment_without_repeats(tmp_path):
    a, b = folder_pack(tmp_path, "a"), folder_pack(tmp_path, "b")
    spec = CourseSpec.from_options([str(a)], {"TENSORDOJO_LESSONS": f"{b}{os.pathsep}{a}"})
    assert spec.folders == (str(a.resolve()), str(b.resolve()))
    assert CourseSpec.from_dict(spec.to_dict()) == spec


def test_a_missing_folder_is_reported_and_the_rest_still_loads(tmp_path):
    spec = CourseSpec(folders=(str(tmp_path / "nowhere"),), entry_points=False)
    assert spec.missing_folders() == [str(tmp_path / "nowhere")]
    course = load_course(spec)
    assert "tensors" in course.ids
    assert [p.message for p in course.problems] == ["lesson folder not found; its lessons are left out"]


def test_a_duplicate_id_is_reported_not_merged(tmp_path):
    one, two = folder_pack(tmp_path, "one", "shared"), folder_pack(tmp_path, "two", "shared")
    course = load_course(CourseSpec(folders=(str(one), str(two)), entry_points=False))
    assert isinstance(course.get("shared"), Lesson) and course.get("shared").pack == "one"
    broken = course.get("two/shared")
    assert isinstance(broken, BrokenLesson) and "used by pack 'one' and again by pack 'two'" in broken.error
    assert any("rename one" in p.message for p in course.problems)


def test_an_installed_package_adds_lessons_through_the_entry_point_group(tmp_path, monkeypatch):
    package = tmp_path / "site" / "dojo_extra"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('ORDER = ["convs"]\n')
    (package / "convs.py").write_text(good_lesson("convs"))
    info = tmp_path / "site" / "dojo_extra-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dojo-extra\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[tensordojo.lessons]\nextra = dojo_extra\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    course = load_course(CourseSpec())
    assert course.get("convs") is not None and course.get("convs").pack == "extra"
    broken = tmp_path / "site" / "dojo_broken-1.0.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_text("Metadata-Version: 2.1\nName: dojo-broken\nVersion: 1.0\n")
    (broken / "entry_points.txt").write_text("[tensordojo.lessons]\nbroken = no_such_package\n")
    course = load_course(CourseSpec())
    assert course.get("convs") is not None
    assert any("lesson pack 'broken' (no_such_package) failed to load" in p.message for p in course.problems)


def test_the_scaffold_loads_clean_and_refuses_to_overwrite_or_bad_ids(tmp_path):
    target = write_lesson("my-lesson", tmp_path / "pack")
    assert target.name == "my_lesson.py"
    course = load_course(CourseSpec(folders=(str(tmp_path / "pack"),), entry_points=False))
    lesson = course.get("my-lesson")
    assert isinstance(lesson, Lesson) and course.problems == []
    assert {step.kind for step in lesson.steps} == {"prose", "choice", "typed", "try", "launch", "exercise"}
    for bad, why in (("my-lesson", "already exists"), ("My_Lesson", "lower-case words")):
        try:
            write_lesson(bad, tmp_path / "pack")
        except ScaffoldError as error:
            assert why in str(error)
        else:
            raise AssertionError(f"{bad} was accepted")


def test_reloading_keeps_the_step_when_it_still_exists(tmp_path):
    folder = tmp_path / "p"
    target = write_lesson("reloaded", folder)
    old = load_course(CourseSpec(folders=(str(folder),), entry_points=False)).get("reloaded")
    source = LessonSource.of(old)
    assert source is not None and not source.changed()
    text = target.read_text().replace('title="A typed answer"', 'title="A typed answer, renamed", id="a-typed-answer"')
    text = text.replace("        Prose(\"\"\"\n            # A first page", "        Prose(\"\"\"\n            # A new first page\n\n            new.\n        \"\"\"),\n        Prose(\"\"\"\n            # A first page", 1)
    target.write_text(text)
    os.utime(target, (source.seen + 5, source.seen + 5))
    assert source.changed()
    new = reload_lesson(old, source)
    assert isinstance(new, Lesson) and len(new.steps) == len(old.steps) + 1
    assert place_after_reload(old, new, old.step_index("a-typed-answer")) == new.step_index("a-typed-answer") == 3
    shorter = dataclasses.replace(new, steps=new.steps[:2])
    assert place_after_reload(old, shorter, len(old.steps) - 1) == 1  # the step is gone: same place, clamped
    target.write_text(text.replace("LESSON = Lesson(", "LESSON = Lesson(oops", 1))
    os.utime(target, (source.seen + 10, source.seen + 10))
    assert source.changed()
    why = reload_lesson(old, source)
    assert isinstance(why, str) and "SyntaxError" in why


def test_a_module_that_exits_or_hangs_at_import_is_listed_as_broken_and_the_rest_load(tmp_path, monkeypatch):
    from tui.core.course import import_guard

    monkeypatch.setattr(import_guard, "IMPORT_LIMIT", 1.0)
    folder = folder_pack(tmp_path, "risky", "fine-one")
    (folder / "exits.py").write_text("import sys\n\nsys.exit(3)\n")
    (folder / "loops.py").write_text("x = 1\nwhile True:\n    x += 1\n")
    (folder / "ends.py").write_text("import os\nos._exit(7)\n")
    course = load_course(CourseSpec(folders=(str(folder),), entry_points=False))
    assert isinstance(course.get("fine-one"), Lesson) and "tensors" in course.ids
    broken = {entry.id: entry for entry in course.entries if isinstance(entry, BrokenLesson)}
    assert broken["exits"].where.line == 3 and "sys.exit(3)" in broken["exits"].error
    assert broken["loops"].where.line in (2, 3) and "did not finish within 1 s" in broken["loops"].error
    assert "ended the process" in broken["ends"].error and broken["ends"].where.file == str(folder / "ends.py")


def test_import_verdicts_are_kept_by_modification_time_so_a_second_load_starts_no_child(tmp_path, monkeypatch):
    from tui.core.course import import_guard

    folder = folder_pack(tmp_path, "pack", "one")
    bad = folder / "bad.py"
    bad.write_text("raise SystemExit\n")
    spec = CourseSpec(folders=(str(folder),), entry_points=False)
    assert isinstance(load_course(spec).get("bad"), BrokenLesson)
    children: list = []
    real = import_guard._try_in_child
    monkeypatch.setattr(import_guard, "_try_in_child", lambda items, limit: children.append(items) or real(items, limit))
    assert isinstance(load_course(spec).get("bad"), BrokenLesson) and children == []  # from the kept verdicts
    bad.write_text(good_lesson("bad"))
    os.utime(bad, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    assert isinstance(load_course(spec).get("bad"), Lesson)
    assert [item.file for item in children[0]] == [str(bad)]  # only the changed file was tried again


def test_a_lesson_module_raising_system_exit_in_process_is_caught_too():
    from tui.core.course.loader import load_lesson

    def importer():
        raise SystemExit(2)

    entry, problems = load_lesson("quits", "quits.py", importer)
    assert isinstance(entry, BrokenLesson) and "SystemExit" in entry.error and problems


def test_an_installed_pack_whose_package_or_module_exits_is_reported_and_the_rest_load(tmp_path, monkeypatch):
    site = tmp_path / "site"
    for name, init, modules in (("dojo_quits", "import sys\nsys.exit('bye')\n", {}),
                                ("dojo_half", 'ORDER = ["good", "quits"]\n',
                                 {"good": good_lesson("half-good"), "quits": "import sys\nsys.exit(1)\n"})):
        package = site / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(init)
        for module, source in modules.items():
            (package / f"{module}.py").write_text(source)
        info = site / f"{name}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[tensordojo.lessons]\n{name} = {name}\n")
    monkeypatch.syspath_prepend(str(site))
    course = load_course(CourseSpec())
    assert isinstance(course.get("half-good"), Lesson) and "tensors" in course.ids
    quits = course.get("quits")
    assert isinstance(quits, BrokenLesson) and quits.where.line == 2 and "sys.exit(1)" in quits.error
    assert any("'dojo_quits'" in p.message and "sys.exit('bye')" in p.message for p in course.problems)


def test_the_lessons_command_lists_a_pack_whose_module_exits_instead_of_exiting(tmp_path, capsys):
    from tui.cli import main

    folder = folder_pack(tmp_path, "pack", "still-here")
    (folder / "quits.py").write_text("import sys\nsys.exit(0)\n")
    code = main(["--lessons", str(folder), "lessons", "--json"])
    ids = [row["id"] for row in json.loads(capsys.readouterr().out)]
    assert code == 0 and "still-here" in ids and "tensors" in ids


def test_other_commands_say_on_stderr_which_pack_modules_were_left_out_and_why(tmp_path, capsys):
    """exercises (like every command but lessons and lint, which list them themselves) used to leave a
    broken module out without a word."""
    from tui.cli import main

    folder = folder_pack(tmp_path, "pack", "still-here")
    (folder / "quits.py").write_text("import sys\nsys.exit(0)\n")
    code = main(["--lessons", str(folder), "exercises"])
    out, err = capsys.readouterr()
    assert code == 0 and "passed" in out
    assert f"left out: {folder / 'quits.py'}:2:" in err and "sys.exit(0)" in err
    assert main(["--lessons", str(folder), "lessons", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "sys.exit(0)" in out  # listed in the table itself, not said twice


def test_when_no_child_process_can_start_the_pack_still_loads(tmp_path, monkeypatch):
    from tui.core.course import import_guard

    def refuse(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(import_guard.subprocess, "Popen", refuse)
    folder = folder_pack(tmp_path, "pack", "loads-anyway")
    assert isinstance(load_course(CourseSpec(folders=(str(folder),), entry_points=False)).get("loads-anyway"), Lesson)
