"""Columns of the lesson screen: how wide the step list is, and what that leaves a step's page.

The lesson screen sizes its step list from the terminal's width and the lesson's step titles (a
title wraps between words, never inside one), so one long word in a title takes columns from every
page of that lesson. Lint measures a lesson's pages at the width this module gives, the same
function the screen uses, so what lint passes is what an 80x24 learner reads.
"""

from __future__ import annotations

STEP_PREFIX = 7
"""Columns before a step's title in the step list: pointer, mark, number ("▶✓ 12. ")."""
LIST_CHROME = 4
"""Columns the step list spends on its border and scroll bar."""
PAGE_CHROME = 4
"""Columns between the step list and the page's Markdown: the page's border and padding."""


def step_list_width(terminal_width: int, titles: list[str]) -> int:
    """The step list's width: room for the longest title, within a fifth of the terminal (26 at least),
    so the step keeps most of a wide terminal beside the REPL; always wide enough for the longest word."""
    longest = max((len(title) for title in titles), default=10)
    longest_word = max((len(word) for title in titles for word in title.replace("`", "").split()), default=0)
    return min(longest + STEP_PREFIX + LIST_CHROME,
               max(26, terminal_width // 5, longest_word + STEP_PREFIX + LIST_CHROME))


def page_columns(titles: list[str], terminal_width: int = 80) -> int:
    """Columns a step's Markdown gets beside a step list sized for ``titles``."""
    return terminal_width - step_list_width(terminal_width, titles) - PAGE_CHROME
