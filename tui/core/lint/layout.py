"""Lint: does each prose step fit the lesson panel of an 80x24 terminal?

Try steps' code and exercises' starters are shown in an editor that wraps long lines (an exercise's
editor also spends five columns on line numbers): those lines are noted too.

At 80 columns the lesson screen keeps 26 for the step list (more when a step title holds a long
word: ``tui.core.course.panel`` sizes it, for the screen and for lint alike), so a prose step's
Markdown gets 50 columns and 20 rows (measured in the app: the pane is 22 rows, the step counter and its
margin take 2). Code blocks lose 2 more columns to their padding, and a longer code line is cut
at the edge, so a learner on SSH never reads its end. A step taller than the panel scrolls,
which hides its second half behind a key the learner may not press.

The height is an estimate from the Markdown text (no Textual here): headings, paragraphs wrapped
at the panel width, list items, code blocks with their padding, tables with wrapped cells. It
was fitted against the heights the app drew for the 66 prose steps of the first edition; it is
within 2 rows for all but tables whose cells hold long code, which it underestimates.
"""

from __future__ import annotations

import math
import re
import textwrap

from tui.core.course.panel import page_columns
from tui.core.lesson import Lesson
from tui.core.course.source import Problem, SourceLocation
from tui.core.grading.exercise import Exercise
from tui.core.steps import Prose, Try

PANEL_COLUMNS = 50
"""Columns a prose step's Markdown gets in an 80x24 terminal beside a step list of titles without a long
word (``lesson_columns`` gives a lesson's own)."""
PANEL_ROWS = 20
"""Rows a prose step's Markdown gets in an 80x24 terminal before it scrolls."""
CODE_COLUMNS = PANEL_COLUMNS - 2
"""The widest code line shown whole: a code block pads one column each side."""
EDITOR_COLUMNS = CODE_COLUMNS - 8
"""The widest line a try step's or an exercise's editor shows unwrapped beside its line numbers."""

_HEADING_ROWS = 5
_GAP = 1
_CODE_PADDING = 2
_TABLE_HEAD = 4
_TABLE_RULE = 5
_LIST_INDENT = 3
_ITEM = re.compile(r"^(- |\* |\d+\. )")
_TABLE_RULE_LINE = re.compile(r"^\|[\s:|-]+\|$")


def _plain(text: str) -> str:
    return re.sub(r"\*\*|`|\*", "", text)


def _wrapped(text: str, width: int) -> int:
    return max(1, len(textwrap.wrap(_plain(text), max(width, 4))))


def _table_rows(lines: list[str], width: int) -> int:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines
            if not _TABLE_RULE_LINE.match(line.strip())]
    columns = max(len(r) for r in rows)
    natural = [max((len(_plain(r[i])) if i < len(r) else 0) for r in rows) for i in range(columns)]
    room = width - (columns + 1) * _TABLE_RULE
    widths = natural if sum(natural) <= room else [max(4, math.floor(w * room / sum(natural))) for w in natural]
    return _TABLE_HEAD + sum(max(_wrapped(cell, widths[i]) for i, cell in enumerate(r)) for r in rows)


def _blocks(markdown: str) -> list[list[str]]:
    """The Markdown split into blocks: a heading line, a fenced code block, or lines up to a blank."""
    lines, blocks, i = markdown.splitlines(), [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
        elif lines[i].startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            blocks.append(lines[i:end + 1])
            i = end + 1
        elif lines[i].lstrip().startswith("#"):
            blocks.append([lines[i]])
            i += 1
        else:
            end = i
            while end < len(lines) and lines[end].strip() and not lines[end].startswith("```"):
                end += 1
            blocks.append(lines[i:end])
            i = end
    return blocks


def _block_rows(block: list[str], width: int) -> int:
    first = block[0]
    if first.lstrip().startswith("#"):
        return _HEADING_ROWS
    if first.startswith("```"):
        # The app wraps a code line wider than the panel onto marked continuation rows.
        return sum(max(1, math.ceil(len(line) / (width - _CODE_PADDING))) for line in block[1:-1]) + _CODE_PADDING
    if first.startswith("|"):
        return _table_rows(block, width)
    if _ITEM.match(first):
        items: list[str] = []
        for line in block:
            if _ITEM.match(line) or not items:
                items.append(_ITEM.sub("", line))
            else:
                items[-1] += " " + line.strip()
        return sum(_wrapped(item, width - _LIST_INDENT) for item in items)
    return _wrapped(" ".join(line.strip() for line in block), width)


def estimated_rows(markdown: str, width: int = PANEL_COLUMNS) -> int:
    """About how many rows the app draws this Markdown in, at ``width`` columns."""
    blocks = _blocks(markdown)
    rows = sum(_block_rows(b, width) + (0 if b[0].lstrip().startswith("#") else _GAP) for b in blocks)
    return rows - _GAP if blocks and not blocks[-1][0].lstrip().startswith("#") else rows


def wide_code_lines(markdown: str, limit: int = CODE_COLUMNS) -> list[tuple[int, str]]:
    """Lines of fenced code longer than ``limit``, as (line number in the step, text)."""
    wide, fenced = [], False
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and len(line) > limit:
            wide.append((number, line))
    return wide


def lesson_columns(lesson: Lesson) -> int:
    """Columns this lesson's pages get at 80x24: its step titles size the step list beside them."""
    return page_columns([step.title for step in lesson.steps])


def _editor_problems(step: Try | Exercise, columns: int = PANEL_COLUMNS) -> list[Problem]:
    """Lines of a try step's code (or solution) or an exercise's starter that the editor wraps."""
    limit = columns - (PANEL_COLUMNS - EDITOR_COLUMNS)
    if isinstance(step, Try):
        text, what = step.code + "\n" + step.solution, "try step"
    else:
        text, what = step.starter, "exercise"
    wide = [line for line in text.splitlines() if len(line) > limit]
    if not wide:
        return []
    longest = max(wide, key=len)
    return [Problem(step.where, f"{what} {step.id!r}: {len(wide)} code line{'s' * (len(wide) != 1)} wider than the "
                                f"{limit} columns its editor shows at 80x24, up to {len(longest)}: "
                                f"{longest.strip()[:40]}...")]


def tall_steps(lesson: Lesson) -> list[Problem]:
    """Prose steps taller than the 80x24 panel: a problem, which fails lint."""
    problems, columns = [], lesson_columns(lesson)
    for step in lesson.steps:
        rows = estimated_rows(step.markdown, columns) if isinstance(step, Prose) else 0
        if rows > PANEL_ROWS:
            problems.append(Problem(step.where, f"prose step {step.id!r} is about {rows} rows tall; an 80x24 "
                                                f"lesson panel shows {PANEL_ROWS}: split it into two steps or cut it"))
    return problems


def layout_problems(lesson: Lesson) -> list[Problem]:
    """Code lines wider than the 80x24 panel or its editors: notes (the app wraps them, marked)."""
    problems, columns = [], lesson_columns(lesson)
    code_columns = columns - _CODE_PADDING
    for step in lesson.steps:
        if isinstance(step, (Try, Exercise)):
            problems += _editor_problems(step, columns)
        if not isinstance(step, Prose):
            continue
        for number, line in wide_code_lines(step.markdown, code_columns):
            where = SourceLocation(step.where.file, step.where.line + number)
            problems.append(Problem(where, f"prose step {step.id!r}: a code line {len(line)} "
                                                f"characters wide; an 80x24 panel shows {code_columns}: "
                                                f"{line.strip()[:40]}..."))
    return problems
