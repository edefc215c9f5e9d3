"""The step kinds a lesson is made of.

Every kind is one subclass of :class:`Step` with a unique ``kind`` name; subclasses register
themselves, so adding a kind means adding one class here (and one view class in
``tui/widgets/steps``), never editing a switch elsewhere. A step checks its own declaration
and keeps the problems it finds in ``problems`` instead of raising, so ``tensordojo lint`` can
report all of them at once.
"""

from __future__ import annotations

import re
import textwrap
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from tui.core.course.answers import ANSWER_FORMS, UnreadableAnswer
from tui.core.tracing.shapes import format_shape
from tui.core.course.source import Problem, SourceLocation, caller_location

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
PROSE_LIMIT = 4000
"""The most characters one prose step may hold: about three screens of an 80x24 panel."""
_FENCE = re.compile(r"^```(?:python|py)\s*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def code_blocks(markdown: str) -> list[str]:
    """The Python code blocks of a Markdown text (fenced as ``python``), in order."""
    return [block.rstrip("\n") for block in _FENCE.findall(markdown)]


def slugify(text: str) -> str:
    """Make a stable step id from a title: ``"Shapes, again!"`` becomes ``"shapes-again"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


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


@dataclass(kw_only=True)
class Prose(Step):
    """A page of Markdown; fenced code blocks are highlighted.

    Its first heading is the title unless ``title=`` is given.
    """

    kind: ClassVar[str] = "prose"
    markdown: str = ""

    def __init__(self, markdown: str = "", **kwargs: object) -> None:
        # Authors write Prose("""...""") with the text first, so accept it positionally.
        self.markdown = dedent_block(markdown)
        Step.__init__(self, **kwargs)  # type: ignore[arg-type]  (runs __post_init__)

    def default_title(self) -> str:
        match = _HEADING.search(self.markdown)
        return match.group(1) if match else ""

    def check_declaration(self) -> list[str]:
        if not self.markdown.strip():
            return ["a prose step has no text"]
        if len(self.markdown) > PROSE_LIMIT:
            return [f"a prose step of {len(self.markdown):,} characters is refused (at most {PROSE_LIMIT:,}): "
                    "split it into several steps"]
        return []

    @property
    def code(self) -> list[str]:
        """The step's Python code blocks, which the learner can send to the REPL."""
        return code_blocks(self.markdown)


def dedent_block(text: str) -> str:
    """A triple-quoted block as the author meant it: common indentation and blank edge lines removed."""
    return textwrap.dedent(text).strip("\n")


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


@dataclass(kw_only=True)
class Try(Step):
    """Code the learner runs (or edits and runs) in the REPL, with an optional expectation.

    After the run, the kernel evaluates ``check`` (an expression such as ``t.shape``) and the
    step compares its value with ``expect``, read in ``form`` like a typed answer. Without
    ``expect`` the step only offers the code; the learner need not run it to go on.

    Attributes:
        prompt: what to do, in Markdown.
        code: the starting code.
        check: the expression evaluated after the run.
        expect: the value ``check`` should have.
        form: how ``expect`` and the value are read (as in :class:`Typed`).
        solution: code that meets ``expect``, when ``code`` is a task to edit; lint runs it.
    """

    kind: ClassVar[str] = "try"
    prompt: str = ""
    code: str = ""
    solution: str = ""
    check: str = ""
    expect: str = ""
    form: str = "text"
    explain: str = ""
    hint: str = ""

    @property
    def needs_answer(self) -> bool:  # type: ignore[override]
        """A try step with an expectation must pass before the lesson counts as done."""
        return bool(self.expect)

    def default_title(self) -> str:
        return "Try it"

    def check_declaration(self) -> list[str]:
        problems = [] if self.code.strip() else ["a try step has no code="]
        if bool(self.check) != bool(self.expect):
            problems.append("a try step needs both check= and expect=, or neither")
        if self.expect:
            if self.form not in ANSWER_FORMS:
                problems.append(f"form={self.form!r} is unknown; use one of {', '.join(ANSWER_FORMS)}")
            else:
                try:
                    ANSWER_FORMS[self.form].normalise(self.expect)
                except UnreadableAnswer as err:
                    problems.append(f"expect={self.expect!r} cannot be read: {err}")
        return problems

    def expressions(self) -> dict[str, str]:
        """The user expressions to send with the run."""
        return {"check": self.check} if self.check else {}

    def judge(self, status: str, value: str | None) -> Verdict:
        """Judge a run: its status (``ok``, ``error``, ``died``...) and the text value of ``check``."""
        if status == "died":
            return Verdict(False, "The kernel died while running this and has restarted. Run the code again.")
        if status != "ok":
            return Verdict(False, "The code raised an error (shown in the REPL). Fix it and run it again.")
        if not self.expect:
            return Verdict(True, self.explain or "It ran.")
        if value is None:
            return Verdict(False, f"After the run, `{self.check}` could not be evaluated. Is everything it uses defined?")
        form = ANSWER_FORMS[self.form]
        try:
            got = form.normalise(value)
        except UnreadableAnswer:
            got = None
        if got is not None and form.equal(got, form.normalise(self.expect)):
            return Verdict(True, self.explain or f"`{self.check}` is {self.expect}, as expected.")
        shown = format_shape(got) if self.form == "shape" and got is not None else value  # type: ignore[arg-type]
        return Verdict(False, f"`{self.check}` is {shown}, but should be {self.expect}. {self.hint}".rstrip())


TOOLS = {
    "stepper": "the gradient-accumulation stepper",
    "training": "the live training view",
    "inspector": "the workbench's shape inspector",
}
"""Screens a launch step can open, by name."""


def tool_scenarios(tool: str) -> list[str]:
    """What a tool can be opened on: stepper scenarios, training presets, inspector tabs."""
    if tool == "stepper":
        from tui.core.stepper.scenarios import SCENARIOS  # no torch import: scenarios import it lazily

        return list(SCENARIOS)
    if tool == "training":
        from tui.core.training.presets import PRESETS

        return list(PRESETS)
    return ["variables", "trace", "broadcast"]


@dataclass(kw_only=True)
class Launch(Step):
    """A step that opens a tool of the app on a scenario: the stepper, the training view, the inspector.

    Attributes:
        prompt: what to try there, in Markdown.
        tool: which tool (see :data:`TOOLS`).
        scenario: the stepper scenario, training preset or inspector tab to open.
    """

    kind: ClassVar[str] = "launch"
    prompt: str = ""
    tool: str = "stepper"
    scenario: str = ""

    def default_title(self) -> str:
        return f"Open {TOOLS.get(self.tool, self.tool)}"

    def check_declaration(self) -> list[str]:
        problems = [] if self.prompt.strip() else ["a launch step has no prompt="]
        if self.tool not in TOOLS:
            return problems + [f"tool={self.tool!r} is unknown; use one of {', '.join(TOOLS)}"]
        choices = tool_scenarios(self.tool)
        if self.scenario not in choices:
            problems.append(f"scenario={self.scenario!r} is unknown for the {self.tool}; use one of {', '.join(choices)}")
        return problems
