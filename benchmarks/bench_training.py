"""Benchmark of the live training view (issue 6): ``python benchmarks/bench_training.py [DEVICE]``.

Targets: in-app and headless steps/s at least 0.97 of a bare loop; UI event-loop lag while training
p99 <= 16 ms and max <= 50 ms; key press to redraw p95 <= 33 ms. Also ``tensordojo bench --json``.
"""

from __future__ import annotations

import json
import sys

from tui.bench.training import measure_training


def main() -> None:
    figures = measure_training(sys.argv[1] if len(sys.argv) > 1 else "cpu")
    print(figures.report())
    print(json.dumps(figures.summary()))


if __name__ == "__main__":
    main()
