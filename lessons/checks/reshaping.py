"""Hidden tests of the ``reshaping`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _grid(d: Draw) -> tuple:
    rows = d.int(1, 6)
    return rows * d.int(1, 6), rows


def _images(d: Draw) -> tuple:
    return (d.tensor(d.int(1, 4), d.int(1, 3), d.int(1, 5), d.int(1, 5)),)


def _greys(d: Draw) -> tuple:
    return (d.tensor(d.int(1, 4), d.int(1, 5), d.int(1, 5)),)


COLUMN_TESTS = [
    agrees("column_major", lambda: [(6, 3), (15, 5), (4, 1), (4, 4)], title="worked examples"),
    agrees_on_random("column_major", _grid, title="random grid sizes"),
]

FLATTEN_TESTS = [
    agrees("flatten_images", lambda: [(__import__("torch").zeros(1, 3, 2, 2),), (__import__("torch").ones(4, 1, 28, 28),)],
           title="a single image, and a batch of one-channel images"),
    agrees_on_random("flatten_images", _images, title="random batches of images"),
]

CHANNEL_TESTS = [
    agrees("add_channel", lambda: [(__import__("torch").zeros(1, 28, 28),), (__import__("torch").ones(8, 1, 5),)],
           title="one image, and images one pixel high"),
    agrees_on_random("add_channel", _greys, title="random batches"),
]
