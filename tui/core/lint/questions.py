"""Lint: questions that give their answer away, and lesson modules that load torch.

A typed question's input shows a sample answer while it is empty (``Typed.example``). When that
sample reads as the answer, an accepted answer or a listed wrong answer, the learner is handed
the answer, or nudged towards a trap, before thinking. A lesson module that imports torch at its
top costs every start of the app more than a second: the browser loads every lesson before its
first screen, and nothing there needs torch.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tui.core.course.answers import ANSWER_FORMS, UnreadableAnswer
from tui.core.lesson import Lesson
from tui.core.course.source import Problem, SourceLocation
from tui.core.steps import Typed

_HEAVY = ("torch", "numpy")
"""Packages a lesson module must not import at its top: the app starts without them."""


def _reads_as(step: Typed, shown: str, text: str) -> bool:
    form = ANSWER_FORMS.get(step.form)
    if form is None:
        return False
    try:
        return form.equal(form.normalise(shown), form.normalise(text))
    except UnreadableAnswer:
        return False


def giveaway_problems(lesson: Lesson) -> list[Problem]:
    """Typed questions whose placeholder equals the answer, an accepted or a listed wrong answer."""
    problems = []
    for step in lesson.steps:
        if not isinstance(step, Typed):
            continue
        shown = step.example
        if any(_reads_as(step, shown, ok) for ok in [step.answer, *step.accept]):
            problems.append(Problem(step.where, f"question {step.id!r}: its placeholder {shown!r} is the answer; "
                                                "give the step a placeholder= in the same form"))
        elif any(_reads_as(step, shown, wrong) for wrong in step.wrong_answers):
            problems.append(Problem(step.where, f"question {step.id!r}: its placeholder {shown!r} is a listed "
                                                "wrong answer; give the step another placeholder="))
    return problems


def top_level_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) for each torch or numpy import run when the module loads.

    Imports inside functions and classes run later and are fine; so is anything under
    ``if TYPE_CHECKING:``.
    """
    found = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            continue
        for inner in ast.walk(node) if isinstance(node, (ast.If, ast.Try, ast.With)) else [node]:
            names = []
            if isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            elif isinstance(inner, ast.ImportFrom) and inner.module and not inner.level:
                names = [inner.module]
            found += [(inner.lineno, name) for name in names if name.split(".")[0] in _HEAVY]
    return found


def torch_at_load_problems(lesson: Lesson) -> list[Problem]:
    """A lesson module that imports torch or numpy when it is loaded."""
    path = Path(lesson.where.file)
    if not path.is_file():
        return []
    return [Problem(SourceLocation(str(path), line), f"lesson {lesson.id!r} imports {name} when it loads, which slows "
                                                     "every start of the app; import it inside the function that needs it")
            for line, name in top_level_imports(path.read_text())]
