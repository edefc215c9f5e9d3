"""Fair to every correct answer, strict on every rule: other styles pass, each broken rule fails by name."""

from __future__ import annotations

import pytest

from tests.grading.other_solutions import CORRECT, MISTAKES
from tui.core.grading.lookup import exercises, full_id
from tui.core.course.packs import CourseSpec, load_course

COURSE = load_course(CourseSpec.from_dict({"package": "lessons"}))
TIMEOUTS = {full_id(lesson, step): step.timeout for lesson, step in exercises(COURSE)}


def test_every_exercise_has_a_solution_in_another_style():
    from tests.grading.test_second_edition import OTHER_STYLES

    assert set(CORRECT) | set(OTHER_STYLES) >= set(TIMEOUTS)


@pytest.mark.parametrize("exercise_id", sorted(CORRECT))
def test_a_correct_solution_in_another_style_passes(grader, exercise_id):
    lesson, step = exercise_id.split(".")
    report = grader.grade(lesson, step, CORRECT[exercise_id].lstrip(), TIMEOUTS[exercise_id])
    assert report.passed, report.to_dict()


@pytest.mark.parametrize(("exercise_id", "words", "code"), MISTAKES,
                         ids=[f"{e}: {w}" for e, w, _ in MISTAKES])
def test_a_broken_rule_fails_naming_the_rule(grader, exercise_id, words, code):
    lesson, step = exercise_id.split(".")
    report = grader.grade(lesson, step, code.lstrip(), TIMEOUTS[exercise_id])
    assert report.status == "failed", report.to_dict()
    messages = " | ".join(r.message for r in report.results if not r.passed)
    assert words in messages, messages
