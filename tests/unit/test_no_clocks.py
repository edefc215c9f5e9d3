"""No test sleeps for a fixed time or bounds how long something took: both fail on a loaded machine.

A test waits on the event it needs through ``tests/waiting.py`` (the only file allowed to sleep), and
timing is measured in ``benchmarks/`` and ``tensordojo bench``. This check reads every test file's
syntax tree and names each offence with its file and line, so a new one is caught in ``make test``.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ALLOWED = TESTS / "waiting.py"
CLOCKS = {"time", "perf_counter", "monotonic", "perf_counter_ns", "monotonic_ns", "time_ns"}
SLEEPS = {"sleep"}


class _Checker(ast.NodeVisitor):
    """Collects offences in one module: fixed sleeps, pauses with a delay, asserts on elapsed time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offences: list[str] = []
        self.time_aliases: set[str] = set()  # names bound to the time module (``import time as clock``)
        self.asyncio_aliases: set[str] = set()
        self.imported: dict[str, str] = {}  # a name imported from time or asyncio -> its real name
        self.readings: set[str] = set()  # names holding clock readings, in the current function
        self.durations: set[str] = set()  # names holding a difference of clock readings

    def offend(self, node: ast.AST, what: str) -> None:
        self.offences.append(f"{self.path.relative_to(TESTS.parent)}:{node.lineno}: {what}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "time":
                self.time_aliases.add(alias.asname or "time")
            elif alias.name == "asyncio":
                self.asyncio_aliases.add(alias.asname or "asyncio")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module in ("time", "asyncio"):
            for alias in node.names:
                self.imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _called(self, node: ast.Call) -> str | None:
        """``time.sleep``, ``asyncio.sleep``, ``time.monotonic``... for a call of one, else None."""
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in self.time_aliases:
                return f"time.{func.attr}"
            if func.value.id in self.asyncio_aliases:
                return f"asyncio.{func.attr}"
        if isinstance(func, ast.Name):
            return self.imported.get(func.id)
        return None

    def _is_reading(self, node: ast.AST) -> bool:
        """A clock reading: ``time.monotonic()``, a name holding one, or an item of a list of them."""
        if isinstance(node, ast.Call):
            called = self._called(node) or ""
            return called.startswith("time.") and called.split(".")[-1] in CLOCKS
        if isinstance(node, ast.Name):
            return node.id in self.readings
        if isinstance(node, ast.Subscript):
            return self._is_reading(node.value)
        return False

    def _measures_time(self, node: ast.AST) -> bool:
        """Whether an expression holds a time difference (a reading minus another) or a name holding one."""
        for inner in ast.walk(node):
            if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Sub) \
                    and (self._is_reading(inner.left) or self._is_reading(inner.right)):
                return True
            if isinstance(inner, ast.Name) and inner.id in self.durations:
                return True
        return False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer = self.readings, self.durations
        self.readings, self.durations = set(), set()
        self.generic_visit(node)
        self.readings, self.durations = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [n.id for target in node.targets for n in ast.walk(target) if isinstance(n, ast.Name)]
        if self._measures_time(node.value):
            self.durations.update(names)
        elif any(self._is_reading(n) for n in ast.walk(node.value)):
            self.readings.update(names)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        called = self._called(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("append", "extend") and isinstance(func.value, ast.Name) \
                and any(self._is_reading(arg) for arg in node.args):
            self.readings.add(func.value.id)  # a list of clock readings
        if called in ("time.sleep", "asyncio.sleep"):
            zero = node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0
            if not (called == "asyncio.sleep" and zero):  # sleep(0) only yields to the event loop
                self.offend(node, f"{called}(...) waits a fixed time: wait on the event (tests/waiting.py)")
        if isinstance(func, ast.Attribute) and func.attr == "pause" and (node.args or node.keywords) \
                and isinstance(func.value, ast.Name) and "pilot" in func.value.id:
            self.offend(node, "pilot.pause(delay) waits a fixed time: use wait_until (tests/waiting.py)")
        self.generic_visit(node)

    def visit_Assert(self, node: ast.Assert) -> None:
        for compare in [n for n in ast.walk(node.test) if isinstance(n, ast.Compare)]:
            if self._measures_time(compare):
                self.offend(node, "an assert on elapsed time: timing belongs to benchmarks/")
                break
        self.generic_visit(node)


def offences_in(path: Path) -> list[str]:
    """Every offence in one test file."""
    checker = _Checker(path)
    checker.visit(ast.parse(path.read_text(), filename=str(path)))
    return checker.offences


def test_no_test_sleeps_a_fixed_time_or_asserts_on_elapsed_time():
    found = [o for path in sorted(TESTS.rglob("*.py")) if path != ALLOWED for o in offences_in(path)]
    assert found == [], "\n".join(found)


def test_the_check_sees_each_kind_of_offence(tmp_path):
    """So that the check above cannot pass by seeing nothing."""
    sample = TESTS / "unit" / "_no_clocks_sample.py"
    source = '''
import time as clock
from asyncio import sleep as nap
import asyncio

async def test_bad(pilot):
    clock.sleep(0.1)
    await nap(0.2)
    await asyncio.sleep(0)
    await pilot.pause(0.3)
    await pilot.pause()
    began = clock.perf_counter()
    elapsed = clock.perf_counter() - began
    assert elapsed < 1.0
    assert clock.monotonic() - began < 2
    assert began is not None
    reads = []
    reads.append(clock.perf_counter())
    assert reads[1] - reads[0] >= 0.01
'''
    sample.write_text(source)
    try:
        found = offences_in(sample)
    finally:
        sample.unlink()
    lines = sorted(int(o.split(":")[1]) for o in found)
    assert lines == [7, 8, 10, 14, 15, 19]
