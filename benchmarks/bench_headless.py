"""``tensordojo train`` as a new user runs it against a bare loop (issue 23): ``python benchmarks/bench_headless.py``.

Each side runs in a fresh interpreter, started the way a user would start it (no ``OMP_NUM_THREADS``,
no thread setting of ours around it): the headless command reads its own steps/s from its final
JSON line, and the bare loop, a plain tutorial loop over the same model, data and optimizer with
``torch.set_num_threads(1)``, prints its own. Runs alternate (bare, headless, bare, ...) and each
headless run is divided by the mean of the bare runs just before and after it, so the machine's
load drifting between runs cancels out; the median of those ratios is the figure (target >= 0.97).
``--threads-default`` runs the bare side with torch's default thread count instead, to show what the
headless command used to get on a loaded machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

STEPS = 3000
PAIRS = 5

BARE = """
import sys, time, torch
from tui.core.training.config import TrainConfig
from tui.core.training.engine import Trainer
if sys.argv[2] == "one":
    torch.set_num_threads(1)
steps = int(sys.argv[1])
trainer = Trainer(TrainConfig(dataset="spirals", hidden=(64, 64), optimizer="adam", lr=0.01, batch_size=256,
                              device="cpu", steps=steps))
model, optimizer, loss_fn, data = trainer.model, trainer.optimizer, trainer.loss_fn, trainer.data
n = data.inputs.shape[0]
began = time.perf_counter()
for _ in range(steps):
    index = torch.randint(0, n, (256,), generator=trainer.generator)
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(data.inputs[index]), data.targets[index])
    loss.backward()
    optimizer.step()
print(steps / (time.perf_counter() - began))
"""


def bare(steps: int, threads: str) -> float:
    """Steps/s of the bare loop in a fresh interpreter (``threads``: ``one`` or ``default``)."""
    out = subprocess.run([sys.executable, "-c", BARE, str(steps), threads], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def headless(steps: int) -> float:
    """Steps/s that ``tensordojo train --jsonl`` reports for itself, run as a user runs it."""
    command = [sys.executable, "-m", "tui", "train", "--jsonl", "--device", "cpu", "--steps", str(steps)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["steps_per_s"])


def main(argv: list[str]) -> None:
    threads = "default" if "--threads-default" in argv else "one"
    bares, heads, ratios = [bare(STEPS, threads)], [], []
    for _ in range(PAIRS):
        heads.append(headless(STEPS))
        bares.append(bare(STEPS, threads))
        ratios.append(heads[-1] / ((bares[-2] + bares[-1]) / 2))
    print(json.dumps({"bare_threads": threads, "bare_steps_per_s": round(statistics.median(bares), 1),
                      "headless_steps_per_s": round(statistics.median(heads), 1),
                      "ratio_headless_over_bare": round(statistics.median(ratios), 3),
                      "ratios": [round(r, 3) for r in ratios]}))


if __name__ == "__main__":
    main(sys.argv[1:])
