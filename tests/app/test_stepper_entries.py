"""Stepper timeline entries wrap at word and punctuation edges: no name or number split over two
lines, and a name keeps the bracket after it where another edge fits.

At 80 columns the timeline gives an entry about 18 columns, and Rich's folding cut
``F.mse_loss(model(x_batch), ...`` into ``x`` and ``_batch`` and ``optimizer.zero_grad()`` into
``zero_gra`` and ``d()``. The names checked are read from each entry's own text, and the lines from
what the timeline draws for that entry.
"""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from tests.waiting import wait_until
from tui.app import make_app
from tui.core.stepper import SCENARIOS, Stepper, make_scenario
from tui.screens.stepper import ACTION_KEYS, StepperScreen
from tui.widgets.wrapped_code import MARKER, WrappedLine

NAME = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?")
"""An identifier or a number: what must never be split over two lines."""

NUMBER_COLUMN = re.compile(r"^\s*✗?\s*\d+ ")
"""The entry's number (and refusal mark) at the start of its first line."""


def presses(key: str) -> str:
    """Each key the scenario takes, twice running: successes and refusals (a second step, a freed graph)."""
    return "".join(letter * 2 for letter in SCENARIOS[key].actions)


def entry_text(snap) -> str:
    """The text of an entry as the timeline builds it: the action, then its code's first line."""
    return snap.label + (f"  {snap.code.splitlines()[0]}" if snap.code else "")


def names_in(lines: list[str]) -> list[str]:
    """The names read line by line: a name split over two lines reads as two other names."""
    return [name for line in lines for name in NAME.findall(line)]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("key", list(SCENARIOS))
async def test_no_timeline_entry_splits_a_name(key, size):
    app = make_app(start_kernel=False)
    async with app.run_test(size=size) as pilot:
        app.action_open_stepper(key)
        await wait_until(pilot, lambda: isinstance(app.screen, StepperScreen) and app.screen.stepper is not None,
                         what=f"the {key} scenario")
        screen = app.screen
        keys = presses(key)
        await pilot.press(*keys)
        await wait_until(pilot, lambda: len(screen.stepper.timeline) == len(keys) + 1, what="the actions")
        await pilot.pause()
        timeline = screen.query_one("#timeline")
        style = timeline.get_visual_style("option-list--option")
        for snap, option in zip(screen.stepper.timeline, timeline.options, strict=True):
            # The lines the list draws for this option (the list only draws those scrolled into view).
            lines = [strip.text.rstrip() for strip in timeline._get_option_render(option, style)]
            lines = [NUMBER_COLUMN.sub("", lines[0]), *lines[1:]]
            assert names_in(lines) == NAME.findall(entry_text(snap)), f"a name is split at {size}: {lines}"
            assert "…" not in "".join(lines)


def test_a_wrapped_line_keeps_every_name_whole_at_every_width():
    texts = set()
    for key in SCENARIOS:
        stepper = Stepper(make_scenario(key))
        for letter in presses(key):
            stepper.act(next(action for action, bound in ACTION_KEYS.items() if bound == letter))
        texts |= {entry_text(snap) for snap in stepper.timeline}
    console = Console(width=200)
    for text in sorted(texts):
        longest = max(len(run) for run in re.findall(r"[\w.]+", text))  # a dotted name: no edge inside
        for width in range(12, 60):
            lines = [line.plain for line in WrappedLine(console.render_str(text)).lines(width)]
            assert all(len(line) <= width for line in lines), (text, width, lines)
            # Nothing is lost, and a name is split only when it is wider than the room, after a marker.
            assert "".join(line.removeprefix(MARKER) for line in lines).replace(" ", "") == text.replace(" ", "")
            if longest <= width - len(MARKER):
                assert names_in(lines) == NAME.findall(text), (text, width, lines)
            for before, after in zip(lines, lines[1:]):
                # A name keeps its bracket (model( x[0:2]), not model(x [0:2])) unless nothing else fits.
                if after[:1] in "([" and re.search(r"[\w.]$", before):
                    assert re.fullmatch(r"[\w.]+", before.removeprefix(MARKER).strip()), (text, width, lines)
                if after.startswith(MARKER) and NAME.findall(before) and NAME.findall(after):
                    split = NAME.findall(before)[-1] + NAME.findall(after.removeprefix(MARKER))[0]
                    assert before.endswith(".") or len(split) > width - len(MARKER), (text, width, lines)
