"""The step model: kinds register themselves, questions judge answers and say why."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from tui.core.steps import Choice, Prose, Step, Try, Typed, slugify


def test_kinds_register_by_name():
    assert {"prose": Prose, "choice": Choice, "typed": Typed}.items() <= Step.kinds.items()


def test_a_new_kind_is_one_class_and_registers_itself():
    @dataclasses.dataclass(kw_only=True)
    class Poll(Step):
        kind: ClassVar[str] = "poll-for-test"

    try:
        assert Step.kinds["poll-for-test"] is Poll
        assert Poll(title="Opinions").to_dict() == {"id": "opinions", "kind": "poll-for-test", "title": "Opinions"}
    finally:
        del Step.kinds["poll-for-test"]


def test_a_kind_name_cannot_be_taken_twice():
    with pytest.raises(TypeError, match="already taken"):
        @dataclasses.dataclass(kw_only=True)
        class AnotherProse(Step):
            kind: ClassVar[str] = "prose"


def test_prose_takes_its_title_from_the_first_heading_and_dedents():
    step = Prose("""
        # Views and copies!
        Text here.
    """)
    assert (step.title, step.id) == ("Views and copies!", "views-and-copies")
    assert step.markdown == "# Views and copies!\nText here."
    assert step.problems == []


def test_steps_record_the_file_and_line_that_declared_them():
    step = Prose("# Here")
    assert step.where.file == __file__
    assert step.where.line > 0


def test_empty_prose_and_missing_title_are_problems():
    messages = [p.message for p in Prose("").problems]
    assert "a prose step has no text" in messages
    assert any("needs a title" in m for m in messages)


def choice(**overrides) -> Choice:
    fields = dict(title="Q", prompt="Which?", options=["a", "b", "c"], answer="b",
                  why={"a": "a is too small"}, hint="think", explain="b is right")
    return Choice(**{**fields, **overrides})


def test_choice_judges_by_text_or_number_and_explains():
    step = choice()
    assert step.check("b").correct and step.check("2").correct
    assert step.check("b").feedback == "b is right"
    assert step.check("a").feedback == "a is too small"
    assert step.check("c").feedback == "think"  # no specific reason: the hint
    assert "pick 1 to 3" in step.check("9").feedback


@pytest.mark.parametrize(
    "overrides, message",
    [({"answer": "z"}, "answer='z' is not one of the options"),
     ({"options": ["a"], "answer": "a", "why": {}}, "at least two options"),
     ({"options": ["a", "a"], "answer": "a", "why": {}}, "same option twice"),
     ({"why": {"q": "?"}}, "why= names 'q'"),
     ({"prompt": ""}, "no prompt=")],
)
def test_choice_declaration_problems(overrides, message):
    assert any(message in p.message for p in choice(**overrides).problems)


def typed(**overrides) -> Typed:
    fields = dict(title="T", prompt="Shape?", answer="(3, 4)", form="shape", accept=["(1, 3, 4)"],
                  wrong_answers={"(4, 3)": "rows first"}, hint="count rows", explain="3 rows, 4 columns")
    return Typed(**{**fields, **overrides})


@pytest.mark.parametrize("answer", ["(3, 4)", "3,4", "torch.Size([3, 4])", "3x4", "(1, 3, 4)"])
def test_typed_accepts_every_spelling_of_the_answer_and_its_variants(answer):
    verdict = typed().check(answer)
    assert verdict.correct and verdict.feedback == "3 rows, 4 columns"


def test_typed_explains_known_wrong_answers_then_falls_back_to_the_hint():
    assert typed().check("4, 3").feedback == "rows first"
    assert typed().check("(5, 5)").feedback == "count rows"
    assert not typed().check("(5, 5)").correct


def test_typed_says_how_to_write_an_unreadable_or_empty_answer():
    assert "is not a shape" in typed().check("three by four").feedback
    assert "Type an answer first, like (3, 4)." == typed().check("  ").feedback


def test_typed_declaration_problems():
    assert "form='colour' is unknown" in typed(form="colour").problems[0].message
    assert "cannot be read" in typed(answer="three").problems[0].message
    assert typed().problems == []


def test_slugify():
    assert slugify("Shapes, again!") == "shapes-again"
    assert slugify("!!!") == "step"


def try_step(**overrides) -> Try:
    fields = dict(title="Make z", prompt="Make z 4 x 5", code="z = torch.zeros(2, 3)", check="z.shape",
                  expect="(4, 5)", form="shape", hint="rows first", explain="4 rows of 5")
    return Try(**{**fields, **overrides})


def test_try_judges_the_checked_value_in_its_form():
    step = try_step()
    assert step.needs_answer and step.expressions() == {"check": "z.shape"}
    assert step.judge("ok", "torch.Size([4, 5])").correct
    wrong = step.judge("ok", "torch.Size([2, 3])")
    assert not wrong.correct and wrong.feedback == "`z.shape` is (2, 3), but should be (4, 5). rows first"
    assert "raised an error" in step.judge("error", None).feedback
    assert "kernel died" in step.judge("died", None).feedback
    assert "could not be evaluated" in step.judge("ok", None).feedback


def test_a_try_without_expectation_needs_no_answer_and_passes_when_it_runs():
    step = try_step(check="", expect="")
    assert not step.needs_answer and step.expressions() == {}
    assert step.judge("ok", None).correct


def test_try_declaration_problems():
    assert "both check= and expect=" in try_step(expect="").problems[0].message
    assert "cannot be read" in try_step(expect="four by five").problems[0].message
    assert "no code=" in try_step(code="").problems[0].message


def test_prose_code_blocks_are_the_python_fences_only():
    step = Prose("# T\n```python\na = 1\n```\n```text\nnot code\n```\n```py\nb = 2\nc = 3\n```\n")
    assert step.code == ["a = 1", "b = 2\nc = 3"]
