"""The training view's panels: the sparkline draws the bars Textual's would, and a canvas lays out lines."""

from __future__ import annotations

import random

from rich.color import Color
from rich.console import Console
from textual.app import App, ComposeResult
from textual.renderables.sparkline import Sparkline as TextualBars

from tui.widgets.training.canvas import Canvas
from tui.widgets.training.render import DIM, Lines
from tui.widgets.training.spark import SHADES, Bars, columns

LOW, HIGH = Color.parse("#004400"), Color.parse("#ff0000")


def glyph_rows(renderable, width: int) -> list[str]:
    console = Console(width=width, color_system="truecolor")
    lines = console.render_lines(renderable, console.options.update(width=width), pad=False)
    return ["".join(segment.text for segment in line) for line in lines]


def test_the_bars_are_the_ones_textual_draws_for_the_same_data():
    rng = random.Random(0)
    for n, width, height in [(120, 40, 3), (120, 120, 1), (57, 40, 2), (200, 33, 3)]:
        data = [rng.random() * 3 for _ in range(n)]
        ours = glyph_rows(Bars(data, width, height, LOW, HIGH), width)
        theirs = glyph_rows(TextualBars(data, width=width, height=height, min_color=LOW, max_color=HIGH), width)
        assert ours == theirs, (n, width, height)


def test_columns_take_the_largest_value_of_each_stretch():
    assert columns([1, 5, 2, 2, 9, 0], 3) == [5, 2, 9]
    assert columns([3, 1], 5) == [3, 1]


def test_a_row_is_one_segment_per_run_of_one_shade_from_a_few_shared_styles():
    bars = Bars([1.0] * 30 + [0.0] * 30, 60, 1, LOW, HIGH)
    (row,) = bars.lines()
    assert [(segment.text, segment.style) for segment in row] == [("█" * 30, bars.styles[SHADES - 1]),
                                                                  ("▁" * 30, bars.styles[0])]
    assert len(Bars([], 10, 2, LOW, HIGH).lines()) == 2  # no data: an empty row above a baseline


class OneCanvas(App):
    def compose(self) -> ComposeResult:
        yield Canvas(id="c")

    CSS = "#c { width: 10; height: 4; }"


async def test_a_canvas_shows_lines_and_wraps_a_long_row():
    app = OneCanvas()
    async with app.run_test(size=(30, 6)) as pilot:
        canvas = app.query_one(Canvas)
        text = Lines()
        text.append("name ", DIM)
        text.append("0123456789abc\nnext")
        canvas.show(text)
        await pilot.pause()
        assert canvas.plain.splitlines() == ["name 01234", "56789abc", "next"]
        assert text.plain == "name 0123456789abc\nnext"
        canvas.show("plain words are wrapped at spaces")
        await pilot.pause()
        assert canvas.plain.splitlines()[:2] == ["plain", "words are"]


def test_a_nan_or_inf_in_the_losses_leaves_its_column_blank_and_scales_the_rest():
    bars = Bars([2.0, 1.0, float("nan"), float("inf")], 4, 1, LOW, HIGH)
    (row,) = list(bars.rows())
    assert [glyph for glyph, _ in row] == ["█", "▁", " ", " "]
    assert list(Bars([float("nan")] * 3, 3, 1, LOW, HIGH).rows()) == [[("▁", 0)] * 3]
