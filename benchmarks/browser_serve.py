"""``tensordojo serve`` tried in a real browser (issue 18): headless Chromium driven over its DevTools
protocol. ``python benchmarks/browser_serve.py [SCREENSHOT_DIR]``; needs Debian's ``chromium``.

It opens the printed token URL, checks the name page (and that it says it is trust-based), gives a
name, waits for the terminal, opens the first lesson with Enter, goes back, opens the workbench
with ``w`` and runs ``7919 * 7`` in the REPL. The terminal draws on a canvas, so the checks read
what the learner's own progress file recorded (the lesson opened, the REPL input kept) and
screenshots are saved to look at. Prints one line per check; exits 1 if any fails.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.serve_learners import folder_name  # noqa: E402

GUARD_S = 120.0
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--window-size=1200,800"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def until(check, what: str, guard: float = GUARD_S):
    deadline = time.monotonic() + guard
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


class Page:
    """One tab, over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.ids = ws, itertools.count(1)

    async def call(self, method: str, **params):
        number = next(self.ids)
        await self.ws.send_json({"id": number, "method": method, "params": params})
        while True:
            reply = json.loads((await self.ws.receive()).data)
            if reply.get("id") == number:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def js(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def key(self, key: str, text: str = "", code: int = 0) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, text=text if kind == "keyDown" else "",
                            windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def shot(self, folder: Path, name: str) -> Path:
        data = (await self.call("Page.captureScreenshot", format="png"))["data"]
        path = folder / f"{name}.png"
        path.write_bytes(base64.b64decode(data))
        return path


def read(db: Path, query: str) -> list:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute(query).fetchall()
    except sqlite3.Error:
        return []


async def drive(url: str, devtools_port: int, db: Path, shots: Path) -> list[str]:
    done: list[str] = []
    async with aiohttp.ClientSession() as http:
        targets = await until(lambda: _targets(http, devtools_port), "Chromium's DevTools endpoint")
        page_target = next(t for t in targets if t["type"] == "page")
        async with http.ws_connect(page_target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Page.enable")
            await page.call("Page.navigate", url=url)
            text = await until(lambda: page.js("document.body && document.body.innerText"), "the name page")
            assert "Your name" in text and "trust" in text, text
            done.append("token URL opens the name page, which says it works on trust")
            await page.shot(shots, "1-name-page")
            await page.js("document.querySelector('#name').value = 'Browser Learner'; document.querySelector('form').submit()")
            await until(lambda: page.js("document.body.classList.contains('-first-byte')"), "the terminal's first bytes")
            await asyncio.sleep(2)  # the first screen paints (only the screenshot needs it)
            await page.shot(shots, "2-lessons")
            done.append("after the name, the terminal shows the app")
            await page.js("document.querySelector('.xterm-helper-textarea').focus()")
            await page.key("Enter", "\r", 13)
            await until(lambda: _sync(read(db, "SELECT lesson_id FROM lessons")), "the first lesson to be opened")
            await asyncio.sleep(1)
            await page.shot(shots, "3-lesson")
            done.append(f"Enter opened a lesson: {read(db, 'SELECT lesson_id, step_id FROM lessons')}")
            await page.key("Escape", "\x1b", 27)
            await asyncio.sleep(1)
            await page.type("w")
            await asyncio.sleep(2)
            await page.type("7919 * 7")
            await page.key("Enter", "\r", 13)
            await until(lambda: _sync(read(db, "SELECT source FROM history")), "the REPL input to be kept")
            await asyncio.sleep(1)
            await page.shot(shots, "4-repl")
            done.append(f"the REPL ran and kept: {read(db, 'SELECT source FROM history')}")
    return done


async def _sync(value):
    return value


async def _targets(http: aiohttp.ClientSession, port: int):
    try:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            return [t for t in await response.json() if t.get("type") == "page"] or None
    except (aiohttp.ClientError, ValueError):
        return None


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("no chromium here (Debian: apt-get install chromium); nothing tried")
        return 0
    shots = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="browser-serve-"))
    shots.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="browser-serve-home-"))
    port, devtools = free_port(), free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--class-dir",
                               str(home / "class")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              cwd=ROOT, env={**os.environ, "TENSORDOJO_HOME": str(home)})
    url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
    chromium = subprocess.Popen([browser, *FLAGS, f"--remote-debugging-port={devtools}",
                                 f"--user-data-dir={home / 'chromium'}", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = home / "class" / folder_name("Browser Learner") / "progress.db"
    try:
        for line in asyncio.run(drive(url, devtools, db, shots)):
            print("ok:", line)
        print(f"screenshots in {shots}")
        return 0
    except AssertionError as failed:
        print("FAILED:", failed)
        return 1
    finally:
        chromium.terminate()
        chromium.wait(timeout=30)
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
