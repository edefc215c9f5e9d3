"""The lesson's step list: one entry per step, the current one marked, each answerable step's state.

A title wraps between words under its number (never cut), and the list takes the width that
``step_list_width`` gives for the terminal, the same width lint measures pages against.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.course.panel import LIST_CHROME, STEP_PREFIX, step_list_width
from tui.core.lesson import Lesson


def step_line(marks: str, number: int, title: str, width: int) -> str:
    """One step in a list ``width`` columns wide: a long title wraps under itself, never cut."""
    title = title.replace("`", "")  # a title's `code` marks read as noise in a plain list
    lines = textwrap.wrap(title, max(width - STEP_PREFIX - LIST_CHROME, 8), break_on_hyphens=False) or [title]
    return f"{marks}{number:>3}. " + ("\n" + " " * STEP_PREFIX).join(lines)


def step_mark(needs_answer: bool, answered: bool, solved: bool) -> str:
    """✓ answered right, ✗ answered but not yet right, ? still to answer; blank for a step with no answer."""
    if not needs_answer:
        return " "
    return "✓" if solved else ("✗" if answered else "?")


class StepList(OptionList):
    """The steps of one lesson; selecting one jumps there (the screen handles ``OptionSelected``)."""

    def show(self, lesson: Lesson, current: int, answered: set[str], solved: set[str], terminal_width: int) -> None:
        """List ``lesson``'s steps for a terminal ``terminal_width`` wide, ▶ at step ``current`` (0-based)."""
        width = step_list_width(terminal_width, [step.title for step in lesson.steps])
        self.styles.width = width
        self.clear_options()
        for number, step in enumerate(lesson.steps, 1):
            mark = step_mark(step.needs_answer, step.id in answered, step.id in solved)
            pointer = "▶" if number - 1 == current else " "
            self.add_option(Option(Text(step_line(f"{pointer}{mark}", number, step.title, width)), id=step.id))
        self.highlighted = current
