"""Inspector benchmark: the cost of the snapshot and trace per REPL run, and tracing's effect on a loop.

Both are measured against the same kernel with the extension's snapshot and trace switched off,
in one run, so the figures are ratios and differences on the same machine state.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

from tui.kernel.events import StreamText
from tui.kernel.session import KernelSession

SETUP = "for _i in range(100):\n    globals()[f'bench_t{_i}'] = torch.randn(32, 32)\n"
LOOP = """\
import time as _time
torch.manual_seed(0)
_net = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 1))
_opt = torch.optim.SGD(_net.parameters(), lr=0.01)
_x, _y = torch.randn(256, 16), torch.randn(256, 1)
_began = _time.perf_counter()
for _step in range(1000):
    _opt.zero_grad()
    _loss = F.mse_loss(_net(_x), _y)
    _loss.backward()
    _opt.step()
print(_time.perf_counter() - _began)
"""


@dataclass
class InspectorFigures:
    """Seconds: run latencies with and without the inspector's work, and the loop's time."""

    plain_runs: list[float]
    inspected_runs: list[float]
    loops_plain: list[float]
    loops_traced: list[float]

    def report(self) -> str:
        """A human-readable summary."""
        plain, inspected = statistics.median(self.plain_runs), statistics.median(self.inspected_runs)
        traced, untraced = statistics.median(self.loops_traced), statistics.median(self.loops_plain)
        return "\n".join([
            f"run of 1 + 1 with 100 tensors in the namespace: {inspected * 1000:.1f} ms with snapshot and trace, "
            f"{plain * 1000:.1f} ms without (median of {len(self.plain_runs)}): adds {(inspected - plain) * 1000:.1f} ms",
            f"training loop (1000 steps, MLP 16-64-1, batch 256) typed in the REPL, median of "
            f"{len(self.loops_plain)} alternating runs: {traced:.3f} s traced, {untraced:.3f} s untraced: {traced / untraced:.2f}x",
        ])


async def _timed_runs(session: KernelSession, count: int) -> list[float]:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        await session.execute("1 + 1")
        times.append(time.perf_counter() - began)
    return times


async def _loop_seconds(session: KernelSession) -> float:
    printed: list[str] = []
    await session.execute(LOOP, lambda events: printed.extend(e.text for e in events if isinstance(e, StreamText)))
    return float("".join(printed).strip().splitlines()[-1])


async def _measure(runs: int) -> InspectorFigures:
    session = KernelSession()
    await session.start()
    try:
        await session.execute(SETUP)
        await _loop_seconds(session)  # warm-up: imports, first optimizer
        off = "__tensordojo__.publishing = False; __tensordojo__.tracing = False"
        on = "__tensordojo__.publishing = True; __tensordojo__.tracing = True"
        await session.execute(off)
        plain = await _timed_runs(session, runs)
        await session.execute(on)
        inspected = await _timed_runs(session, runs)
        loops_plain, loops_traced = [], []
        for _ in range(3):  # alternate, so drift on a shared machine hits both sides
            await session.execute(off)
            loops_plain.append(await _loop_seconds(session))
            await session.execute(on)
            loops_traced.append(await _loop_seconds(session))
        return InspectorFigures(plain, inspected, loops_plain, loops_traced)
    finally:
        await session.shutdown()


def measure_inspector(runs: int = 50) -> InspectorFigures:
    """Run the inspector benchmark."""
    return asyncio.run(_measure(runs))
