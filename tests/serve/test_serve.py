"""``tensordojo serve``: the page and its websocket on 127.0.0.1 with the token, remote only when asked, a clean stop."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.cli_runs import run_cli
from tests.processes import alive, descendants
from tests.waiting import HANG_GUARD, wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:port."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Served:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        assert match, (line, self.process.stderr.read() if self.process.poll() is not None else "")
        self.url = match.group(1)
        self.banner = line
        while "ctrl+c stops the server" not in self.banner:  # the rest of the start-up lines
            self.banner += self.process.stdout.readline()
        self.base = self.url.split("?")[0]
        self.port = port = int(self.base.rsplit(":", 1)[1].strip("/"))
        self.cookie = f"tensordojo_token_{port}"
        self.token = self.url.split("token=")[1] if "token=" in self.url else ""
        wait_for(lambda: listening(port), what=f"the server to listen on port {port}")  # the URL comes just before

    def cookies(self, learner: str | None = "Ana", token: str | None = None) -> dict[str, str]:
        """What a browser sends once it has opened the URL (and, without a roster, given a name)."""
        jar = {self.cookie: token or self.token}
        if learner:
            jar[f"tensordojo_learner_{self.port}"] = learner
        return jar

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=HANG_GUARD)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def kernels_below(pid: int) -> list[int]:
    """The REPL kernels among a process's descendants."""
    found = []
    for child in descendants(pid):
        try:
            if b"ipykernel" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


async def first_screen(ws_url: str, cookies: dict[str, str] | None = None, until=None,
                       headers: dict[str, str] | None = None) -> str:
    """Open the app's websocket as the page does and collect its output until the lesson list shows
    (and, when given, until ``until()`` is true), then close it as a closed tab would."""
    seen = b""
    async with aiohttp.ClientSession(cookies=cookies) as session:
        async with session.ws_connect(ws_url + "?width=100&height=30", headers=headers or {}) as ws:
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            deadline = time.monotonic() + HANG_GUARD  # a guard against a hang, not a time limit
            while time.monotonic() < deadline and b"Tensors and dtypes" not in seen:
                message = await ws.receive(timeout=deadline - time.monotonic())
                if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    seen += message.data if isinstance(message.data, bytes) else message.data.encode()
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            while until is not None and not until() and time.monotonic() < deadline:
                try:
                    await ws.receive(timeout=0.2)
                except asyncio.TimeoutError:
                    pass
    return seen.decode("utf-8", "replace")


@pytest.fixture(autouse=True)
def linux_only():
    if not Path("/proc").is_dir():
        pytest.skip("checks child processes through /proc")


def test_the_page_and_its_websocket_serve_the_app_and_a_closed_tab_ends_it():
    served = Served("--port", str(free_port()))
    try:
        token = served.url.split("token=")[1]  # loopback too: a page from another site can reach 127.0.0.1
        asks = asyncio.run(fetch(served.url))
        assert asks[0] == 200 and "Your name" in asks[1] and "trust" in asks[1]  # no roster: the page asks a name
        page = asyncio.run(fetch(served.url + "&name=Ana"))
        assert page[0] == 200 and "tensordojo" in page[1] and f"ws://{served.base.split('//')[1]}ws" in page[1]
        kernels: list[int] = []
        screen = asyncio.run(first_screen(served.base + "ws", cookies=page[2],
                                          until=lambda: bool(kernels.extend(kernels_below(served.process.pid)) or kernels)))
        assert page[2] == served.cookies("Ana")
        assert "Tensors and dtypes" in screen and kernels  # the tab's app started its own kernel
        wait_for(lambda: not descendants(served.process.pid) and not any(map(alive, kernels)),
                 "the closed tab's app and kernel to end")
    finally:
        assert served.stop() == 0


async def fetch(url: str, cookies: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession(cookies=cookies) as session:
        async with session.get(url) as response:
            return response.status, await response.text(), {k: v.value for k, v in response.cookies.items()}


def test_remote_needs_allow_remote_then_a_token_on_every_request(capsys):
    port = free_port()
    refused = run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", str(port))
    assert refused.returncode == 2 and "--allow-remote" in refused.stderr
    served = Served("--host", "0.0.0.0", "--port", str(port), "--allow-remote")
    try:
        token = served.url.split("token=")[1]
        assert len(token) >= 24
        local = f"http://127.0.0.1:{port}/"
        status, text, _ = asyncio.run(fetch(local))
        assert status == 403 and "access token" in text
        status, _, _ = asyncio.run(fetch(local + "?token=wrong"))
        assert status == 403
        status, page, cookies = asyncio.run(fetch(f"{local}?token={token}"))
        assert status == 200 and cookies.get(served.cookie) == token
        with pytest.raises(aiohttp.WSServerHandshakeError):
            asyncio.run(first_screen(f"ws://127.0.0.1:{port}/ws"))
        assert "Tensors and dtypes" in asyncio.run(first_screen(f"ws://127.0.0.1:{port}/ws", served.cookies()))
    finally:
        assert served.stop() == 0
    assert "WARNING" in served.process.stderr.read()


def test_a_port_in_use_and_a_bad_host_are_one_line_errors(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli(capsys, "serve", "--port", str(port))
    assert done.returncode == 2 and f"port {port} is in use" in done.stderr
    bad = run_cli(capsys, "serve", "--host", "no-such-host.invalid")
    assert bad.returncode == 2 and "cannot use host" in bad.stderr and "Traceback" not in bad.stderr
