"""The step kinds a lesson is made of: what lesson packs import (``from tui.core.steps import Prose, ...``).

Each kind is one subclass of :class:`Step` (see :mod:`tui.core.course.step_base`); the question
kinds live in :mod:`tui.core.course.question_steps`, try and launch steps in
:mod:`tui.core.course.tool_steps`. Prose, the page of Markdown every lesson is mostly made of,
is defined here. Importing this module registers every kind in ``Step.kinds``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from tui.core.course.question_steps import Choice, Quiz, Typed
from tui.core.course.step_base import Step, Verdict, dedent_block, slugify
from tui.core.course.tool_steps import TOOLS, Launch, Try, tool_scenarios

__all__ = ["PROSE_LIMIT", "TOOLS", "Choice", "Launch", "Prose", "Quiz", "Step", "Try", "Typed", "Verdict",
           "code_blocks", "dedent_block", "slugify", "tool_scenarios"]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
PROSE_LIMIT = 4000
"""The most characters one prose step may hold: about three screens of an 80x24 panel."""
_FENCE = re.compile(r"^```(?:python|py)\s*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def code_blocks(markdown: str) -> list[str]:
    """The Python code blocks of a Markdown text (fenced as ``python``), in order."""
    return [block.rstrip("\n") for block in _FENCE.findall(markdown)]


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
