"""``lint``: every problem with file and line, teaching problems included."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import good_lesson
from tui.core.lint import lint_catalogue
from tui.core.loader import load_package, load_paths


def test_the_shipped_lessons_lint_clean():
    report = lint_catalogue(load_package())
    assert report.problems == []
    assert report.lessons >= 2 and report.steps > 20
    assert report.summary().startswith("ok: ")


def test_questions_that_cannot_explain_themselves_are_reported(tmp_path: Path):
    source = good_lesson("quiet").replace('explain="Because it is the right one.",', "").replace('hint="Rows, then columns.",', "")
    (tmp_path / "quiet.py").write_text(source)
    report = lint_catalogue(load_paths([tmp_path]))
    messages = [str(p) for p in report.problems]
    assert any("'pick-one' has no explain=" in m for m in messages)
    assert any("'type-a-shape' needs a hint=" in m for m in messages)
    assert all(m.startswith(f"{tmp_path / 'quiet.py'}:") for m in messages)
    assert report.summary() == "2 problems in 1 lesson, 4 steps, 0 exercises"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path):
    source = good_lesson("many").replace('answer="right",', 'answer="nope",').replace('form="shape",', 'form="colour",')
    (tmp_path / "many.py").write_text(source)
    (tmp_path / "broken.py").write_text("raise ValueError('oops')\n")
    report = lint_catalogue(load_paths([tmp_path]))
    text = "\n".join(map(str, report.problems))
    assert "answer='nope'" in text and "form='colour'" in text and "ValueError: oops" in text
