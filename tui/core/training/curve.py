"""A whole run's loss, summarised so that drawing its curve costs the same at step 100 and 100,000.

The training view redraws the full-run curve about three times a second. Averaging every loss into the
curve's columns each time grows with the run (4 ms a redraw at 100,000 steps on our machine),
and that time is taken from the training thread, which waits for the GIL. :class:`LossSummary`
keeps at most :data:`MAX_BUCKETS` buckets of consecutive steps (their sums); when full,
neighbours merge and buckets hold twice as many steps. Short runs keep one step per bucket, so
their curve is exactly the per-step one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_BUCKETS = 1024


@dataclass
class _Sums:
    """Buckets of consecutive values, ``size`` values each but the last, which holds ``tail``
    (1 to ``size``); only their sums are kept."""

    sums: list[float] = field(default_factory=list)
    size: int = 1
    tail: int = 0

    @property
    def count(self) -> int:
        """How many values were added."""
        return (len(self.sums) - 1) * self.size + self.tail if self.sums else 0

    def extend(self, values: list[float]) -> None:
        """Add values in order. This runs on the UI thread about 20 times a second while training,
        so it works on slices (with one step per bucket, a list extend), not value by value: a
        report of 135 losses took 0.2 ms value by value."""
        size, start = self.size, 0
        if self.sums and self.tail < size:  # top up the last bucket first
            start = size - self.tail
            head = values[:start]
            self.sums[-1] += sum(head)
            self.tail += len(head)
        rest = values[start:] if start else values
        if not rest:
            return
        if size == 1:
            self.sums += rest
        else:
            self.sums += [sum(rest[i:i + size]) for i in range(0, len(rest), size)]
        self.tail = len(rest) % size or size
        while len(self.sums) > MAX_BUCKETS:
            self._merge()

    def _merge(self) -> None:
        """Neighbours in pairs: buckets of twice the size (all full but the last, as before)."""
        sums, size = self.sums, self.size
        paired = len(sums) % 2 == 0
        self.sums = [a + b for a, b in zip(sums[::2], sums[1::2])] + ([] if paired else [sums[-1]])
        self.tail += size if paired else 0
        self.size = size * 2

    def columns(self, width: int) -> list[float]:
        """The mean of each of ``width`` equal stretches of the values (a stretch is at least one
        bucket, so with fewer buckets than columns a bucket spans several columns)."""
        sums, size = self.sums, self.size
        n = len(sums)
        per = n / width
        columns = []
        for i in range(width):
            first = int(i * per)
            last = min(n, max(first + 1, int((i + 1) * per)))
            if first < last:
                count = (last - first) * size - (size - self.tail if last == n else 0)
                columns.append(sum(sums[first:last]) / count)
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
        return max(len(self._finite.sums), len(self._positive.sums))
