"""Data-parallel on the CPU (issue 23): ``python benchmarks/bench_ranks.py [STEPS]``.

For the default MLP (64,64) and a wider one (1024,1024, where compute outweighs the all-reduce),
``tensordojo train --nproc 2`` and ``--nproc 1`` run alternately, each as a user runs it (a fresh
command, batch 256 per rank). The figure is the throughput ratio, global samples/s of 2 ranks over
1 (2.0 would be perfect scaling), each 2-rank run divided by the mean of the 1-rank runs just
before and after it, median of the pairs; with the median share of a rank's time spent in the
gradient all-reduce (DDP's hook timed) and each side's steps/s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

PAIRS = 3
MODELS = {"default 64,64": ("64,64", 2000), "wide 1024,1024": ("1024,1024", 300)}


def run(hidden: str, steps: int, nproc: int) -> dict:
    """The summary line of one ``tensordojo train --jsonl`` run."""
    command = [sys.executable, "-m", "tui", "train", "--jsonl", "--device", "cpu", "--hidden", hidden,
               "--steps", str(steps), "--nproc", str(nproc)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def samples_per_s(summary: dict) -> float:
    """Global samples/s (a one-process summary has no samples/s: steps/s x the batch)."""
    return summary.get("samples_per_s") or summary["steps_per_s"] * 256


def main(argv: list[str]) -> None:
    scale = float(argv[0]) if argv else 1.0
    results = {}
    for name, (hidden, steps) in MODELS.items():
        steps = max(50, int(steps * scale))
        ones, twos, ratios, shares = [run(hidden, steps, 1)], [], [], []
        for _ in range(PAIRS):
            twos.append(run(hidden, steps, 2))
            ones.append(run(hidden, steps, 1))
            ratios.append(samples_per_s(twos[-1]) / ((samples_per_s(ones[-2]) + samples_per_s(ones[-1])) / 2))
            shares += [rank["allreduce_share"] for rank in twos[-1]["ranks"]]
        results[name] = {"steps": steps, "ratio_samples_2_over_1": round(statistics.median(ratios), 3),
                         "ratios": [round(r, 3) for r in ratios],
                         "allreduce_share_median": round(statistics.median(shares), 3),
                         "steps_per_s_1": round(statistics.median(s["steps_per_s"] for s in ones), 1),
                         "steps_per_s_2": round(statistics.median(s["steps_per_s"] for s in twos), 1)}
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
