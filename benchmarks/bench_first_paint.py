"""Benchmark: time from process start to the first painted screen, and what is imported on the way.

Run with ``make bench`` or ``python benchmarks/bench_first_paint.py [RUNS]``. The target is under
0.5 s on the project's 2-core machine, with torch not imported before the first screen.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path

from tui.bench.first_paint import measure_first_paint, time_one_launch

BARE_APP = str(Path(__file__).with_name("bare_list_app.py"))


def slowest_imports(module: str = "tui.app", count: int = 8) -> list[tuple[int, str]]:
    """The modules with the largest cumulative import time (µs) when importing ``module``."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                            capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+(\S.*)", line)
        if match and not match.group(2).startswith(" "):  # top-level imports only
            rows.append((int(match.group(1)), match.group(2).strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    times = measure_first_paint(runs)
    print(times.report())
    bare = statistics.median(time_one_launch(args=[BARE_APP]) for _ in range(runs))
    print(f"bare Textual app with a list: median {bare * 1000:.0f} ms; tensordojo / bare = {times.median / bare:.2f}")
    print("\nslowest top-level imports of tui.app (cumulative):")
    for micros, name in slowest_imports():
        print(f"  {micros / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
