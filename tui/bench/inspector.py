"""Inspector benchmark: the cost of the snapshot and trace per REPL run, and tracing's effect on a loop.

Both are measured against the same kernel with the extension's snapshot and trace switched off,
in one run, so the figures are ratios and differences on the same machine state.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

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
    huge_details: list[float] = field(default_factory=list)
    small_details: list[float] = field(default_factory=list)
    huge_peak_kb: int = 0
    huge_cpu: float = 0.0
    """The kernel's CPU seconds for one such detail (median of 10): the work, whatever the load."""

    def report(self) -> str:
        """A human-readable summary."""
        plain, inspected = statistics.median(self.plain_runs), statistics.median(self.inspected_runs)
        traced, untraced = statistics.median(self.loops_traced), statistics.median(self.loops_plain)
        return "\n".join([
            f"run of 1 + 1 with 100 tensors in the namespace: {inspected * 1000:.1f} ms with snapshot and trace, "
            f"{plain * 1000:.1f} ms without (median of {len(self.plain_runs)}): adds {(inspected - plain) * 1000:.1f} ms",
            f"training loop (1000 steps, MLP 16-64-1, batch 256) typed in the REPL, median of "
            f"{len(self.loops_plain)} alternating runs: {traced:.3f} s traced, {untraced:.3f} s untraced: {traced / untraced:.2f}x",
            *self._huge_lines(),
        ])

    def _huge_lines(self) -> list[str]:
        if not self.huge_details:
            return []
        huge, small = statistics.median(self.huge_details), statistics.median(self.small_details)
        return [f"detail pane of a 1 GB tensor (256x1024x1024 float32), median of {len(self.huge_details)}: "
                f"{huge * 1000:.1f} ms (a 10x10 tensor's: {small * 1000:.1f} ms), {self.huge_cpu * 1000:.1f} ms of the "
                f"kernel's CPU; the kernel's peak memory grew {self.huge_peak_kb / 1024:.1f} MB"]


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
        figures = InspectorFigures(plain, inspected, loops_plain, loops_traced)
        await _huge_detail(session, figures)
        return figures
    finally:
        await session.shutdown()


HUGE_PEAK = """\
import resource as _resource
_bench_big = torch.ones(256, 1024, 1024)
_before = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
__tensordojo__.detail('_bench_big')
print(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss - _before)
import time as _time
_cpu = []
for _ in range(10):
    _began = _time.process_time()
    __tensordojo__.detail('_bench_big')
    _cpu.append(_time.process_time() - _began)
print(sorted(_cpu)[5])
"""


async def _detail_seconds(session: KernelSession, name: str) -> float:
    began = time.perf_counter()
    await session.execute("", silent=True, expressions={"d": f"__tensordojo__.detail({name!r})"})
    return time.perf_counter() - began


async def _huge_detail(session: KernelSession, figures: InspectorFigures, runs: int = 10) -> None:
    """The detail pane's request for a 1 GB tensor: time (against a small one's) and peak memory."""
    printed: list[str] = []
    await session.execute(HUGE_PEAK, lambda events: printed.extend(e.text for e in events if isinstance(e, StreamText)))
    figures.huge_peak_kb, figures.huge_cpu = int("".join(printed).split()[0]), float("".join(printed).split()[1])
    await session.execute("_bench_small = torch.ones(10, 10)")
    for _ in range(runs):
        figures.small_details.append(await _detail_seconds(session, "_bench_small"))
        figures.huge_details.append(await _detail_seconds(session, "_bench_big"))
    await session.execute("del _bench_big")


def measure_inspector(runs: int = 50) -> InspectorFigures:
    """Run the inspector benchmark."""
    return asyncio.run(_measure(runs))
