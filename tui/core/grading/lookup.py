"""Finding exercises by their full id, ``LESSON.STEP`` (``reductions.row-means``)."""

from __future__ import annotations

import difflib

from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.course.loader import Catalogue


def exercises(catalogue: Catalogue) -> list[tuple[Lesson, Exercise]]:
    """Every exercise of the lessons that loaded, in course order."""
    return [(lesson, step) for lesson in catalogue.lessons for step in lesson.steps if isinstance(step, Exercise)]


def full_id(lesson: Lesson, exercise: Exercise) -> str:
    """The id ``tensordojo check`` takes."""
    return f"{lesson.id}.{exercise.id}"


def find_exercise(catalogue: Catalogue, wanted: str) -> tuple[Lesson, Exercise]:
    """The exercise with this full id; LookupError names the closest ids when there is none."""
    known = {full_id(lesson, step): (lesson, step) for lesson, step in exercises(catalogue)}
    if wanted in known:
        return known[wanted]
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.5)
    if close:
        raise LookupError(f"unknown exercise '{wanted}'; did you mean {' or '.join(close)}?")
    raise LookupError(f"unknown exercise '{wanted}'; 'tensordojo exercises' lists them all")
