"""Packs in the app: grouped in the browser, graded with the pack's own tests, reloaded on save with --watch."""

from __future__ import annotations

import os

from textual.widgets import OptionList, TextArea

from tests.app.repl_helpers import wait_until
from tui.app import make_app
from tui.core.course.packs import CourseSpec
from tui.core.course.scaffold import write_lesson
from tui.screens.lesson import LessonScreen
from tui.widgets.steps.exercise import ExerciseView


def spec_with_scaffold(tmp_path) -> tuple[CourseSpec, object]:
    target = write_lesson("my-lesson", tmp_path / "workshop")
    return CourseSpec(folders=(str(tmp_path / "workshop"),), entry_points=False), target


async def test_the_browser_groups_lessons_by_pack(tmp_path):
    spec, _ = spec_with_scaffold(tmp_path)
    app = make_app(start_kernel=False, course=spec)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        headings = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
                    if options.get_option_at_index(i).disabled]
        assert headings == [" The tensordojo course ", " Pack: workshop "]
        assert options.get_option_at_index(options.highlighted).id == "tensors"


async def test_a_pack_exercise_is_graded_by_its_own_hidden_tests(tmp_path):
    spec, _ = spec_with_scaffold(tmp_path)
    app = make_app(start_kernel=False, course=spec, start_lesson="my-lesson")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await screen.show_step(screen.lesson.step_index("clip-negatives"))
        await pilot.pause()
        view = screen.query_one(ExerciseView)
        view.query_one(TextArea).text = "import torch\ndef clip_negatives(x):\n    return torch.relu(x)\n"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: "clip-negatives" in app.store.solved_steps("my-lesson"),
                         what="the pack's exercise to pass")


async def test_watch_reloads_the_open_lesson_at_the_same_step(tmp_path):
    spec, target = spec_with_scaffold(tmp_path)
    app = make_app(start_kernel=False, course=spec, start_lesson="my-lesson", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await screen.show_step(screen.lesson.step_index("code-to-run"))
        await pilot.pause()
        before = len(screen.lesson.steps)
        text = target.read_text().replace('title="A first page"', "")
        text = text.replace('prompt="Make `z` a 2 x 4', 'prompt="Now make `z` a 2 x 4')
        text = text.replace("        Choice(", "        Prose(\"\"\"\n            # Inserted\n\n            A new page.\n        \"\"\"),\n        Choice(", 1)
        target.write_text(text)
        stat = target.stat()
        os.utime(target, (stat.st_atime, stat.st_mtime + 5))
        await wait_until(pilot, lambda: len(screen.lesson.steps) == before + 1, what="the reload")
        await pilot.pause()
        assert screen.lesson.steps[screen.index].id == "code-to-run"  # the same step, one page further on
        where = screen.index
        assert "Now make" in screen.lesson.steps[screen.index].prompt
        target.write_text(text + "\nthis is not python\n")
        os.utime(target, (stat.st_atime, stat.st_mtime + 10))
        notice = await wait_until(pilot, lambda: next((n for n in app._notifications if "Not reloaded" in n.message), None),
                                  what="the notice that the broken save was not loaded")
        assert "Fix it and save again" in notice.message and notice.severity == "error"
        assert len(screen.lesson.steps) == before + 1 and screen.index == where  # a broken save keeps what was shown


async def test_a_pack_module_that_exits_or_loops_at_import_is_listed_as_broken_and_the_app_runs(tmp_path, monkeypatch):
    from tui.core.course import import_guard
    from tui.core.lesson import BrokenLesson

    monkeypatch.setattr(import_guard, "IMPORT_LIMIT", 1.0)
    spec, _ = spec_with_scaffold(tmp_path)
    (tmp_path / "workshop" / "quits.py").write_text("import sys\nsys.exit()\n")
    (tmp_path / "workshop" / "spins.py").write_text("while True:\n    pass\n")
    app = make_app(start_kernel=False, course=spec)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        listed = {options.get_option_at_index(i).id for i in range(options.option_count)}
        assert {"my-lesson", "quits", "spins", "tensors"} <= listed
        assert isinstance(app.catalogue.get("quits"), BrokenLesson) and app.catalogue.get("quits").where.line == 2
        assert "did not finish" in app.catalogue.get("spins").error
