"""The part of ``tensordojo lint`` that runs code: every exercise's starter must fail and its
reference pass, and every try step must run (and meet its own expectation).

It runs through the same grading process as the app, so what lint accepts is what a learner
meets.
"""

from __future__ import annotations

from typing import Callable

from tui.core.grading.client import Grader
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.course.loader import Catalogue
from tui.core.course.source import Problem
from tui.core.steps import Try

Progress = Callable[[str], None]


def exercise_problems(grader: Grader, lesson: Lesson, exercise: Exercise) -> list[Problem]:
    """Problems with one exercise's starter and reference as the grader sees them."""
    problems = []
    starter = grader.grade(lesson.id, exercise.id, exercise.starter, exercise.timeout)
    if starter.passed:
        problems.append(Problem(exercise.where, f"exercise {exercise.id!r}: the starter passes every hidden test; "
                                                "the tests cannot tell an untouched starter from a solution"))
    elif starter.status != "failed":
        problems.append(Problem(exercise.where, f"exercise {exercise.id!r}: the starter should run and fail the tests, "
                                                f"but: {starter.summary()}"))
    reference = grader.grade(lesson.id, exercise.id, exercise.reference, exercise.timeout)
    if not reference.passed:
        failing = "; ".join(f"{r.name}: {r.message}" for r in reference.results if not r.passed)
        problems.append(Problem(exercise.where, f"exercise {exercise.id!r}: the reference fails: "
                                                f"{failing or reference.summary()}"))
    return problems


def try_problems(grader: Grader, step: Try) -> list[Problem]:
    """Problems with a try step: its code (or its solution=, for a task) raises or misses ``expect``.

    Every try step must run on its own in a fresh kernel: learners restart kernels.
    """
    label = "solution=" if step.solution else "code"
    report = grader.run_try(step.solution or step.code, step.check)
    if report.status != "passed":
        return [Problem(step.where, f"try step {step.id!r}: its {label} fails: {report.message}")]
    verdict = step.judge("ok", report.value)
    if not verdict.correct:
        fix = "" if step.solution else " (if the code is a task to edit, give the step a solution=)"
        return [Problem(step.where, f"try step {step.id!r}: with its {label}, {verdict.feedback}{fix}")]
    return []


def run_problems(catalogue: Catalogue, grader: Grader, progress: Progress | None = None) -> list[Problem]:
    """Run every exercise and try step of the catalogue; ``progress`` hears each step's name."""
    problems = []
    for lesson in catalogue.lessons:
        for step in lesson.steps:
            if isinstance(step, Exercise):
                if progress:
                    progress(f"{lesson.id}.{step.id}")
                problems += exercise_problems(grader, lesson, step)
            elif isinstance(step, Try):
                problems += try_problems(grader, step)
    return problems
