"""The question step kinds: :class:`Choice` (pick one option) and :class:`Typed` (type a short answer).

Both share :class:`Quiz`: a prompt, an explanation shown for the right answer, and a hint for
wrong answers the step cannot explain one by one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from tui.core.course.answers import ANSWER_FORMS, UnreadableAnswer
from tui.core.course.step_base import Step, Verdict


@dataclass(kw_only=True)
class Quiz(Step, ABC):
    """Shared parts of the question kinds: a prompt, an explanation of the answer, a hint.

    Attributes:
        prompt: the question, in Markdown.
        explain: why the right answer is right; shown when the learner gets it.
        hint: shown after a wrong answer that has no more specific feedback.
    """

    needs_answer: ClassVar[bool] = True
    prompt: str = ""
    explain: str = ""
    hint: str = ""

    def default_title(self) -> str:
        first = self.prompt.strip().splitlines()[0] if self.prompt.strip() else ""
        return first[:40].rstrip(" ?:") if first else ""

    def check_declaration(self) -> list[str]:
        problems = [] if self.prompt.strip() else [f"a {self.kind} step has no prompt="]
        return problems + self.check_answer_declaration()

    def check_answer_declaration(self) -> list[str]:
        """Return what is wrong with the declared answer."""
        return []

    @abstractmethod
    def check(self, answer: str) -> Verdict:
        """Judge the learner's answer and say why."""

    def right(self) -> Verdict:
        """The verdict for a right answer."""
        return Verdict(True, self.explain or "That's right.")

    def wrong(self, why: str = "") -> Verdict:
        """The verdict for a wrong answer, with the most specific reason known."""
        return Verdict(False, why or self.hint or "Not quite; read the step again and retry.")


@dataclass(kw_only=True)
class Choice(Quiz):
    """A multiple-choice question.

    Attributes:
        options: the choices, in the order shown.
        answer: the right choice, as its text.
        why: for wrong choices, why they are wrong (keyed by option text).
    """

    kind: ClassVar[str] = "choice"
    options: list[str] = field(default_factory=list)
    answer: str = ""
    why: dict[str, str] = field(default_factory=dict)

    def check_answer_declaration(self) -> list[str]:
        problems = []
        if len(self.options) < 2:
            problems.append("a choice step needs at least two options=")
        if len(set(self.options)) != len(self.options):
            problems.append("a choice step lists the same option twice")
        if self.answer not in self.options:
            problems.append(f"answer={self.answer!r} is not one of the options")
        problems += [f"why= names {k!r}, which is not an option" for k in self.why if k not in self.options]
        return problems

    def check(self, answer: str) -> Verdict:
        choice = answer.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(self.options):
            choice = self.options[int(choice) - 1]
        if choice == self.answer:
            return self.right()
        if choice not in self.options:
            return Verdict(False, f"'{answer}' is not one of the choices; pick 1 to {len(self.options)}.")
        return self.wrong(self.why.get(choice, ""))

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "options": list(self.options)}


@dataclass(kw_only=True)
class Typed(Quiz):
    """A question answered by typing a short answer.

    Attributes:
        answer: the right answer, as the author would write it.
        form: how answers are read: ``shape``, ``dtype``, ``number``, ``text`` or ``code``.
        accept: other answers that also count (read in the same form).
        wrong_answers: feedback for likely wrong answers, keyed by the answer text.
        placeholder: the sample answer shown in the empty input; defaults to the form's
            example. Lint refuses one that equals an answer or a listed wrong answer.
    """

    kind: ClassVar[str] = "typed"
    answer: str = ""
    form: str = "text"
    accept: list[str] = field(default_factory=list)
    wrong_answers: dict[str, str] = field(default_factory=dict)
    placeholder: str = ""

    def check_answer_declaration(self) -> list[str]:
        if self.form not in ANSWER_FORMS:
            return [f"form={self.form!r} is unknown; use one of {', '.join(ANSWER_FORMS)}"]
        problems = []
        for text in [self.answer, *self.accept, *self.wrong_answers]:
            try:
                self._read(text)
            except UnreadableAnswer as err:
                problems.append(f"the {self.form} answer {text!r} cannot be read: {err}")
        return problems

    @property
    def example(self) -> str:
        """A sample of how an answer is written, for the input placeholder."""
        return self.placeholder or ANSWER_FORMS[self.form].example

    def _read(self, text: str) -> object:
        return ANSWER_FORMS[self.form].normalise(text)

    def _same(self, a: object, b: object) -> bool:
        return ANSWER_FORMS[self.form].equal(a, b)

    def check(self, answer: str) -> Verdict:
        if not answer.strip():
            return Verdict(False, f"Type an answer first, like {self.example}.")
        try:
            given = self._read(answer)
        except UnreadableAnswer as err:
            return Verdict(False, f"{err}.")
        if any(self._same(given, self._read(ok)) for ok in [self.answer, *self.accept]):
            return self.right()
        for text, why in self.wrong_answers.items():
            if self._same(given, self._read(text)):
                return self.wrong(why)
        return self.wrong()

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "form": self.form}
