"""The REPL's echo of a run keeps its prompts' indentation when a line is too long for the log."""

from __future__ import annotations

from rich.console import Console

from tui.kernel.repl import InputEcho
from tui.widgets.repl.render import render_input

SOURCE = "for i in range(3):\n    total = total + some_long_name_here * another_long_factor\n    print(i)"


def echoed(source: str, width: int) -> list[str]:
    console = Console(width=width, color_system=None, record=True)
    console.print(render_input(InputEcho(12, source)))
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_wrapped_lines_of_an_echoed_cell_stay_under_its_code_not_at_column_0():
    rows = echoed(SOURCE, 34)
    code_column = len("In [12]: ")
    assert rows[0] == "In [12]: for i in range(3):"
    assert len(rows) > 3, "the long line wrapped at 34 columns"
    for row in rows[1:]:
        assert row.startswith("    ...:     ") or row.startswith(" " * code_column), f"{row!r} starts left of the code"
    assert " ".join(row[code_column:].strip() for row in rows[1:]).split() == SOURCE.split("\n", 1)[1].split(), \
        "every word of the cell is echoed, in order"


def test_a_long_one_liner_wraps_under_its_code_and_a_short_one_stays_one_line():
    rows = echoed("y = torch.randn(3, 4) @ torch.randn(4, 5) + 1", 34)
    assert rows[0].startswith("In [12]: y = ") and len(rows) == 2 and rows[1].startswith(" " * len("In [12]: "))
    assert echoed("x = 1", 34) == ["In [12]: x = 1"]


def test_a_shape_explanation_wrapped_in_a_narrow_log_keeps_its_indent():
    from tui.widgets.repl.render import render_explanation

    problem = "in a @ b the left's last size (3) must equal the right's first matrix size (4)."
    fix = "reshape or transpose so the inner sizes meet: (2, k) @ (k, 5)."
    console = Console(width=34, color_system=None, record=True)
    console.print(render_explanation({"op": "matmul", "operands": ["left (2, 3)", "right (4, 5)"],
                                      "problem": problem, "fix": fix, "layers": ["0 Linear FAILED " + problem]}))
    rows = [line.rstrip() for line in console.export_text().splitlines()]
    assert rows[0] == "Shape error: matmul"
    assert len(rows) > 8, "the problem, the fix and the layer wrapped at 34 columns"
    assert all(row.startswith("  ") for row in rows[1:]), f"a wrapped line went back to column 0: {rows}"
    layers = rows.index("  Layers that ran:")
    assert all(row.startswith("    ") for row in rows[layers + 1:]), rows
    assert " ".join(" ".join(rows[1:]).split()).startswith(f"left (2, 3) right (4, 5) Problem: {problem} Fix: {fix}")
