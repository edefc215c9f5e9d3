"""The app's connection to its REPL kernel, through jupyter_client and ipykernel.

One :class:`KernelSession` owns one kernel process. It is asyncio code meant to run in a
Textual async worker: it never touches widgets, it calls the ``on_events`` callback with
batches of :mod:`tui.kernel.events` (at most about 20 batches a second), and it notices a
dead kernel within :data:`LIVENESS_POLL` seconds because a pending request to a dead kernel
never returns by itself.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tui.core.processes.exit_status import describe_exit
from tui.core.paths import child_environment
from tui.kernel.events import (Event, Notice, RunOutcome, event_from_message, expression_errors_from_reply,
                               expressions_from_reply, pages_from_reply)

STARTUP_CODE = """\
from tui.core.processes.parent_death import die_with_parent as _die_with_parent
_die_with_parent()
del _die_with_parent
import torch
import torch.nn as nn
import torch.nn.functional as F
import numpy as np
get_ipython().run_line_magic("load_ext", "tui.kernel.extension")
"""
"""What the kernel runs before the REPL says ready."""

WARM_UP_CODE = "Out"
"""Run once, unseen, before the REPL says ready: an expression, so its value goes through the
display path as a learner's would; IPython's output cache itself is the one value it does not
record as ``_`` or in ``Out``, so the learner's session starts as if nothing had run."""

LIVENESS_POLL = 0.25
REPLY_AFTER_IDLE = 10.0
"""Seconds a run's reply may lag the kernel's idle status (it is sent before it, on another
socket). A kernel whose own machinery broke during the run (``del builtins.__import__``) goes
idle without replying, and the REPL would wait for ever."""
NO_REPLY = ("The kernel went idle without answering this run: the code broke the kernel's own "
            "machinery. If the next run fails too, restart the kernel (\"Restart kernel\" in the palette).")
BATCH_SECONDS = 0.05
YIELD_SECONDS = 0.005
"""While output floods in, the reader gives the event loop a turn at least this often."""
AFTER_VALUE_SECONDS = 0.006
"""Once a cell's value is passed on, the reader waits this long before reading what the kernel
sends after it (the inspector's snapshot, the end of the run): the app draws the value and
writes it to the terminal meanwhile, without that work in between. Paired pty runs of 150:
p50 11.7 / 10.9 ms and p95 14.7 / 13.2 ms, against 12.7 / 12.0 and 15.4 / 14.9 without."""


SOCKET_FOLDER_PREFIX = "tensordojo-kernel-"
"""The kernel sockets' folder is ``{this}{app pid}-...`` in the temp folder."""


class KernelDied(Exception):
    """The kernel process ended (a crash, ``os._exit``, out of memory)."""


class KernelRestarted(KernelDied):
    """The kernel was restarted while this request waited on it; the request's answer will never come."""


LATE_KINDS = ("stream", "display_data", "error")
"""Messages a run can still send after it ended (a thread it started printing): they are shown."""
LABELS_KEPT = 200


@dataclass(frozen=True)
class Completion:
    """Completions for the text before the cursor."""

    matches: list[str]
    start: int
    end: int


