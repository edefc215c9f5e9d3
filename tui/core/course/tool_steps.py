"""The step kinds that send the learner elsewhere: :class:`Try` (run code in the REPL) and :class:`Launch`.

A try step's run is judged by an expression the kernel evaluates afterwards; a launch step opens
one of the app's tools (see :data:`TOOLS`) on a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tui.core.course.answers import ANSWER_FORMS, UnreadableAnswer
from tui.core.course.step_base import Step, Verdict
from tui.core.tracing.shapes import format_shape


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
    "stepper": "the stepper",
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
