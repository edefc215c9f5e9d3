"""Load test of ``tensordojo serve`` (issue 18), loopback only and bounded:
``python benchmarks/bench_serve.py [N,N,...]`` (default 1,2,4,8).

For each class size N: a server with ``--max-sessions N``; N simulated tabs, each a different
learner, connect over the websocket at once as a browser would, open the workbench and run
``7919 * (i + 7)`` in their REPL. It reports the time from connecting to the lesson list and to
the REPL's answer on screen (a usable REPL) per tab, memory per session (PSS of the server's
children, shared pages split fairly), that one more tab is refused ("class is full"), that each
learner's REPL history landed in their own progress file and nobody else's, and how long the
processes take to end once the tabs close. The largest class the machine holds is estimated from
its memory over the measured memory per session.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.serve_learners import folder_name  # noqa: E402
from tui.serve_sessions import RESERVED_BYTES, machine_memory  # noqa: E402

GUARD_S = 300.0
"""A tab that shows nothing for this long counts as failed (a hang guard, not a target)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            match = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
        except OSError:
            continue
        total += int(match.group(1)) * 1024 if match else 0
    return total


async def refused(base: str, cookies: dict[str, str]) -> bool:
    async with aiohttp.ClientSession(cookies=cookies) as session:
        async with session.ws_connect(base + "ws") as ws:
            message = await ws.receive(timeout=60)
            return message.type == aiohttp.WSMsgType.BINARY and b"class is full" in message.data


def run_class(size: int) -> dict:
    port, home = free_port(), Path(tempfile.mkdtemp(prefix="bench-serve-"))
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--max-sessions",
                               str(size), "--idle-timeout", "0", "--class-dir", str(home / "class")],
                              stdout=subprocess.PIPE, stderr=(home / "server.log").open("w"), text=True, cwd=ROOT,
                              env={**__import__("os").environ, "TENSORDOJO_HOME": str(home)})
    url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
    base, token = url.split("?")[0], url.split("token=")[1]
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)

    def cookies(i: int) -> dict[str, str]:
        return {f"tensordojo_token_{port}": token, f"tensordojo_learner_{port}": f"learner-{i}"}

    result: dict = {"size": size}

    async def measure() -> None:
        # Every tab stays open until all have a usable REPL, so memory is read with the whole class in.
        holders = []
        sessions = [aiohttp.ClientSession(cookies=cookies(i)) for i in range(size)]
        try:
            for i, session in enumerate(sessions):
                holders.append(await session.ws_connect(base + "ws?width=100&height=30", max_msg_size=0))
            await asyncio.gather(*(drive(ws, i) for i, ws in enumerate(holders)))
            result["pss"] = pss_bytes(descendants(server.pid))
            result["processes"] = len(descendants(server.pid))
            result["refused"] = await refused(base, cookies(size))
        finally:
            for ws in holders:
                await ws.close()
            for session in sessions:
                await session.close()

    async def drive(ws: aiohttp.ClientWebSocketResponse, number: int) -> None:
        began, seen, times = time.perf_counter(), b"", {}
        answer = str(7919 * (number + 7)).encode()
        await ws.send_json(["resize", {"width": 100, "height": 30}])
        while "repl" not in times:
            try:
                message = await ws.receive(timeout=GUARD_S)
            except asyncio.TimeoutError:
                break
            if message.type != aiohttp.WSMsgType.BINARY:
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
                continue
            seen += message.data
            if "lessons" not in times and b"Tensors and dtypes" in seen:
                times["lessons"] = time.perf_counter() - began
                await ws.send_json(["stdin", "w"])
                seen = b""
            elif "lessons" in times and "typed" not in times and b"Enter runs" in seen:
                times["typed"] = time.perf_counter() - began  # the workbench's REPL input is on screen
                await ws.send_json(["stdin", f"7919 * ({number} + 7)\r"])
                seen = b""
            elif "typed" in times and answer in seen:
                times["repl"] = time.perf_counter() - began
        result.setdefault("tabs", []).append(times)

    asyncio.run(measure())
    closed = time.perf_counter()
    while descendants(server.pid) and time.perf_counter() - closed < GUARD_S:
        time.sleep(0.1)
    result["ended_s"] = time.perf_counter() - closed
    result["left"] = len(descendants(server.pid))
    server.terminate()
    server.wait(timeout=60)
    result["histories"] = check_histories(home / "class", size)
    result["log"] = home / "server.log"
    return result


def check_histories(class_dir: Path, size: int) -> str:
    """``ok`` when each learner's file holds their own input and no one else's."""
    for i in range(size):
        path = class_dir / folder_name(f"learner-{i}") / "progress.db"
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                inputs = [row[0] for row in db.execute("SELECT source FROM history")]
        except sqlite3.Error as error:
            return f"learner-{i}: {error}"
        if inputs != [f"7919 * ({i} + 7)"]:
            return f"learner-{i}: history {inputs!r}"
    return "ok"


def report(results: list[dict]) -> str:
    lines = ["size  lessons p50/max s  REPL usable p50/max s  PSS/session MB  processes  refused  ended s  left  histories"]
    for r in results:
        lessons = [t["lessons"] for t in r["tabs"] if "lessons" in t]
        repl = [t["repl"] for t in r["tabs"] if "repl" in t]
        failed = r["size"] - len(repl)
        note = f" ({failed} failed; server log {r['log']})" if failed else ""
        lines.append(
            f"{r['size']:>4}  {statistics.median(lessons):6.1f} / {max(lessons):5.1f}     "
            f"{statistics.median(repl) if repl else float('nan'):6.1f} / {max(repl) if repl else float('nan'):5.1f}"
            f"{note}      {r['pss'] / r['size'] / 2**20:8.0f}       {r['processes']:>4}"
            f"     {str(r['refused']):>5}  {r['ended_s']:6.1f}  {r['left']:>4}  {r['histories']}")
    memory = machine_memory()
    per = max(r["pss"] / r["size"] for r in results)
    if memory:
        lines.append(f"Memory {memory / 2**30:.1f} GB; at {per / 2**20:.0f} MB a session (the largest measured), "
                     f"{int((memory - RESERVED_BYTES) // per)} sessions fit, keeping 2 GB for the system.")
    return "\n".join(lines)


def main() -> None:
    sizes = [int(n) for n in (sys.argv[1] if len(sys.argv) > 1 else "1,2,4,8").split(",")]
    results = []
    for size in sizes:
        results.append(run_class(size))
        print(report(results).splitlines()[-1 if not machine_memory() else -2], flush=True)
    print(report(results))


if __name__ == "__main__":
    main()
