"""Attacks on ``tensordojo serve`` tried against a real server on 127.0.0.1: every one is refused
with a one-line 403 (or a 400 for malformed input), never a 500, and the token never reaches a log."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from tests.serve.test_serve import Served, first_screen, free_port


# Under pytest-xdist (--dist loadgroup) the module stays on one worker: one server serves it.
pytestmark = pytest.mark.xdist_group("test_serve_security")


@pytest.fixture(scope="module")
def served():
    server = Served("--port", str(free_port()), "--allow-host", "tensordojo.lan",
                    "--allow-origin", "https://proxy.example")
    yield server
    assert server.stop() == 0


async def ask(url: str, headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None):
    async with aiohttp.ClientSession(cookies=cookies) as session:
        async with session.get(url, headers=headers or {}, allow_redirects=False) as response:
            return response.status, await response.text(), response.headers.getall("Set-Cookie", [])


def get(url: str, **kwargs):
    return asyncio.run(ask(url, **kwargs))


def test_without_the_token_or_with_a_wrong_one_every_route_is_refused_in_one_line(served):
    for path in ("", "ws", "static/js/textual.js", "download/x", "?token=wrong"):
        status, text, _ = get(served.base + path)
        assert status == 403 and text.count("\n") == 1 and "token" in text, (path, status, text)


def test_a_non_ascii_or_undecodable_token_is_a_403_not_a_500(served):
    for query in ("?token=%C3%A9t%C3%A9", "?token=%FF%FE", "?token=" + "é" * 40):
        status, text, _ = get(served.base + query)
        assert status == 403 and "Traceback" not in text and served.token not in text


def test_the_token_sets_an_http_only_same_site_strict_cookie_that_then_opens_the_page(served):
    status, page, set_cookie = get(served.url)
    assert status == 200 and "Your name" in page
    [header] = set_cookie
    assert header.startswith(f"{served.cookie}={served.token};") and "HttpOnly" in header
    assert "SameSite=Strict" in header
    status, _, _ = get(served.base, cookies={served.cookie: served.token})
    assert status == 200


def test_a_forged_host_is_refused_even_with_the_token(served):
    status, text, _ = get(served.url, headers={"Host": f"evil.example:{served.port}"})
    assert status == 403 and "Host" in text and "--allow-host" in text
    for good in (f"localhost:{served.port}", f"tensordojo.lan:{served.port}", f"127.0.0.1:{served.port}"):
        assert get(served.url, headers={"Host": good})[0] == 200, good


def test_a_page_from_another_site_cannot_open_the_websocket(served):
    cookies = served.cookies()  # the browser would send the learner's cookies along
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{served.port + 1}"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            asyncio.run(first_screen(served.base + "ws", cookies, headers={"Origin": origin}))
        assert refused.value.status == 403
    status, text, _ = get(served.url, headers={"Origin": "http://evil.example"})
    assert status == 403 and "--allow-origin" in text
    assert get(served.url, headers={"Origin": "https://proxy.example"})[0] == 200


def test_huge_or_broken_headers_are_a_4xx(served):
    status, _, _ = get(served.url, headers={"X-Big": "a" * 20000})
    assert 400 <= status < 500
    with socket.create_connection(("127.0.0.1", served.port)) as raw:
        raw.sendall(b"GET /?token=" + served.token.encode() + b" HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n")
        reply = raw.recv(200)
    assert reply.startswith(b"HTTP/1.1 4"), reply


def test_the_same_origin_page_runs_the_app(served):
    origin = f"http://127.0.0.1:{served.port}"
    screen = asyncio.run(first_screen(served.base + "ws", served.cookies(), headers={"Origin": origin}))
    assert "Tensors and dtypes" in screen


def test_the_token_never_reaches_the_logs():
    server = Served("--port", str(free_port()))
    token = server.url.split("token=")[1]
    try:
        assert get(server.url)[0] == 200
        assert get(server.base + "?token=%C3%A9")[0] == 403
        get(server.base, headers={"X-Big": "a" * 20000})
    finally:
        assert server.stop() == 0
    logs = server.process.stderr.read()
    assert "GET / 200" in logs and "GET / 403" in logs  # the access log is kept, minus the query
    assert token not in logs and "token=" not in logs and "Traceback" not in logs
