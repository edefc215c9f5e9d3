"""The base of every step kind: :class:`Step`, the :class:`Verdict` a question gives, step ids.

Every kind is one subclass of :class:`Step` with a unique ``kind`` name; subclasses register
themselves in ``Step.kinds``, so adding a kind means adding one class (and one view class in
``tui/widgets/steps``), never editing a switch elsewhere. A step checks its own declaration and
keeps the problems it finds in ``problems`` instead of raising, so ``tensordojo lint`` can report
all of them at once. Lesson authors import the kinds from :mod:`tui.core.steps`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import ClassVar

from tui.core.course.source import Problem, SourceLocation, caller_location


def slugify(text: str) -> str:
    """Make a stable step id from a title: ``"Shapes, again!"`` becomes ``"shapes-again"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


def dedent_block(text: str) -> str:
    """A triple-quoted block as the author meant it: common indentation and blank edge lines removed."""
    return textwrap.dedent(text).strip("\n")


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer.

    Attributes:
        correct: whether the answer is right.
        feedback: why it is right or wrong, in a sentence or two.
    """

    correct: bool
    feedback: str


@dataclass(kw_only=True)
class Step:
    """A single step of a lesson.

    Attributes:
        title: a short name shown in the step list; also the source of the default id.
        id: a stable id, used to remember the learner's place; defaults to the title's slug.
    """

    kind: ClassVar[str] = ""
    needs_answer: ClassVar[bool] = False
    """Whether the learner must answer this step for the lesson to count as done."""
    kinds: ClassVar[dict[str, type[Step]]] = {}

    title: str = ""
    id: str = ""
    where: SourceLocation = field(default_factory=caller_location, repr=False, compare=False)
    problems: list[Problem] = field(default_factory=list, init=False, repr=False, compare=False)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            if cls.kind in Step.kinds:
                raise TypeError(f"step kind {cls.kind!r} is already taken by {Step.kinds[cls.kind]}")
            Step.kinds[cls.kind] = cls

    def __post_init__(self) -> None:
        prompt = getattr(self, "prompt", None)
        if isinstance(prompt, str):
            # A triple-quoted prompt as the author meant it: indented, Markdown reads it as a code block.
            self.prompt = dedent_block(prompt)
        if not self.title:
            self.title = self.default_title()
        if not self.id:
            self.id = slugify(self.title)
        if not self.title:
            self.problem(f"a {self.kind} step needs a title=")
        for message in self.check_declaration():
            self.problem(message)

    def problem(self, message: str) -> None:
        """Record a problem with this step's declaration."""
        self.problems.append(Problem(self.where, message))

    def default_title(self) -> str:
        """The title to use when the author gave none."""
        return ""

    def check_declaration(self) -> list[str]:
        """Return what is wrong with this step as declared (empty when nothing is)."""
        return []

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary of the step."""
        return {"id": self.id, "kind": self.kind, "title": self.title}
