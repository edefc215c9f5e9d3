"""The full-run loss curve's summary: exact for short runs, bounded and close for long ones."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.training.curve import MAX_BUCKETS, LossSummary
from tui.widgets.training.render import loss_curve


def naive_columns(values: list[float], width: int) -> list[float]:
    """Every value averaged into ``width`` stretches (what the curve drew before the summary)."""
    per = len(values) / width
    return [sum(chunk) / len(chunk) for i in range(width)
            if (chunk := values[int(i * per):max(int(i * per) + 1, int((i + 1) * per))])]


def test_a_short_run_is_summarised_exactly_one_step_per_bucket():
    values = [1 / (1 + i) + (i % 7) * 0.01 for i in range(700)]
    summary = LossSummary()
    summary.add(values[:300])
    summary.add(values[300:])
    assert summary.count() == 700 and summary.buckets == 700
    for width in (50, 70, 700, 900):  # fewer columns than steps, as many, and more
        assert summary.columns(width) == naive_columns(values, width)


def test_a_long_run_keeps_a_bounded_summary_close_to_the_exact_curve():
    values = [0.1 + 2.0 / (1 + i / 500) + 0.05 * math.sin(i / 50) for i in range(100_000)]
    summary = LossSummary()
    for start in range(0, len(values), 97):  # reports of any size
        summary.add(values[start:start + 97])
    assert summary.count() == 100_000
    assert MAX_BUCKETS // 2 <= summary.buckets <= MAX_BUCKETS
    exact = naive_columns(values, 70)
    close = summary.columns(70)
    assert len(close) == len(exact)
    span = max(exact) - min(exact)
    assert max(abs(a - b) for a, b in zip(close, exact)) < 0.01 * span  # under one of the 64 levels the curve draws


def test_non_finite_losses_are_left_out_and_a_log_scale_uses_positive_ones():
    summary = LossSummary()
    summary.add([0.5, float("nan"), 0.0, float("inf"), 0.25, -0.1])
    assert summary.count() == 4 and summary.count(log=True) == 2
    assert summary.columns(2, log=True) == [0.5, 0.25]
    text = loss_curve(summary, 40, 4, log=True).plain
    assert "steps 1 to 2 (log scale)" in text


def test_the_curve_waits_for_two_points():
    summary = LossSummary()
    summary.add([0.7])
    assert "appears once training starts" in loss_curve(summary, 40, 4).plain


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=40), st.integers(0, 2**16))
def test_buckets_are_aligned_sums_however_the_reports_are_cut(sizes, seed):
    """Whatever the report sizes, each bucket holds the sum of the same ``size`` consecutive
    losses it would hold if they had come one at a time (whole numbers, so sums are exact)."""
    values = [float((seed * 31 + i * 17) % 97) for i in range(sum(sizes))]
    summary = LossSummary()
    start = 0
    for size in sizes:
        summary.add(values[start:start + size])
        start += size
    kept = summary._finite
    assert kept.count == len(values) and len(kept.sums) <= MAX_BUCKETS
    assert kept.sums == [sum(values[i:i + kept.size]) for i in range(0, len(values), kept.size)]
    assert summary.columns(1) == [sum(values) / len(values)]
