"""A whole run's loss, summarised so that drawing its curve costs the same at step 100 and 100,000.

The training view redraws the full-run curve about three times a second. Averaging every loss into the
curve's columns each time grows with the run (4 ms a redraw at 100,000 steps on our machine),
and that time is taken from the training thread, which waits for the GIL. :class:`LossSummary`
keeps at most :data:`MAX_BUCKETS` buckets of consecutive steps (sum and count); when full,
neighbours merge and buckets hold twice as many steps. Short runs keep one step per bucket, so
their curve is exactly the per-step one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_BUCKETS = 1024


@dataclass
class _Sums:
    """Buckets of consecutive values: each a [sum, count]; all full but the last."""

    buckets: list[list[float]] = field(default_factory=list)
    size: int = 1
    count: int = 0

    def extend(self, values: list[float]) -> None:
        """Add values in order: a bucket at a time, not a value at a time (this runs on the UI thread
        about 20 times a second while training)."""
        start = 0
        while start < len(values):
            if not self.buckets or self.buckets[-1][1] >= self.size:
                if len(self.buckets) == MAX_BUCKETS:  # all full: merged pairs are full at twice the size
                    self.buckets = [[a[0] + b[0], a[1] + b[1]] for a, b in zip(self.buckets[::2], self.buckets[1::2])]
                    self.size *= 2
                self.buckets.append([0.0, 0])
            last = self.buckets[-1]
            chunk = values[start:start + self.size - int(last[1])]
            last[0] += sum(chunk)
            last[1] += len(chunk)
            self.count += len(chunk)
            start += len(chunk)

    def columns(self, width: int) -> list[float]:
        """The mean of each of ``width`` equal stretches of the values (a stretch is at least one
        bucket, so with fewer buckets than columns a bucket spans several columns)."""
        n = len(self.buckets)
        per = n / width
        columns = []
        for i in range(width):
            chunk = self.buckets[int(i * per):max(int(i * per) + 1, int((i + 1) * per))]
            if chunk:
                columns.append(sum(b[0] for b in chunk) / sum(b[1] for b in chunk))
        return columns


class LossSummary:
    """Every finite loss of a run, in bounded space; positive ones also apart, for a log scale."""

    def __init__(self) -> None:
        self._finite = _Sums()
        self._positive = _Sums()

    def add(self, losses: list[float]) -> None:
        """Take the next steps' losses (NaN and infinity are left out of the curve)."""
        finite = [value for value in losses if math.isfinite(value)]
        self._finite.extend(finite)
        self._positive.extend([value for value in finite if value > 0])

    def count(self, log: bool = False) -> int:
        """How many losses the curve shows (only positive ones on a log scale)."""
        return (self._positive if log else self._finite).count

    def columns(self, width: int, log: bool = False) -> list[float]:
        """The mean loss in each of ``width`` columns across the whole run."""
        return (self._positive if log else self._finite).columns(width)

    @property
    def buckets(self) -> int:
        """How many buckets are kept (never more than :data:`MAX_BUCKETS`)."""
        return max(len(self._finite.buckets), len(self._positive.buckets))
