"""Benchmark of the tensor REPL (issue 3): ``python benchmarks/bench_repl.py [ROUND_TRIPS]``.

Targets: kernel ready within 2.5 s of launch; 1 + 1 from Enter to result drawn p50 < 8 ms and
p95 < 15 ms; interrupt drawn within 100 ms of ctrl+c; crash to a usable kernel within 3 s; a
flood of printed lines keeps the UI responsive.
"""

from __future__ import annotations

import sys

from tui.bench.repl import measure_repl


def main() -> None:
    round_trips = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(measure_repl(round_trips).report())


if __name__ == "__main__":
    main()
