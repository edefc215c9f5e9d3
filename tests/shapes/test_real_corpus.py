"""Every script in ``real/`` runs under the tracer, in-process, and gets the explanation its
``EXPECTED`` dict says is right: the op, each operand's shape, the layer, the words of the cause,
and a fix that is right. Silent shape bugs get one warning, on their line, however often it runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("torch")

from tui.core.tracing.report import run_traced  # noqa: E402

REAL = Path(__file__).parent / "real"
SCRIPTS = sorted(REAL.glob("*.py"))


def expected_of(path: Path) -> dict:
    """The script's EXPECTED dict, read without running it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXPECTED":
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} has no EXPECTED dict")


def test_the_corpus_is_big_enough_and_cites_its_sources():
    assert len(SCRIPTS) >= 40
    for path in SCRIPTS:
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("# Source: https://"), path.name
        assert head[1].startswith("# Situation: "), path.name


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_real_case(path: Path, capsys):
    expected = expected_of(path)
    run = run_traced(path.read_text(encoding="utf-8"), str(path))
    capsys.readouterr()
    if expected.get("kind") == "silent":
        assert run.error is None, f"{path.name} should run: {run.error!r}"
        notes = [op for op in run.tracer.ops + run.tracer.late_notes if op.note]
        assert len(notes) == 1, [(n.op, n.line, n.note) for n in notes]
        note = notes[0]
        assert note.op == expected["op"] and expected["source"] in note.source
        for word in expected.get("note", []):
            assert word in note.note, note.note
        for word in expected.get("not_note", []):
            assert word not in note.note, note.note
        return
    assert run.error is not None, f"{path.name} should fail"
    explanation = run.explanation
    assert explanation is not None, f"no explanation for {type(run.error).__name__}: {run.error}"
    text = explanation.text()
    assert explanation.op == expected["op"], text
    for shape in expected.get("shapes", []):
        assert shape in text, f"{shape} missing:\n{text}"
    if "layer" in expected:
        assert explanation.layer == expected["layer"], text
    for word in expected.get("problem", []):
        assert word in explanation.problem, f"{word!r} not in problem:\n{text}"
    for word in expected.get("fix", []):
        assert word in explanation.fix, f"{word!r} not in fix:\n{text}"
    if "unsure" in expected:
        assert explanation.unsure == expected["unsure"], text
