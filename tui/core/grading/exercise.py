"""The graded exercise step: a task, starter code, hidden tests, hints and a reference solution.

Its full id is ``LESSON.STEP`` (``reductions.row-means``), used by ``tensordojo check``.
The tests run in the grading process, never in the app; see :mod:`tui.core.grading.cases`
for how to write them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tui.core.grading.cases import Test, title_of
from tui.core.steps import Step, dedent_block


def top_level_names(source: str) -> set[str]:
    """Names a module's source defines at its top level (functions, classes, assignments, imports)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


@dataclass(kw_only=True)
class Exercise(Step):
    """A graded exercise.

    Attributes:
        prompt: the task, in Markdown: what to write and the contract of each name.
        names: the functions or classes the learner's file must define.
        starter: the code the editor starts with; it must define the names and fail the tests.
        reference: a solution that passes every test; shown after a pass or a give-up.
        tests: the hidden tests (callables ``test(sub, ref)``).
        hints: shown one more per failed attempt, from a nudge to nearly the answer.
        timeout: seconds the whole grading may take.
    """

    kind: ClassVar[str] = "exercise"
    needs_answer: ClassVar[bool] = True
    prompt: str = ""
    names: list[str] = field(default_factory=list)
    starter: str = ""
    reference: str = ""
    tests: list[Test] = field(default_factory=list, repr=False)
    hints: list[str] = field(default_factory=list)
    timeout: float = 10.0

    def __post_init__(self) -> None:
        self.prompt = dedent_block(self.prompt)
        self.starter = dedent_block(self.starter) + "\n"
        self.reference = dedent_block(self.reference) + "\n"
        super().__post_init__()

    def check_declaration(self) -> list[str]:
        problems = [] if self.prompt.strip() else ["an exercise has no prompt="]
        if not self.names or not all(isinstance(n, str) and n.isidentifier() for n in self.names):
            problems.append("an exercise needs names=, the functions or classes the learner defines")
        for label, code in (("starter", self.starter), ("reference", self.reference)):
            try:
                missing = [n for n in self.names if n not in top_level_names(code)]
            except SyntaxError as error:
                problems.append(f"{label}= has a syntax error at line {error.lineno}: {error.msg}")
                continue
            if missing:
                problems.append(f"{label}= does not define {', '.join(missing)}")
        if not self.tests or not all(callable(t) for t in self.tests):
            problems.append("an exercise needs tests=, a list of hidden test functions")
        if not self.hints:
            problems.append("an exercise needs hints= for learners who are stuck")
        if not (isinstance(self.timeout, (int, float)) and self.timeout > 0):
            problems.append("timeout= must be a positive number of seconds")
        return problems

    def hints_after(self, failures: int) -> list[str]:
        """The hints to show after this many failed attempts: one more each time."""
        return self.hints[: max(0, min(failures, len(self.hints)))]

    @property
    def title_ofs(self) -> list[str]:
        """The names of the hidden tests, in order."""
        return [title_of(t) for t in self.tests]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "names": list(self.names), "tests": self.title_ofs}
