"""``lint``: numbers stated in prose sentences (shapes, dtypes, values, parameter counts) match the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.course.loader import load_paths

CLAIMS_LESSON = '''
from tui.core.lesson import Lesson
from tui.core.steps import Prose

LESSON = Lesson(id="{id}", title="Claims", summary="Sentences that state numbers.", minutes=1, steps=[
    Prose("""
        # Shapes and dtypes

        ```python
        y = torch.ones(2, 3)
        x = torch.tensor([1, 2, 3])
        w = torch.zeros(3, dtype=torch.float64)
        ```

        - `torch.ones(2, 5)`: a {grid} tensor of ones;
        - `torch.eye(3)`: the 3 x 3 identity.

        Now `y` has shape `{y_shape}`, and `x.dtype` is `{x_dtype}`.
        The tensor `w` is {w_dtype}, and `x.sum()` is `{x_sum}`. The shape of `y.T` is `{yt_shape}`.
    """),
    Prose("""
        # Layers

        Below, `out.shape` is `{out_shape}` once the block has run.

        ```python
        layer = nn.Linear(5, 5)
        out = nn.Linear(3, 10)(torch.ones(4, 3))
        emb = nn.Embedding(10, 2)
        ```

        The `layer` has {params} parameters, and `emb(torch.tensor([100]))` raises `{error}`.
        Here `out[:, 0]` is `{same}`; `out` has {elements} elements, though `layer` has 5 parameters per row.
    """),
    Prose("""
        # Redefined later

        `y` is reshaped next, so here `y.shape` is `{y_before}`. After the block, `y` has shape `{y_after}`:

        ```python
        y = y.reshape(6)
        ```

        Not claims: `(3, 1) @ (1, 5)` is `(3, 5)`; `unknown` has shape `(9, 9)`; `y.add_(1)` is `(6,)`.
    """),
])
'''
RIGHT = {"y_shape": "(2, 3)", "x_dtype": "torch.int64", "w_dtype": "float64", "x_sum": "6", "yt_shape": "(3, 2)",
         "out_shape": "torch.Size([4, 10])", "params": "30", "error": "IndexError", "y_before": "torch.Size([2, 3])",
         "same": "out[:, 0] * 1", "elements": "40", "y_after": "(6,)",
         "grid": "2 x 5"}
WRONG = {"y_shape": "(3, 2)", "x_dtype": "torch.float32", "w_dtype": "float32", "x_sum": "7", "yt_shape": "(2, 3)",
         "out_shape": "torch.Size([4, 3])", "params": "25", "error": "KeyError", "y_before": "torch.Size([3, 2])",
         "same": "out[:, 1]", "elements": "12", "y_after": "(7,)",
         "grid": "5 x 2"}


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory):
    """One run of the prose checker over a right and a wrong version of the same lesson."""
    from tui.core.lint.prose import run_prose

    folder = tmp_path_factory.mktemp("claims")
    for name, values in (("right", RIGHT), ("wrong", WRONG)):
        (folder / f"{name}.py").write_text(CLAIMS_LESSON.format(id=name, **values))
    return folder, run_prose(load_paths([folder]).lessons)


def test_every_claim_form_in_prose_is_found_and_checked_where_it_stands(linted):
    from tui.core.lint.prose_claims import prose_claims

    folder, run = linted
    claims = prose_claims(load_paths([folder / "right.py"]).lessons[0])
    assert [(c.subject, c.kind, c.stated) for c in claims] == [
        ("torch.ones(2, 5)", "shape", "(2, 5)"), ("torch.eye(3)", "shape", "(3, 3)"),
        ("y", "shape", "(2, 3)"), ("x.dtype", "dtype", "torch.int64"), ("w", "dtype", "float64"),
        ("x.sum()", "value", "6"), ("y.T", "shape", "(3, 2)"), ("out.shape", "value", "torch.Size([4, 10])"),
        ("layer", "parameters", "30"), ("emb(torch.tensor([100]))", "raises", "IndexError"),
        ("out[:, 0]", "same", "out[:, 0] * 1"), ("out", "elements", "40"),
        ("y.shape", "value", "torch.Size([2, 3])"), ("y", "shape", "(6,)"), ("unknown", "shape", "(9, 9)")]
    # All but one are checked; `unknown` names nothing the code defines, so it is not.
    assert run.claims_found == 2 * len(claims) and run.claims_checked == 2 * (len(claims) - 1)


def test_a_right_claim_passes_and_each_wrong_one_is_reported_with_lesson_step_and_sentence(linted):
    folder, run = linted
    assert not [p for p in run.problems if p.where.file.endswith("right.py")]
    wrong = [p for p in run.problems if p.where.file.endswith("wrong.py")]
    lines = (folder / "wrong.py").read_text().splitlines()
    found = [p.message.split(" says ", 1)[1].split(": \"")[0] for p in wrong]
    same = [text for text in found if text.startswith("`out[:, 0]` is `out[:, 1]`, but it is tensor([")]
    assert len(same) == 1 and " while `out[:, 1]` is tensor([" in same[0]
    found.remove(same[0])
    assert sorted(found) == sorted([
        "`y` has shape (3, 2), but it has shape (2, 3)",
        "`torch.ones(2, 5)` has shape (5, 2), but it has shape (2, 5)",
        "`x.dtype` is torch.float32, but it is torch.int64",
        "`w` is float32, but it is torch.float64",
        "`x.sum()` is 7, but it is tensor(6)",
        "`y.T` has shape (2, 3), but it has shape (3, 2)",
        "`out.shape` is torch.Size([4, 3]), but it is torch.Size([4, 10])",
        "`layer` has 25 parameters, but it has 30",
        "`emb(torch.tensor([100]))` raises KeyError, but it raises IndexError",
        "`out` has 12 elements, but it has 40",
        "`y.shape` is torch.Size([3, 2]), but it is torch.Size([6])",
        "`y` has shape (7,), but it has shape (6,)",
    ])
    # Each problem points at the file line that holds its subject.
    assert all(f"`{p.message.split(' says `')[1].split('`')[0]}`" in lines[p.where.line - 1] for p in wrong)
    assert all(p.message.startswith("lesson 'wrong', prose step '") for p in wrong)
    sentence = next(p for p in wrong if "`layer`" in p.message).message.split(": \"")[1]
    assert sentence == "The `layer` has 25 parameters, and `emb(torch.tensor([100]))` raises `KeyError`.\""


def test_only_code_that_reads_as_a_safe_expression_is_a_claims_subject():
    from tui.core.lint.prose_claims import checkable_subject

    assert checkable_subject("out.shape") and checkable_subject("torch.zeros_like(t).dtype")
    assert not checkable_subject("(3, 1) @ (1, 5)")  # names nothing
    assert not checkable_subject("mat1 and mat2 shapes cannot be multiplied (3x2 and 3x4)")
    assert not checkable_subject("x.add_(1)") and not checkable_subject("loss.backward()")



def test_lints_summary_counts_the_facts_it_checked():
    from tui.core.lint import LintReport

    report = LintReport(lessons=2, steps=9, ran=True, claims_checked=3)
    assert report.summary() == "ok: 2 lessons, 9 steps, 0 exercises (exercises and try steps run, 3 facts in prose checked), no problems"
    assert "fact" not in LintReport(lessons=1, ran=True).summary()
