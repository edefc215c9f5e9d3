"""The lesson model: an ordered list of steps with a title, a summary and a duration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.core.course.source import Problem, SourceLocation, caller_location
from tui.core.steps import Step

_LESSON_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def lesson_id_problem(lesson_id: str) -> str:
    """Why a lesson id is not allowed, or ``""`` when it is."""
    if _LESSON_ID.match(lesson_id or ""):
        return ""
    return f"lesson id {lesson_id!r} must be lower-case words joined by '-'"


@dataclass(kw_only=True)
class Lesson:
    """One lesson, declared in a module as ``LESSON = Lesson(...)``.

    Attributes:
        id: a short, unique, lower-case id with dashes, used on the command line.
        title: the lesson's name, shown in the browser.
        summary: one line saying what the learner will be able to do.
        minutes: about how long the lesson takes.
        steps: the steps, in order.
    """

    id: str
    title: str
    summary: str
    minutes: int
    steps: list[Step]
    where: SourceLocation = field(default_factory=caller_location, repr=False, compare=False)
    pack: str = field(default="", repr=False, compare=False)
    """Which lesson pack it came from; set by the loader, not by the author."""

    def problems(self) -> list[Problem]:
        """Everything wrong with this lesson and its steps, in file order."""
        found = [Problem(self.where, m) for m in self._own_problems()]
        seen: dict[str, Step] = {}
        for step in self.steps:
            if not isinstance(step, Step):
                found.append(Problem(self.where, f"steps= holds {step!r}, which is not a step"))
                continue
            found += step.problems
            if step.id in seen:
                found.append(Problem(step.where, f"step id {step.id!r} is used twice; give one an id="))
            seen[step.id] = step
        return found

    def _own_problems(self) -> list[str]:
        problems = []
        if lesson_id_problem(self.id):
            problems.append(lesson_id_problem(self.id))
        if not self.title.strip():
            problems.append("the lesson has no title=")
        if not self.summary.strip():
            problems.append("the lesson has no summary=")
        elif "\n" in self.summary.strip():
            problems.append("summary= must be one line")
        if not isinstance(self.minutes, int) or self.minutes <= 0:
            problems.append("minutes= must be a positive whole number")
        if not self.steps:
            problems.append("the lesson has no steps")
        return problems

    def step_index(self, step_id: str | None) -> int:
        """The position of the step with this id, or 0 when there is none (a removed step)."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        return 0

    def answerable_ids(self) -> list[str]:
        """Ids of the steps the learner must answer to finish the lesson."""
        return [s.id for s in self.steps if s.needs_answer]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary of the lesson."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "minutes": self.minutes,
            "steps": len(self.steps),
            "pack": self.pack,
        }


@dataclass(frozen=True)
class BrokenLesson:
    """A lesson module that could not be loaded, kept so the browser can show why.

    Attributes:
        id: the lesson id if it is known, else the module name.
        where: the file and line where loading failed.
        error: what went wrong, in one line.
    """

    id: str
    where: SourceLocation
    error: str
    title: str = ""
    pack: str = ""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary, with the error."""
        return {"id": self.id, "title": self.title or self.id, "broken": True, "error": f"{self.where}: {self.error}",
                "pack": self.pack}
