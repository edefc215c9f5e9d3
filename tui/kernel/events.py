"""What a run in the kernel produces, as plain dataclasses parsed from Jupyter messages.

Pure functions with no Textual and no jupyter_client, so they are tested on their own and the
REPL widgets only ever see these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Union

from tui.kernel.extension import SNAPSHOT_MIME, TENSOR_MIME, TRACEBACK_MIME


@dataclass(frozen=True)
class StreamText:
    """Text the code printed, on ``stdout`` or ``stderr``."""

    name: str
    text: str


@dataclass(frozen=True)
class Result:
    """The value of the last expression (``Out[n]``), or other display data.

    Attributes:
        text: the plain-text form.
        tensor: shape, dtype, device... when the value is a tensor.
        final: the cell's value (``Out[n]``, which comes at the end of a run), not display data.
    """

    text: str
    tensor: dict[str, Any] | None = None
    final: bool = False


@dataclass(frozen=True)
class Failure:
    """An exception: its name and message, the kernel's full traceback, and the short one."""

    ename: str
    evalue: str
    traceback: list[str] = field(default_factory=list)
    short: dict[str, Any] | None = None


@dataclass(frozen=True)
class ShortTraceback:
    """The learner's frames of the last failure (sent after the failure itself)."""

    record: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """After a run: the namespace's tensors, arrays and modules, and the run's op trace."""

    record: dict[str, Any]


@dataclass(frozen=True)
class Page:
    """Help text, as ``obj?`` shows it."""

    text: str


@dataclass(frozen=True)
class Notice:
    """Something the app says about the kernel itself (started, restarted, died)."""

    text: str
    level: str = "info"


Event = Union[StreamText, Result, Failure, ShortTraceback, Snapshot, Page, Notice]


def _display_event(data: dict[str, Any]) -> Event | None:
    if TRACEBACK_MIME in data:
        return ShortTraceback(data[TRACEBACK_MIME])
    if SNAPSHOT_MIME in data:
        return Snapshot(data[SNAPSHOT_MIME])
    meta = data.get("application/json")
    tensor = meta if isinstance(meta, dict) and meta.get("tensordojo") == TENSOR_MIME else None
    text = data.get("text/plain")
    if text is None:
        kinds = ", ".join(sorted(data)) or "nothing"
        return Result(f"<display data of type {kinds}, which a terminal cannot show>")
    return Result(text, tensor)


def event_from_message(msg: dict[str, Any]) -> Event | None:
    """Turn one IOPub message into an event, or None for messages the REPL ignores."""
    kind, content = msg["msg_type"], msg["content"]
    if kind == "stream":
        return StreamText(content.get("name", "stdout"), content.get("text", ""))
    if kind in ("execute_result", "display_data"):
        event = _display_event(content.get("data", {}))
        return replace(event, final=True) if kind == "execute_result" and isinstance(event, Result) else event
    if kind == "error":
        return Failure(content.get("ename", "Error"), content.get("evalue", ""), list(content.get("traceback", [])))
    return None


def pages_from_reply(content: dict[str, Any]) -> list[Page]:
    """Help pages carried in an execute reply's payload (``obj?``)."""
    pages = []
    for item in content.get("payload", []) or []:
        if item.get("source") == "page":
            text = item.get("data", {}).get("text/plain", "")
            if text:
                pages.append(Page(text))
    return pages


@dataclass
class RunOutcome:
    """How a run ended.

    Attributes:
        status: ``ok``, ``error``, ``aborted``, or ``died`` when the kernel process ended.
        execution_count: the input number the kernel gave the run.
        expressions: values of the user expressions asked for, as text (or None on error).
        expression_errors: for each expression that raised, the error (``KeyError: '__import__'``).
    """

    status: str
    execution_count: int | None = None
    expressions: dict[str, str | None] = field(default_factory=dict)
    expression_errors: dict[str, str] = field(default_factory=dict)


def expressions_from_reply(content: dict[str, Any]) -> dict[str, str | None]:
    """The text value of each user expression in an execute reply (None where it raised)."""
    values: dict[str, str | None] = {}
    for name, answer in (content.get("user_expressions") or {}).items():
        values[name] = answer.get("data", {}).get("text/plain") if answer.get("status") == "ok" else None
    return values


def expression_errors_from_reply(content: dict[str, Any]) -> dict[str, str]:
    """The error of each user expression in an execute reply that raised, as ``Name: value``."""
    return {name: f"{answer.get('ename', 'Error')}: {answer.get('evalue', '')}".rstrip(": ")
            for name, answer in (content.get("user_expressions") or {}).items()
            if isinstance(answer, dict) and answer.get("status") == "error"}
