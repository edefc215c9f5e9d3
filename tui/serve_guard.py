"""Who may talk to ``tensordojo serve``: the token, the ``Host`` header and the ``Origin`` header,
checked on every route and on the websocket, as Jupyter does.

- **Token.** Every server has one, loopback included: a web page from another site, open in the
  learner's browser, can reach 127.0.0.1 too. The printed URL carries it; the first request with
  it sets an HttpOnly, SameSite=Strict cookie that the page's own requests send back.
- **Host.** A forged name (DNS rebinding: evil.example resolving to 127.0.0.1) is refused; IP
  literals, ``localhost``, this machine's names when remote, and ``--allow-host`` names pass.
- **Origin.** When a browser sends one (it always does on a websocket), it must be this server's
  own origin or one given with ``--allow-origin``.

A refusal is a 403 whose body is one line saying why; malformed input is a 400, never a 500. The
token never reaches a log: tokens are :class:`AccessToken` objects whose repr hides them, and the
access log prints paths without their query.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

COOKIE = "tensordojo_token"


class AccessToken:
    """A secret that never shows in a repr, a traceback's locals or a log line."""

    def __init__(self, value: str | None = None) -> None:
        self.value = value or secrets.token_urlsafe(24)

    def matches(self, given: str) -> bool:
        """Constant-time comparison that also takes non-ASCII input (a 403, not a TypeError)."""
        return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), self.value.encode("ascii"))

    def __repr__(self) -> str:
        return "AccessToken(<hidden>)"

    __str__ = __repr__


def cookie_name(port: int) -> str:
    """The cookie's name: cookies ignore ports, so two servers on one machine must not share one."""
    return f"{COOKIE}_{port}"


def host_name(header: str) -> str | None:
    """The host part of a ``Host`` header (``[::1]:8000`` -> ``::1``), lower case; None if malformed."""
    try:
        parsed = urlsplit(f"//{header}")
        name, _ = parsed.hostname, parsed.port  # .port raises ValueError for a bad port
    except ValueError:
        return None
    return name.lower() if name else None


def _is_ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


@dataclass
class Guard:
    """What the server accepts.

    Args:
        tokens: each valid token and the learner it belongs to (None: the class token, no roster).
        bound_host: the address the server listens on.
        port: its port.
        loopback: whether that address is this machine only.
        allowed_hosts: extra names for the ``Host`` header (``--allow-host``).
        allowed_origins: extra origins (``--allow-origin``), like ``https://proxy.example:443``.
    """

    tokens: dict[str, tuple[AccessToken, str | None]]
    bound_host: str
    port: int
    loopback: bool
    allowed_hosts: set[str] = field(default_factory=set)
    allowed_origins: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.allowed_hosts = {h.lower().strip("[]") for h in self.allowed_hosts} | {"localhost", self.bound_host.lower()}
        self.allowed_origins = {o.rstrip("/").lower() for o in self.allowed_origins}
        if not self.loopback:
            names = {socket.gethostname(), socket.getfqdn()}
            self.allowed_hosts |= {n.lower() for n in names if n}

    def host_refusal(self, header: str | None) -> str | None:
        """Why a ``Host`` header is refused, or None."""
        name = host_name(header or "")
        if name is None:
            return "the request has no valid Host header"
        if name in self.allowed_hosts:
            return None
        address = _is_ip(name)
        if address is not None and (address.is_loopback or not self.loopback):
            return None  # an address typed by hand cannot be rebound the way a name can
        return (f"Host {name!r} is not this server's (DNS rebinding?); if it is a name for this machine, "
                "start the server with --allow-host " + name)

    def origin_refusal(self, origin: str | None, host_header: str) -> str | None:
        """Why an ``Origin`` header is refused, or None (None when there is none: not a browser's cross-site call)."""
        if origin is None:
            return None
        given = origin.rstrip("/").lower()
        if given in self.allowed_origins or given == f"http://{host_header.lower()}":
            return None
        return f"requests from {origin!r} are not allowed; add --allow-origin {origin} if that page is yours"

    def learner_of(self, given: str) -> tuple[bool, str | None]:
        """Whether ``given`` is a valid token, and whose it is."""
        for token, learner in self.tokens.values():
            if token.matches(given):
                return True, learner
        return False, None


def refuse(why: str, status: int = 403) -> web.Response:
    """A refusal whose body is one line (whatever bytes the request held are escaped)."""
    line = " ".join(why.encode("ascii", "backslashreplace").decode("ascii").split())
    return web.Response(status=status, text=f"{status}: {line}\n", content_type="text/plain")


def make_middleware(guard: Guard) -> Any:
    """The aiohttp middleware that applies ``guard`` to every request, websocket included."""
    cookie = cookie_name(guard.port)

    @web.middleware
    async def check(request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            host_header = request.headers.get("Host", "")
            why = guard.host_refusal(host_header) or guard.origin_refusal(request.headers.get("Origin"), host_header)
            from_query = request.query.get("token")
            given = from_query or request.cookies.get(cookie) or ""
            valid, learner = guard.learner_of(given)
        except Exception:  # noqa: BLE001  (whatever a malformed request trips over is its fault: a 400)
            return refuse("the request could not be read", 400)
        if why:
            return refuse(why)
        if not valid:
            return refuse("this tensordojo server needs its access token: open the full URL it printed, "
                          "with ?token=..." if not given else "the access token is wrong: open the URL the server printed")
        request["learner"] = learner
        request["token"] = given
        response = await handler(request)
        if from_query and not response.prepared:
            response.set_cookie(cookie, from_query, httponly=True, samesite="Strict", path="/")
        return response

    return check


class RedactingAccessLogger(AbstractAccessLogger):
    """One line per request: address, method, path without its query (where the token is), status."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %s", request.remote, request.method, request.path, response.status)


class RedactingFilter(logging.Filter):
    """Any log record, aiohttp's own included (a bad request logs its raw request line): tokens
    blanked out, and no traceback (its text and its locals could hold one too)."""

    _TOKEN = re.compile(r"(token[^=\s]*=)[^&\s'\"]+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__})"
        record.msg, record.args = self._TOKEN.sub(r"\1<hidden>", text), ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_logging() -> None:
    """Plain one-line logs, with :class:`RedactingFilter` on every record."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level="INFO", handlers=[handler], force=True)
