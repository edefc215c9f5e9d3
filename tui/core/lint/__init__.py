"""``tensordojo lint``: every problem with a set of lessons, each with file and line.

Problems that break a lesson (it fails to load, a step is declared wrong; the browser shows
these lessons as broken) and teaching problems that lint alone reports: a question that cannot
tell the learner why a wrong answer is wrong, a placeholder that gives the answer away, a lesson
module that loads torch, an exercise or try step that calls what no prose step has shown yet
(``lint_prerequisites``), a prose step taller than an 80x24 panel (``lint_layout``). Running
prose code, and checking the numbers prose sentences state about it (``prose_claims``), is
``lint_prose``'s part of the run phase. Code lines wider than the panel or its
editors are notes, which do not fail lint: the app wraps them with a marker, nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.lesson import Lesson
from tui.core.lint.layout import layout_problems, tall_steps
from tui.core.lint.prerequisites import course_problems
from tui.core.lint.questions import giveaway_problems, torch_at_load_problems
from tui.core.course.loader import Catalogue
from tui.core.course.source import Problem
from tui.core.steps import Choice, Quiz, Try


def teaching_problems(lesson: Lesson) -> list[Problem]:
    """Questions that cannot explain themselves to the learner."""
    problems = []
    for step in lesson.steps:
        if isinstance(step, Try) and step.expect:
            if not step.hint.strip():
                problems.append(Problem(step.where, f"try step {step.id!r} needs a hint= for runs that miss {step.expect}"))
            continue
        if not isinstance(step, Quiz):
            continue
        if not step.explain.strip():
            problems.append(Problem(step.where, f"question {step.id!r} has no explain= saying why the answer is right"))
        unexplained = isinstance(step, Choice) and any(o not in step.why for o in step.options if o != step.answer)
        if not step.hint.strip() and (unexplained or not isinstance(step, Choice)):
            problems.append(Problem(step.where, f"question {step.id!r} needs a hint= for wrong answers it does not explain"))
    return problems


@dataclass
class LintReport:
    """What lint found, and how much it looked at."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Findings that do not fail lint: code lines the 80x24 panel or its editors wrap."""
    lessons: int = 0
    steps: int = 0
    exercises: int = 0
    ran: bool = False
    """Whether exercises and try steps were run (not with ``--quick``)."""
    claims_checked: int = 0
    """Numbers stated in prose sentences that were checked against the code (not with ``--quick``)."""

    def summary(self) -> str:
        """One line: the verdict and the counts."""
        looked = ", ".join(f"{count} {noun}{'s' * (count != 1)}" for count, noun in
                           ((self.lessons, "lesson"), (self.steps, "step"), (self.exercises, "exercise")))
        checked = self.claims_checked
        facts = f", {checked} fact{'s' * (checked != 1)} in prose checked" if checked else ""
        looked += f" (exercises and try steps run{facts})" if self.ran else ""
        noted = f"; {len(self.notes)} layout note{'s' * (len(self.notes) != 1)}" if self.notes else ""
        if self.problems:
            return f"{len(self.problems)} problem{'s' * (len(self.problems) != 1)} in {looked}{noted}"
        return f"ok: {looked}, no problems{noted}"


def lint_catalogue(catalogue: Catalogue) -> LintReport:
    """Check every lesson of a catalogue."""
    report = LintReport(problems=list(catalogue.problems), lessons=len(catalogue.entries))
    for lesson in catalogue.lessons:
        report.steps += len(lesson.steps)
        report.exercises += sum(step.kind == "exercise" for step in lesson.steps)
        report.problems += teaching_problems(lesson) + giveaway_problems(lesson) + torch_at_load_problems(lesson)
        report.problems += tall_steps(lesson)
        report.notes += layout_problems(lesson)
    report.problems += course_problems(catalogue.lessons)
    return report
