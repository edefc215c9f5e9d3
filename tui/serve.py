"""``tensordojo serve``: the app in a browser, through textual-serve; every tab its own app and kernel.

Whoever reaches the page gets a Python REPL running as this user, so the server binds to
127.0.0.1 unless ``--allow-remote`` is given; then it also requires a random access token. The
printed URL carries it (``?token=...``); the first request with it sets a cookie that the page's
own requests (the websocket, static files) send back. Anything else is refused with 403.
"""

from __future__ import annotations

import errno
import ipaddress
import secrets
import shlex
import socket
import sys
from typing import Any

COOKIE = "tensordojo_token"


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as error:
        raise ServeError(f"cannot use host {host!r}: {error.strerror or error}") from None
    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def check_port(host: str, port: int) -> None:
    """Fail early, with a clear message, when the address cannot be bound."""
    if not 0 < port < 65536:
        raise ServeError(f"--port {port}: give a port from 1 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} is in use on {host}; pick another with --port") from None
            raise ServeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def app_command(lesson_folders: list[str], watch: bool = False) -> str:
    """The shell command each browser tab runs: this tensordojo, with the same lessons."""
    parts = [sys.executable, "-m", "tui.cli"]
    for folder in lesson_folders:
        parts += ["--lessons", folder]
    if watch:
        parts.append("--watch")
    return shlex.join(parts)


def make_server(command: str, host: str, port: int, token: str | None) -> Any:
    """A textual-serve Server whose every request needs the token (when there is one)."""
    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):
        """textual-serve's server behind a token check, with our own start-up message."""

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if token is not None:
                app.middlewares.append(require_token)
            return app

        async def on_startup(self, app: web.Application) -> None:
            return None  # the command line prints the URL and the warnings itself

    @web.middleware
    async def require_token(request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not secrets.compare_digest(given, token or ""):
            return web.Response(status=403, text="This tensordojo server needs its access token: "
                                                  "open the full URL it printed, with ?token=...\n")
        response = await handler(request)
        if request.query.get("token") and isinstance(response, web.Response | web.StreamResponse) and not response.prepared:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
        return response

    shown_host = f"[{host}]" if ":" in host else host
    return GuardedServer(command, host=host, port=port, title="tensordojo", public_url=f"http://{shown_host}:{port}")


def plan(host: str, port: int, allow_remote: bool) -> tuple[str | None, str]:
    """Check the address and decide on a token; return the token (or None) and the URL to print."""
    loopback = is_loopback(host)
    if not loopback and not allow_remote:
        raise ServeError(f"{host} can be reached from other machines, and whoever opens the page gets a Python "
                         "REPL running as you. Add --allow-remote to accept that (a token is then required)")
    check_port(host, port)
    token = None if loopback else secrets.token_urlsafe(24)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    return token, url
