"""Benchmark of the shape inspector (issue 4): ``python benchmarks/bench_inspector.py [RUNS]``.

Targets: the snapshot and trace add under 30 ms to a REPL run with 100 tensors in the namespace;
a training loop typed into the REPL is not slowed more than 2x by tracing.
"""

from __future__ import annotations

import sys

from tui.bench.inspector import measure_inspector


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(measure_inspector(runs).report())


if __name__ == "__main__":
    main()