def _kernel_spec_manager() -> Any:
    """A spec manager that always runs ipykernel in this interpreter.

    A user's own Jupyter ``python3`` kernel may point at another Python without torch; the
    REPL must use the one tensordojo is installed in.
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class ThisPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="tensordojo", language="python", resource_dir="",
            )

    return ThisPythonSpecs()


class KernelSession:
    """Start, run code in, interrupt, restart and stop one kernel.

    Args:
        log_path: where the kernel's own stdout and stderr go, so they never print over the TUI.
    """

    def __init__(self, log_path: Path | None = None) -> None:
        self.log_path = log_path
        self._manager: Any = None
        self._client: Any = None
        self._log: Any = None
        self._lock = asyncio.Lock()
        self._sockets: Path | None = None
        self.ready = False
        self._generation = 0
        """Counts restarts: a request started under an earlier generation stops waiting."""
        self._restart_lock = asyncio.Lock()
        self._labels: dict[str, Any] = {}
        """Each recent run's label (the REPL's input number), by request id, for its late output."""
        self.on_late_output: Callable[[Any, list[Event]], None] | None = None
        """Called with a run's label and what it sent after it ended (a background thread's print)."""

    async def start(self) -> float:
        """Start the kernel and run the startup imports; return the seconds it took."""
        began = time.perf_counter()
        from jupyter_client.manager import AsyncKernelManager  # 0.1 s of imports: not at app start

        # With the ipc transport jupyter_client names its sockets "kernel-ipc-N" in the current
        # folder unless told otherwise: a private folder keeps the learner's own folder clean.
        if self._sockets is None:
            from tui.core.processes.temp_folders import owned_temp_folder

            self._sockets = owned_temp_folder(SOCKET_FOLDER_PREFIX)
        self._manager = AsyncKernelManager(kernel_name="tensordojo", transport="ipc", ip=str(self._sockets / "ipc"),
                                           kernel_spec_manager=_kernel_spec_manager())
        await self._manager.start_kernel(**self._output_redirect(), env=self._environment())
        await self._connect_and_prepare()
        return time.perf_counter() - began

    def _environment(self) -> dict[str, str]:
        return child_environment()

    def _output_redirect(self) -> dict[str, Any]:
        if self._log is None:
            if self.log_path is not None:
                try:  # an unwritable data folder costs the log, not the kernel (the store says where)
                    self.log_path.parent.mkdir(parents=True, exist_ok=True)
                    self._log = open(self.log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115  (kept open)
                except OSError:
                    pass
            if self._log is None:
                self._log = open(os.devnull, "w")  # noqa: SIM115
        return {"stdout": self._log, "stderr": self._log}

    async def _connect_and_prepare(self) -> None:
        if self._client is None:
            self._client = self._manager.client()
            self._client.start_channels()
        await self._client.wait_for_ready(timeout=60)
        outcome = await self.execute(STARTUP_CODE, silent=True)
        if outcome.status != "ok":
            raise RuntimeError("the kernel could not import torch and numpy; see the kernel log")
        # A first visible run costs the kernel about 10 ms more than later ones (IPython's display
        # path, the shape tracer's first use): pay it now, not on the learner's first Enter.
        await self.execute(WARM_UP_CODE, store_history=False)
        self.ready = True

    @property
    def started(self) -> bool:
        """Whether a kernel process was ever started (restart needs one)."""
        return self._manager is not None and self._client is not None

    def exit_description(self) -> str:
        """How the kernel process ended, in words (empty when unknown)."""
        process = getattr(getattr(self._manager, "provisioner", None), "process", None)
        code = process.poll() if process is not None else None
        if code is None:
            return ""
        words = describe_exit(code)
        return f"{words[0].upper()}{words[1:]}."

    async def is_alive(self) -> bool:
        """Whether the kernel process is running."""
        return self._manager is not None and await self._manager.is_alive()

    async def execute(
        self,
        code: str,
        on_events: Callable[[list[Event]], None] | None = None,
        expressions: dict[str, str] | None = None,
        silent: bool = False,
        store_history: bool | None = None,
        label: Any = None,
        metadata: dict[str, Any] | None = None,
    ) -> RunOutcome:
        """Run code and stream what it produces to ``on_events`` in batches.

        The last batch is passed after the kernel's reply, just before this returns, so a
        caller can draw a quick run's output together with its end (one frame, not two).
        What the run sends after it ended goes to :attr:`on_late_output` with ``label``;
        ``metadata`` travels with the request (the extension reads the log's width from it).

        Raises:
            KernelDied: when the kernel process ends before the run finishes.
            KernelRestarted: when the kernel is restarted before the run finishes.
        """
        async with self._lock:
            client = self._client
            history = not silent if store_history is None else store_history
            if metadata:
                msg_id = _send_execute(client, code, silent, history, expressions or {}, metadata)
            else:
                msg_id = client.execute(code, silent=silent, store_history=history,
                                        user_expressions=expressions or {}, allow_stdin=False)
            if label is not None:
                self._remember(msg_id, label)
            generation = self._generation
            last = await self._pump_iopub(msg_id, on_events or (lambda events: None), generation)
            reply = await self._shell_reply(msg_id, generation, give_up_after=REPLY_AFTER_IDLE)
        if reply is None:
            last.append(Notice(NO_REPLY, "error"))
            reply = {"content": {"status": "error"}}
        content = reply["content"]
        if content.get("payload"):
            last.extend(pages_from_reply(content))
        if on_events and last:
            on_events(last)
        return RunOutcome(content.get("status", "error"), content.get("execution_count"), expressions_from_reply(content),
                          expression_errors_from_reply(content))

    def _remember(self, msg_id: str, label: Any) -> None:
        self._labels[msg_id] = label
        if len(self._labels) > LABELS_KEPT:
            del self._labels[next(iter(self._labels))]

    def _stale(self, generation: int) -> None:
        """Raise when a restart began since the request was sent."""
        if generation != self._generation:
            raise KernelRestarted()

    def _late(self, msg: dict[str, Any]) -> None:
        """Pass on output whose run already ended (else it would be lost without a word)."""
        if msg["msg_type"] not in LATE_KINDS or self.on_late_output is None:
            return
        event = event_from_message(msg)
        if event is not None:
            self.on_late_output(self._labels.get(msg["parent_header"].get("msg_id")), [event])

    async def collect_late_output(self) -> None:
        """While no request runs, read what ended runs still sent (a background thread's prints)."""
        if self._client is None or self._lock.locked() or not self.ready:
            return
        async with self._lock:
            while True:
                try:
                    msg = await self._client.get_iopub_msg(timeout=0)
                except Exception:  # queue.Empty: all read
                    return
                self._late(msg)

    async def _pump_iopub(self, msg_id: str, on_events: Callable[[list[Event]], None], generation: int) -> list[Event]:
        """Pass the run's output in batches while it runs; return the last, unsent batch."""
        batch: list[Event] = []
        last_flush = last_yield = time.monotonic()
        while True:
            if time.monotonic() - last_yield > YIELD_SECONDS:
                await asyncio.sleep(0)  # messages already waiting are read without yielding: let the UI run
                last_yield = time.monotonic()
            try:
                self._stale(generation)
                msg = await self._client.get_iopub_msg(timeout=LIVENESS_POLL)
            except KernelRestarted:
                on_events(batch)
                raise
            except Exception:  # queue.Empty: nothing yet; is the kernel still there?
                if not await self.is_alive():
                    on_events(batch)
                    raise KernelDied() from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                self._late(msg)  # output of an earlier run that ended (or was interrupted)
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                break
            event = event_from_message(msg)
            if event is not None:
                batch.append(event)
            # A cell's value comes last but for the kernel's bookkeeping (about 2 ms here):
            # pass it on at once, as that is what the learner is waiting to see.
            if batch and (msg["msg_type"] == "execute_result" or time.monotonic() - last_flush >= BATCH_SECONDS):
                on_events(batch)
                batch, last_flush = [], time.monotonic()
                if msg["msg_type"] == "execute_result":
                    await asyncio.sleep(AFTER_VALUE_SECONDS)
                    last_yield = time.monotonic()
        return batch

    async def _shell_reply(self, msg_id: str, generation: int | None = None,
                           give_up_after: float | None = None) -> dict[str, Any] | None:
        """The kernel's reply to ``msg_id``; None when ``give_up_after`` seconds pass without it."""
        generation = self._generation if generation is None else generation
        deadline = None if give_up_after is None else time.monotonic() + give_up_after
        while True:
            self._stale(generation)
            try:
                reply = await self._client.get_shell_msg(timeout=LIVENESS_POLL)
            except Exception:
                if not await self.is_alive():
                    raise KernelDied() from None
                # given up only after a read found nothing: a reply already waiting on the socket is
                # taken even when the app's loop was held up past the deadline (a loaded machine)
                if deadline is not None and time.monotonic() > deadline:
                    return None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    async def complete(self, code: str, cursor: int) -> Completion:
        """Ask the kernel what could complete the code at the cursor (empty when it is busy)."""
        if self._lock.locked():
            return Completion([], cursor, cursor)
        async with self._lock:
            msg_id = self._client.complete(code, cursor)
            reply = await self._shell_reply(msg_id)
        content = reply["content"]
        return Completion(list(content.get("matches", [])), content.get("cursor_start", cursor), content.get("cursor_end", cursor))

    async def interrupt(self) -> None:
        """Interrupt the running code (KeyboardInterrupt in the kernel; variables are kept)."""
        if self._manager is not None:
            await self._manager.interrupt_kernel()

    async def restart(self) -> float:
        """Start a fresh kernel (variables cleared); return the seconds it took.

        A request still waiting on the old kernel (a run of ``while True: pass``, say) stops with
        :class:`KernelRestarted` within :data:`LIVENESS_POLL` seconds, and the restart waits for
        that, so it never reads the new kernel's messages. Restarts asked for at once run one
        after the other, each on a kernel the manager has finished starting.
        """
        async with self._restart_lock:
            began = time.perf_counter()
            self.ready = False
            self._generation += 1
            async with self._lock:  # the old requests have given up: the channels are ours
                await self._manager.restart_kernel(now=True, **self._output_redirect())
                await self._drain_stale_messages()
            await self._connect_and_prepare()
            return time.perf_counter() - began

    async def _drain_stale_messages(self) -> None:
        """Drop what the old kernel sent that nobody read (its runs' answers are moot now)."""
        for get in (self._client.get_iopub_msg, self._client.get_shell_msg):
            while True:
                try:
                    await get(timeout=0)
                except Exception:
                    break

    async def shutdown(self) -> None:
        """Stop the kernel and close the channels; the sockets' folder goes even if stopping fails."""
        self.ready = False
        try:
            if self._client is not None:
                self._client.stop_channels()
            if self._manager is not None and await self._manager.is_alive():
                await self._manager.shutdown_kernel(now=True)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
            if self._sockets is not None:
                shutil.rmtree(self._sockets, ignore_errors=True)
                self._sockets = None


def _send_execute(client: Any, code: str, silent: bool, store_history: bool, expressions: dict[str, str],
                  metadata: dict[str, Any]) -> str:
    """An execute request as ``client.execute`` sends it, with ``metadata`` (which it cannot add)."""
    content = {"code": code, "silent": silent, "store_history": store_history, "user_expressions": expressions,
               "allow_stdin": False, "stop_on_error": True}
    msg = client.session.msg("execute_request", content, metadata=metadata)
    client.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def restart_notice(seconds: float, reason: str) -> Notice:
    """What the REPL says after a new kernel is ready."""
    ready = f"A new kernel is ready ({seconds:.1f} s); earlier variables are gone."
    return Notice(f"{reason} {ready}" if reason else ready, "warning")
