"""The README's lesson example must stay a lesson that lints clean."""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.grading.client import Grader
from tui.core.grading.lint_runs import run_problems
from tui.core.lint import lint_catalogue
from tui.core.course.loader import load_paths

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_authoring_example_lints_clean(tmp_path):
    example = re.search(r"```python\n(from tui\.core\.grading.*?)```", README.read_text(), re.S)
    assert example, "the README lost its lesson example"
    (tmp_path / "views.py").write_text(example.group(1))
    catalogue = load_paths([tmp_path])
    report = lint_catalogue(catalogue)
    assert report.problems == [] and report.lessons == 1 and report.steps == 5 and report.exercises == 1
    grader = Grader({"paths": [str(tmp_path)]})
    try:
        assert run_problems(catalogue, grader) == []  # its starter fails, its reference passes, its try step runs
    finally:
        grader.close()


def test_the_quick_start_is_the_two_make_commands():
    quick_start = README.read_text().split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start
