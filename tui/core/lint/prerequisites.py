"""Lint: an exercise or a try step never needs a call the course has not shown yet.

The registry of what each lesson introduces is read from the lessons themselves: every torch,
``nn``, ``F`` and NumPy function, and every method, that a prose step shows, in a code block or
in inline code (``torch.stack``, ``x.unsqueeze(1)``, ``.item()``). What a reference solution or a
try step calls must be in the registry of its lesson or an earlier one. Two pieces of syntax
count as calls too: indexing with ``None`` and assigning to an element (``t[i, j] = v``).
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.course.source import Problem
from tui.core.steps import Prose, Try

INDEX_WITH_NONE = "indexing with None"
ELEMENT_ASSIGNMENT = "assigning to an element (t[i] = v)"
_ROOTS = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "np": "numpy", "numpy": "numpy"}
_LIBRARIES = ("torch", "numpy")
_SHORT = (("torch.nn.functional.", "F."), ("torch.nn.", "nn."), ("numpy.", "np."))
_PLAIN_METHODS = {name for kind in (list, dict, str, set, tuple, int, float) for name in dir(kind)} | {
    "__init__", "format", "join", "append"}
_INLINE = re.compile(r"`([^`\n]+)`")


def _short(path: str) -> str:
    for long, short in _SHORT:
        if path.startswith(long):
            return short + path[len(long):]
    return path


def _dotted(node: ast.AST) -> list[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return []


@dataclass
class _Calls(ast.NodeVisitor):
    """Collects the calls a piece of code makes, by the names a learner would look up."""

    loose: bool = False
    """Inline prose code: a bare ``unsqueeze(1)`` names the method."""
    aliases: dict[str, str] = field(default_factory=lambda: dict(_ROOTS))
    defined: set[str] = field(default_factory=set)
    found: set[str] = field(default_factory=set)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in _LIBRARIES:
                self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if (node.module or "").split(".")[0] in _LIBRARIES:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.defined.add(node.name)
        self.defined.update(a.arg for a in node.args.args)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.defined.add(node.name)
        self.generic_visit(node)

    def _reference(self, node: ast.AST, called: bool) -> None:
        parts = _dotted(node)
        if parts and parts[0] in self.aliases and parts[0] not in self.defined:
            self.found.add(_short(".".join([self.aliases[parts[0]], *parts[1:]])))
        elif called and isinstance(node, ast.Attribute) and parts[:1] != ["self"]:
            if node.attr not in _PLAIN_METHODS and not node.attr.startswith("__"):
                self.found.add("." + node.attr)
        elif called and self.loose and isinstance(node, ast.Name) and not hasattr(builtins, node.id):
            self.found.add("." + node.id)

    def visit_Call(self, node: ast.Call) -> None:
        self._reference(node.func, called=True)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.loose:
            self._reference(node, called=False)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if any(isinstance(i, ast.Constant) and i.value is None for i in index):
            self.found.add(INDEX_WITH_NONE)
        if isinstance(node.ctx, ast.Store):
            self.found.add(ELEMENT_ASSIGNMENT)
        self.generic_visit(node)


def calls_in(code: str, loose: bool = False) -> set[str]:
    """The torch/NumPy functions and methods ``code`` calls (``loose``: it is inline prose code)."""
    if loose and code.startswith("."):
        code = "x" + code
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    visitor = _Calls(loose=loose)
    visitor.visit(tree)
    return visitor.found


def introduced_by(lesson: Lesson) -> set[str]:
    """What the lesson's prose steps show, in code blocks and inline code."""
    shown: set[str] = set()
    for step in lesson.steps:
        if isinstance(step, Prose):
            for block in step.code:
                shown |= calls_in(block)
            for span in _INLINE.findall(step.markdown):
                shown |= calls_in(span.strip(), loose=True)
    return shown


def course_problems(lessons: list[Lesson]) -> list[Problem]:
    """:func:`prerequisite_problems` for lessons that may be part of the built-in course.

    Linting built-in lessons on their own (``tensordojo lint lessons/gpu.py lessons/data.py``)
    counts the course's lessons before each, in the course's order; a pack's lessons stand alone.
    """
    from tui.core.course.loader import load_package

    course = load_package().lessons
    ids = [lesson.id for lesson in course]
    files = {lesson.where.file for lesson in course}
    own = [lesson for lesson in lessons if lesson.where.file in files and lesson.id in ids]
    if not own or len(own) != len(lessons):
        return prerequisite_problems(lessons)
    own.sort(key=lambda lesson: ids.index(lesson.id))
    known: set[str] = set()
    problems, done = [], 0
    for lesson in own:
        at = ids.index(lesson.id)
        for earlier in course[done:at]:
            known |= introduced_by(earlier)
        problems += prerequisite_problems([lesson], known)
        known |= introduced_by(lesson)
        done = at + 1
    return problems


def prerequisite_problems(lessons: list[Lesson], known: set[str] | None = None) -> list[Problem]:
    """Exercises and try steps that call what no prose step up to their lesson has shown.

    ``lessons`` must be in teaching order; ``known`` is what was shown before the first of them.
    """
    shown: set[str] = set(known or ())
    problems = []
    for lesson in lessons:
        shown |= introduced_by(lesson)
        for step in lesson.steps:
            if isinstance(step, Exercise):
                what, code = f"exercise {step.id!r}: its reference", step.reference
            elif isinstance(step, Try):
                what, code = f"try step {step.id!r}", step.solution or step.code
            else:
                continue
            missing = sorted(calls_in(code) - shown)
            if missing:
                problems.append(Problem(step.where, f"{what} uses {', '.join(missing)}, which no prose step of this "
                                                    "or an earlier lesson shows; teach it first, or use what was taught"))
    return problems
