"""Sessions of ``tensordojo serve``: the limit (a "class is full" page, no new processes), the idle
timeout (a notice, then the tab's processes end), and a SIGKILLed server's tabs ending with it."""

from __future__ import annotations

import asyncio
import os
import signal

import aiohttp
import pytest

from tests.processes import descendants
from tests.serve.test_serve import Served, free_port, kernels_below
from tests.waiting import HANG_GUARD, wait_for
from tui.serve_sessions import default_max_sessions, parse_duration


async def collect_until_closed(ws: aiohttp.ClientWebSocketResponse) -> bytes:
    seen = b""
    while True:
        message = await ws.receive(timeout=HANG_GUARD)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return seen
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data


def test_past_the_limit_a_tab_is_told_the_class_is_full_and_an_idle_tab_ends_with_a_notice():
    served = Served("--port", str(free_port()), "--max-sessions", "1", "--idle-timeout", "6s")
    token = served.url.split("token=")[1]
    cookies = served.cookies()
    assert "Up to 1 sessions at once (--max-sessions)" in served.banner and "after 6 s without input" in served.banner

    async def class_of_one() -> tuple[int, str, bytes, bytes]:
        async with aiohttp.ClientSession(cookies=cookies) as session:
            async with session.ws_connect(served.base + "ws?width=80&height=24") as first:
                await first.send_json(["resize", {"width": 80, "height": 24}])
                await first.receive(timeout=HANG_GUARD)  # the first tab's app is running
                async with session.get(served.base) as page:
                    status, text = page.status, await page.text()
                async with session.ws_connect(served.base + "ws") as second:
                    refused = await collect_until_closed(second)
                started = len(descendants(served.process.pid))
                ended = await collect_until_closed(first)  # no input: the idle timeout ends it
                return status, text, refused, ended, started

    try:
        status, text, refused, ended, started = asyncio.run(class_of_one())
        assert status == 503 and "The class is full" in text and "--max-sessions" in text
        assert b"The class is full" in refused
        assert started <= 2  # one app and its kernel at most: the refused tab started nothing
        assert b"ended after 6 s without input" in ended
        wait_for(lambda: not descendants(served.process.pid), "the idle tab's app and kernel to end")
    finally:
        assert served.stop() == 0


def test_a_sigkilled_server_takes_its_tabs_apps_and_kernels_with_it():
    served = Served("--port", str(free_port()))
    token = served.url.split("token=")[1]
    tree: list[int] = []

    async def open_tab_then_kill() -> None:
        async with aiohttp.ClientSession(cookies=served.cookies()) as session:
            async with session.ws_connect(served.base + "ws?width=80&height=24") as ws:
                await ws.send_json(["resize", {"width": 80, "height": 24}])

                def kernel_up() -> bool:
                    return bool(kernels_below(served.process.pid))

                while not kernel_up():
                    try:
                        await ws.receive(timeout=0.2)  # keeps the tab served while its kernel starts
                    except asyncio.TimeoutError:
                        pass
                tree.extend(descendants(served.process.pid))
                os.kill(served.process.pid, signal.SIGKILL)

    try:
        asyncio.run(open_tab_then_kill())
    except (aiohttp.ClientError, ConnectionError):
        pass  # the server vanished under the tab: expected
    served.process.wait()
    assert len(tree) >= 2
    wait_for(lambda: not any(os.path.exists(f"/proc/{pid}") and _running(pid) for pid in tree),
             "the killed server's app and kernel to end")


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_durations_and_the_memory_default():
    assert parse_duration("2h") == 7200 and parse_duration("90m") == 5400 and parse_duration("45") == 45
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")
    assert default_max_sessions(24 * 2**30) == (24 - 2) * 1024 // 400
    assert default_max_sessions(1 * 2**30) == 1 and default_max_sessions(None) == 8
