"""``lint``: every problem with file and line, teaching problems included."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import good_lesson
from tui.core.lint import lint_catalogue
from tui.core.course.loader import load_package, load_paths


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


def _lint_one(tmp_path: Path, source: str):
    (tmp_path / "lesson.py").write_text(source)
    return lint_catalogue(load_paths([tmp_path]))


def test_a_placeholder_that_gives_the_answer_away_is_reported(tmp_path: Path):
    report = _lint_one(tmp_path, good_lesson("giveaway").replace('placeholder="(2, 7)",', 'placeholder="(3,4)",'))
    assert [p.message for p in report.problems] == [
        "question 'type-a-shape': its placeholder '(3,4)' is the answer; give the step a placeholder= in the same form"]
    trap = _lint_one(tmp_path, good_lesson("trap").replace('placeholder="(2, 7)",', 'placeholder="(4, 3)",'))
    assert "is a listed wrong answer" in trap.problems[0].message
    # Without placeholder= the input shows the form's example, "(3, 4)": the answer itself.
    default = _lint_one(tmp_path, good_lesson("default").replace('placeholder="(2, 7)",', ""))
    assert "its placeholder '(3, 4)' is the answer" in default.problems[0].message


def test_a_lesson_module_that_imports_torch_when_it_loads_is_reported(tmp_path: Path):
    source = "import numpy as np\n" + good_lesson("heavy").replace(
        "from tui.core.lesson import Lesson", "from tui.core.lesson import Lesson\nif True:\n    import torch.nn\n")
    source += "\n\ndef later():\n    import torch\n"
    report = _lint_one(tmp_path, source)
    found = sorted((p.where.line, p.message.split(" imports ")[1].split(" ")[0]) for p in report.problems)
    assert found == [(1, "numpy"), (5, "torch.nn")]


def test_a_huge_prose_step_is_refused_with_its_size(tmp_path: Path):
    from tui.core.steps import PROSE_LIMIT

    words = "word " * (PROSE_LIMIT // 5 + 10)
    report = _lint_one(tmp_path, good_lesson("huge").replace("Some `code`.", words))
    messages = [p.message for p in report.problems]
    assert len(messages) == 1 and f"{len('# First page') + 1 + len(words):,} characters is refused" in messages[0]


def test_steps_that_do_not_fit_an_80x24_panel_are_reported_with_their_size(tmp_path: Path):
    from tui.core.lint.layout import CODE_COLUMNS, PANEL_ROWS, lesson_columns

    wide = "x = 1  # " + "w" * CODE_COLUMNS
    tall = "\\n\\n".join(f"Paragraph {n}." for n in range(PANEL_ROWS))
    source = good_lesson("cramped").replace(
        'Prose("# Last page\\nDone."),', f'Prose("# Wide\\n\\n```python\\n{wide}\\n```"), Prose("# Last page\\n\\n{tall}"),')
    report = _lint_one(tmp_path, source)
    notes = [str(n) for n in report.notes]
    # Short titles leave the page a little more than the usual 50 columns: lint measures what is left.
    (lesson,) = load_paths([tmp_path]).lessons
    shown = lesson_columns(lesson) - 2
    assert shown >= CODE_COLUMNS
    assert len(notes) == 1 and f"a code line {len(wide)} characters wide; an 80x24 panel shows {shown}" in notes[0]
    # A step taller than the panel fails lint; a wide code line is only noted (the app wraps it).
    assert [p.message for p in report.problems] == [
        f"prose step 'last-page' is about {5 + 2 * PANEL_ROWS - 1} rows tall; an 80x24 lesson panel shows {PANEL_ROWS}: "
        "split it into two steps or cut it"]
    assert report.summary().endswith("; 1 layout note")


def test_a_long_word_in_a_step_title_narrows_every_page_and_lint_measures_at_that_width(tmp_path: Path):
    """The screen widens the step list for a title's longest word; lint must measure the pages that are
    left, not the usual 50 columns (a walk found steps lint passed wrapping at 80x24)."""
    from tui.core.course.panel import page_columns, step_list_width
    from tui.core.lint.layout import CODE_COLUMNS

    long_word = "torch.nn.functional.scaled_dot_product_attention"
    titles = ["First page", f"About {long_word}"]
    assert step_list_width(80, titles) == len(long_word) + 11
    columns = page_columns(titles)
    assert columns < CODE_COLUMNS
    fits_usually = "y = " + "1 + " * ((CODE_COLUMNS - 5) // 4) + "1"
    assert columns - 2 < len(fits_usually) <= CODE_COLUMNS
    block = f'Prose("# Code\\n\\n```python\\n{fits_usually}\\n```"), Prose("# Last page\\nDone."),'
    plain = good_lesson("plain").replace('Prose("# Last page\\nDone."),', block)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    assert _lint_one(tmp_path / "a", plain).notes == []
    narrowed = plain.replace('title="Pick one"', f'title="About {long_word}"').replace('id="plain"', 'id="narrowed"')
    notes = [str(n) for n in _lint_one(tmp_path / "b", narrowed).notes]
    assert len(notes) == 1 and f"an 80x24 panel shows {columns - 2}:" in notes[0]


def test_the_lesson_screen_and_lint_size_the_step_list_with_one_function():
    from tui.core.course import panel
    from tui.widgets import step_list

    assert step_list.step_list_width is panel.step_list_width  # the lesson screen's step list sizes itself


def test_the_height_estimate_counts_headings_paragraphs_code_and_lists():
    from tui.core.lint.layout import estimated_rows

    assert estimated_rows("# Title") == 5
    assert estimated_rows("# Title\n\none line") == 6
    assert estimated_rows("a\n\n```python\nx = 1\ny = 2\n```") == 1 + 1 + 2 + 2
    assert estimated_rows("- " + "word " * 20, width=40) == 3


PROSE_LESSON = '''
from tui.core.lesson import Lesson
from tui.core.steps import Prose

LESSON = Lesson(id="blocks", title="Blocks", summary="Prose code for tests.", minutes=1, steps=[
    Prose("""
        # One

        ```python
        m = torch.zeros(2, 3)
        m.shape          # torch.Size([2, 3])
        m.dtype          # torch.int64: wrong
        ```

        ```python
        m.view(4)
        # Error: RuntimeError
        ```
    """),
    Prose("""
        # Two

        ```python
        later = m.sum() + undefined
        ```

        ```python
        m + 1
        # Error: ValueError
        ```

        ```python
        m.view(5)
        m = None
        # Error: RuntimeError
        ```
    """),
])
'''


def test_prose_code_runs_in_order_and_each_failure_is_reported_where_it_is(tmp_path: Path):
    from tui.core.lint.prose import prose_run_problems

    (tmp_path / "blocks.py").write_text(PROSE_LESSON)
    problems = prose_run_problems(load_paths([tmp_path]).lessons)
    lines = PROSE_LESSON.splitlines()
    found = {lines[p.where.line - 1].strip(): p.message.split(", ", 2)[-1] for p in problems}
    assert found == {
        "m.dtype          # torch.int64: wrong": "says torch.int64 but the code gives torch.float32",
        "later = m.sum() + undefined": "raised NameError: name 'undefined' is not defined",
        "m + 1": "is marked to fail with ValueError, but it ran without error",
        "m.view(5)": "raised RuntimeError before its last statement (marked RuntimeError): "
                     "shape '[5]' is invalid for input of size 6",
    }
    assert all(p.where.file == str(tmp_path / "blocks.py") for p in problems)


def test_the_shipped_prose_code_runs():
    from tui.core.lint.prose import prose_blocks, run_prose

    lessons = load_package().lessons
    assert sum(len(prose_blocks(lesson)) for lesson in lessons) > 40
    run = run_prose(lessons)
    assert run.problems == []
    # The numbers the sentences state about the code are checked too (tests/unit/test_lint_claims.py).
    assert run.claims_checked >= 5


def test_an_exercise_that_needs_what_no_prose_step_showed_is_reported(tmp_path: Path):
    from tui.core.lint.prerequisites import ELEMENT_ASSIGNMENT, INDEX_WITH_NONE, calls_in

    assert calls_in("import torch.nn as nn\nfrom torch import stack as s\ns([nn.Linear(2, 3)(x).relu()])") == {
        "torch.stack", "nn.Linear", ".relu"}
    assert calls_in("t[0, 1] = v[:, None].sum()") == {ELEMENT_ASSIGNMENT, INDEX_WITH_NONE, ".sum"}
    assert calls_in("unsqueeze(1)", loose=True) == {".unsqueeze"} and calls_in("len(x)", loose=True) == set()
    first = '''
from tui.core.grading.exercise import Exercise
from tui.core.grading.cases import agrees
from tui.core.lesson import Lesson
from tui.core.steps import Prose, Try

LESSON = Lesson(id="{id}", title="{id}", summary="One.", minutes=1, steps=[
    Prose("""
        # Shown
        `torch.zeros(2)` and `x.unsqueeze(0)`, and:

        ```python
        torch.arange(3).sum()
        ```
    """),
    Try(code="torch.ones(2).unsqueeze(0).mean()"),
    Exercise(id="ex", title="Ex", prompt="Write f.", names=["f"], starter="def f(n):\\n    ...\\n",
             reference="import torch\\ndef f(n):\\n    return torch.stack([torch.zeros(n)]).sum()\\n",
             tests=[agrees("f", lambda: [(2,)])], hints=["h"]),
])
'''
    (tmp_path / "first.py").write_text(first.replace("{id}", "first"))
    (tmp_path / "second.py").write_text(first.replace("{id}", "second").replace("`torch.zeros(2)`", "`torch.stack`"))
    (tmp_path / "__init__.py").write_text("ORDER = ['first', 'second']\n")
    found = [(p.where.file.rsplit("/", 1)[-1], p.message.split(" uses ")[1].split(", which")[0])
             for p in lint_catalogue(load_paths([tmp_path])).problems]
    # The second lesson's exercise may use torch.stack: it shows it; the first lesson's may not yet.
    assert found == [("first.py", ".mean, torch.ones"), ("first.py", "torch.stack"), ("second.py", ".mean, torch.ones")]


def test_code_that_the_editors_wrap_at_80x24_is_noted(tmp_path: Path):
    from tui.core.lint.layout import CODE_COLUMNS, EDITOR_COLUMNS, PANEL_COLUMNS, lesson_columns

    wide_try = "y = " + "1 + " * (CODE_COLUMNS // 4) + "1"
    source = good_lesson("editors").replace("from tui.core.steps import Choice, Prose, Typed",
                                            "from tui.core.steps import Choice, Prose, Try, Typed").replace(
        'Prose("# Last page\\nDone."),', f'Try(code="x = 1\\n{wide_try}"), Try(title="narrow", code="x = 2"),')
    notes = [n.message for n in _lint_one(tmp_path, source).notes]
    # The editor sits in the page: beside this lesson's short titles it gets a few more columns.
    (lesson,) = load_paths([tmp_path]).lessons
    shown = EDITOR_COLUMNS + lesson_columns(lesson) - PANEL_COLUMNS
    assert EDITOR_COLUMNS <= shown < len(wide_try)
    assert notes == [f"try step 'try-it': 1 code line wider than the {shown} columns its editor shows at 80x24, "
                     f"up to {len(wide_try)}: {wide_try[:40]}..."]
    assert EDITOR_COLUMNS < CODE_COLUMNS
