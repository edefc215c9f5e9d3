"""Cost of shape tracing on a training loop (issue 21): ``python benchmarks/bench_trace_overhead.py [ROUNDS]``.

The loop is lesson 10's (``training_loop``): a 3-4-2 MLP, Adam, mean squared error, one batch
of 8. Each round runs it untraced, traced (a fresh ShapeTracer around the loop, as the REPL puts
one around a cell), then untraced again; steps/s are CPU time of this process, so other load on
the machine weighs less. Reports the median over rounds of traced / untraced (target >= 0.9) and,
for scale, the same for an empty TorchFunctionMode that only passes every call through.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.overrides import TorchFunctionMode  # noqa: E402

from tui.core.tracing.tracer import ShapeTracer  # noqa: E402

STEPS = 2000


class PassThrough(TorchFunctionMode):
    """A mode that does nothing: the floor any torch-function tracer pays per op."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


def lesson_loop(steps: int) -> float:
    """Steps per CPU second of lesson 10's training loop."""
    torch.manual_seed(0)
    X, Y = torch.randn(8, 3), torch.rand(8, 2)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    start = time.process_time()
    for _ in range(steps):
        opt.zero_grad(); loss = ((model(X) - Y) ** 2).mean(); loss.backward(); opt.step()  # noqa: E702
    return steps / (time.process_time() - start)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    torch.set_num_threads(1)
    lesson_loop(200)  # warm up: the first Adam imports torch._dynamo
    traced, passthrough, plain = [], [], []
    for _ in range(rounds):
        before = lesson_loop(STEPS)
        with ShapeTracer(lambda name: name == __file__):
            t = lesson_loop(STEPS)
        with PassThrough():
            p = lesson_loop(STEPS)
        after = lesson_loop(STEPS)
        base = (before + after) / 2
        plain.append(base)
        traced.append(t / base)
        passthrough.append(p / base)
    print(f"untraced: median {statistics.median(plain):.0f} steps/s over {rounds} rounds of {STEPS} steps")
    print(f"traced / untraced: median {statistics.median(traced):.3f} (min {min(traced):.3f}, max {max(traced):.3f})")
    print(f"pass-through mode / untraced: median {statistics.median(passthrough):.3f}")


if __name__ == "__main__":
    main()
