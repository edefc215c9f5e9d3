"""Indentation as the code editors apply it: after a colon, after a block ender, on backspace."""

from __future__ import annotations

import pytest

from tui.core.repl.indent import dedent_target, indent_after


@pytest.mark.parametrize(
    ("line", "indent"),
    [
        ("def f(x):", 4),
        ("    for i in range(3):", 8),
        ("    if x:  # a comment", 8),
        ("    y = x * 2", 4),
        ("        return y", 4),
        ("    pass", 0),
        ("    raise ValueError('no')", 0),
        ("", 0),
        ("    ", 4),
        ("x = {'a': 1}", 0),
        ("\tif x:", 8),
    ],
)
def test_the_next_line_is_indented_from_the_line_before(line, indent):
    assert indent_after(line) == indent


@pytest.mark.parametrize(
    ("before", "target"),
    [("    ", 0), ("        ", 4), ("      ", 4), (" ", 0), ("", None), ("    x", None), ("  y ", None)],
)
def test_backspace_in_leading_spaces_goes_back_one_level(before, target):
    assert dedent_target(before) == target
