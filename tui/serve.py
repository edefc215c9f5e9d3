"""``tensordojo serve``: the app in a browser, through textual-serve; every tab its own app and kernel.

Whoever reaches the page gets a Python REPL running as this user, so the server binds to
127.0.0.1 unless ``--allow-remote`` is given, and every server, loopback included, requires a
random access token and checks ``Host`` and ``Origin`` (see ``serve_guard.py``).
"""

from __future__ import annotations

import errno
import logging
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from tui.core.paths import HOME_VARIABLE

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
    # exec: the app replaces textual-serve's shell, so it is the server's own child and can ask to
    # end with it (tui/core/processes/parent_death.py); a shell in between would outlive a killed server.
    return "exec " + shlex.join(parts)


def make_server(command: str, host: str, port: int, guard: Any, sessions: Any, class_dir: Path) -> Any:
    """A textual-serve Server behind ``guard`` (a :class:`tui.serve_guard.Guard`) that holds at most
    ``sessions.limit`` tabs and ends idle ones (a :class:`tui.serve_sessions.Sessions`), each tab's
    app running on its learner's own data folder under ``class_dir``."""
    from urllib.parse import quote, unquote

    import asyncio
    import time
    import uuid

    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    from tui.serve_learners import check_name, learner_home, name_page
    from tui.serve_sessions import FULL_PAGE

    learner_cookie = f"tensordojo_learner_{port}"

    def learner_of(request: web.Request) -> str | None:
        """The roster learner the token names, else the name this browser gave."""
        if request.get("learner"):
            return request["learner"]
        try:
            return check_name(unquote(request.cookies.get(learner_cookie, ""), errors="strict"))
        except (ValueError, UnicodeError):
            return None

    from tui.serve_guard import RedactingAccessLogger, make_middleware, quiet_logging

    class GuardedServer(Server):
        """textual-serve's server behind the guard, with our own start-up message and logging."""

        def initialize_logging(self) -> None:
            # Plain lines, no tracebacks with locals (textual-serve's default printed the token's value).
            quiet_logging()

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(make_middleware(guard))
            return app

        async def on_startup(self, app: web.Application) -> None:
            return None  # the command line prints the URL and the warnings itself

        async def handle_index(self, request: web.Request) -> Any:
            # The page's own URLs (static files, websocket) use the host the browser asked for, so a
            # tab opened on localhost talks to localhost, with its cookie. Host was checked already,
            # and the handler does not await before reading public_url.
            if sessions.full:
                return web.Response(status=503, text=FULL_PAGE.format(limit=sessions.limit), content_type="text/html")
            learner, given = learner_of(request), request.query.get("name")
            if learner is None and given is not None:
                try:
                    learner = check_name(given)
                except ValueError as why:
                    return web.Response(text=name_page(str(why)), content_type="text/html")
            if learner is None:
                return web.Response(text=name_page(), content_type="text/html")
            self.public_url = f"http://{request.host}"
            response = await super().handle_index(request)
            if given is not None and not request.get("learner"):
                response.set_cookie(learner_cookie, quote(learner), httponly=True, samesite="Strict", path="/")
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's handler, plus the session limit, the idle timeout, and no traceback
            # for a malformed message.
            websocket = web.WebSocketResponse(heartbeat=15)
            session_id = uuid.uuid4().hex
            await websocket.prepare(request)
            learner = learner_of(request)
            if learner is None:
                await websocket.send_bytes(b"\r\n  Open the page's address again and give your name first.\r\n")
                await websocket.close()
                return websocket
            if not sessions.enter(session_id):
                await websocket.send_bytes(sessions.full_notice())
                await websocket.close()
                return websocket
            width, height = to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None
            idle: asyncio.Task | None = None
            last_input = [time.monotonic(), 0.0]  # when the learner last typed; 1.0 once the idle end began
            try:

                async def close() -> None:  # the app's process ended: after its last output, the idle notice
                    if last_input[1] and not websocket.closed:
                        await websocket.send_bytes(sessions.idle_notice())
                    await websocket.close()

                home = learner_home(class_dir, learner)  # progress, drafts and history: this learner's own
                mine = f"export {HOME_VARIABLE}={shlex.quote(str(home))}; {command}"
                app_service = AppService(mine, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                         close=close, download_manager=self.download_manager)
                await app_service.start(width, height)
                if sessions.idle_s > 0:
                    idle = asyncio.create_task(end_when_idle(websocket, app_service, last_input))
                await self._process_messages(websocket, app_service, last_input)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # noqa: BLE001  (one line in the log; the tab just closes)
                logging.getLogger("tensordojo.serve").warning("a session failed: %s", error)
            finally:
                if idle is not None and not last_input[1]:
                    idle.cancel()
                elif idle is not None:
                    await idle  # the idle end is under way: let it show its notice
                if app_service is not None:
                    await app_service.stop()
                sessions.leave(session_id)
            return websocket

        async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService,
                                    last_input: list[float] | None = None) -> None:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    kind, *data = message.json()
                    if kind == "stdin":
                        if last_input is not None:
                            last_input[0] = time.monotonic()
                        await app_service.send_bytes(data[0].encode("utf-8"))
                    elif kind == "resize":
                        await app_service.set_terminal_size(int(data[0]["width"]), int(data[0]["height"]))
                    elif kind == "ping":
                        await websocket.send_json(["pong", data[0]])
                    elif kind == "blur":
                        await app_service.blur()
                    elif kind == "focus":
                        await app_service.focus()
                except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError):
                    continue  # a malformed message is dropped, the session goes on

        def serve(self, debug: bool = False) -> None:
            import asyncio
            import signal

            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                        print=lambda *args: None, access_log_class=RedactingAccessLogger)

    async def end_when_idle(websocket: web.WebSocketResponse, app_service: AppService, last_input: list[float]) -> None:
        """End the session once no input came for ``sessions.idle_s``, with a notice in the tab."""
        while True:
            left = last_input[0] + sessions.idle_s - time.monotonic()
            if left > 0:
                await asyncio.sleep(min(left, 60.0))
                continue
            last_input[1] = 1.0
            await app_service.stop()  # the app quits; its close (above) shows the notice
            return

    shown_host = f"[{host}]" if ":" in host else host
    return GuardedServer(command, host=host, port=port, title="tensordojo", public_url=f"http://{shown_host}:{port}")


def plan(host: str, port: int, allow_remote: bool, allowed_hosts: list[str] | None = None,
         allowed_origins: list[str] | None = None,
         roster: dict[str, str] | None = None) -> tuple[Any, list[tuple[str | None, str]]]:
    """Check the address and make the guard: one token per roster learner, else one fresh token for
    the class; return the guard and the URLs to print (learner or None, URL)."""
    from tui.serve_guard import AccessToken, Guard

    loopback = is_loopback(host)
    if not loopback and not allow_remote:
        raise ServeError(f"{host} can be reached from other machines, and whoever opens the page gets a Python "
                         "REPL running as you. Add --allow-remote to accept that (a token is then required)")
    check_port(host, port)
    if roster:
        tokens = {name: (AccessToken(value), name) for name, value in roster.items()}
    else:
        tokens = {"class": (AccessToken(), None)}
    guard = Guard(tokens, host, port, loopback, set(allowed_hosts or ()), set(allowed_origins or ()))
    shown_host = f"[{host}]" if ":" in host else host
    return guard, [(learner, f"http://{shown_host}:{port}/?token={token.value}") for token, learner in tokens.values()]
