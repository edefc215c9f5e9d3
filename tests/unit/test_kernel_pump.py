"""How the kernel session passes a run's output on: a cell's value at once, the rest with the run's end."""

from __future__ import annotations

import asyncio

from tui.kernel.events import Result, StreamText
from tui.kernel.session import KernelSession


def iopub(kind: str, parent: str = "run", **content) -> dict:
    return {"msg_type": kind, "content": content, "parent_header": {"msg_id": parent}}


class ScriptedClient:
    """Hands out IOPub messages in order and records how many were read before each batch."""

    def __init__(self, messages: list[dict], reply: dict) -> None:
        self.messages = list(messages)
        self.reply = reply
        self.read = 0

    def execute(self, code, **options):
        return "run"

    async def get_iopub_msg(self, timeout):
        self.read += 1
        return self.messages.pop(0)

    async def get_shell_msg(self, timeout):
        return self.reply


def run_scripted(messages: list[dict], reply_content: dict | None = None) -> list[tuple[int, list]]:
    session = KernelSession()
    client = ScriptedClient(messages, {"parent_header": {"msg_id": "run"},
                                       "content": {"status": "ok", "execution_count": 1, **(reply_content or {})}})
    session._client = client
    batches: list[tuple[int, list]] = []
    asyncio.run(session.execute("x", lambda events: batches.append((client.read, list(events)))))
    return batches


def test_a_cells_value_is_passed_on_before_the_kernel_says_idle():
    batches = run_scripted([
        iopub("status", execution_state="busy"),
        iopub("stream", name="stdout", text="hi\n"),
        iopub("execute_result", data={"text/plain": "2"}),
        iopub("display_data", parent="someone else", data={"text/plain": "late output of an earlier run"}),
        iopub("status", execution_state="idle"),
    ])
    read_before, first = batches[0]
    assert read_before == 3  # sent as soon as the value was read, not after the idle message
    assert first == [StreamText("stdout", "hi\n"), Result("2", final=True)]
    assert all("late output" not in repr(events) for _, events in batches)


class _Proxy:
    """A module stand-in: ``overrides`` first, everything else from ``real``."""

    def __init__(self, real, **overrides) -> None:
        self._real, self._overrides = real, overrides

    def __getattr__(self, name):
        return self._overrides[name] if name in self._overrides else getattr(self._real, name)


def test_after_a_value_the_rest_is_read_only_once_the_app_has_had_time_to_draw_it(monkeypatch):
    import tui.kernel.session as session_module
    from tui.kernel.session import AFTER_VALUE_SECONDS

    happened: list[str] = []

    async def sleep(seconds):  # what the pump asks for is recorded, not waited for
        happened.append(f"sleep {seconds}")
        await asyncio.sleep(0)

    monkeypatch.setattr(session_module, "asyncio", _Proxy(asyncio, sleep=sleep))

    class RecordingClient(ScriptedClient):
        async def get_iopub_msg(self, timeout):
            happened.append("read")
            return await super().get_iopub_msg(timeout)

    session = KernelSession()
    session._client = RecordingClient([iopub("status", execution_state="busy"), iopub("execute_result", data={"text/plain": "2"}),
                                       iopub("display_data", data={"text/plain": ""}), iopub("status", execution_state="idle")],
                                      {"parent_header": {"msg_id": "run"}, "content": {"status": "ok"}})
    asyncio.run(session.execute("x", lambda events: happened.append("passed") if events else None))
    after_value = happened.index("passed")
    assert happened[after_value - 2:after_value + 3] == ["read", "read", "passed", f"sleep {AFTER_VALUE_SECONDS}", "read"]


def test_output_without_a_value_comes_in_one_batch_after_the_reply_with_help_pages():
    batches = run_scripted([
        iopub("status", execution_state="busy"),
        iopub("stream", name="stdout", text="a\n"),
        iopub("stream", name="stdout", text="b\n"),
        iopub("status", execution_state="idle"),
    ], {"payload": [{"source": "page", "data": {"text/plain": "Docstring: help"}}]})
    assert len(batches) == 1
    read_before, events = batches[0]
    assert read_before == 4
    assert [type(e).__name__ for e in events] == ["StreamText", "StreamText", "Page"]


def test_a_flood_of_waiting_messages_still_gives_the_event_loop_turns(monkeypatch):
    # Messages already waiting are read without the loop getting a turn; reading 20 that cost
    # 2 ms each would hold the UI for 40 ms without the pump's own yields. The pump's clock is a
    # fake that each read moves on by those 2 ms, so what is checked is the pump's rule, not the machine.
    import time

    import tui.kernel.session as session_module
    from tui.kernel.session import YIELD_SECONDS

    now = [1000.0]
    monkeypatch.setattr(session_module, "time", _Proxy(time, monotonic=lambda: now[0]))
    happened: list[str] = []

    class SlowClient(ScriptedClient):
        async def get_iopub_msg(self, timeout):
            now[0] += 0.002  # deserialising a big stream message
            happened.append("read")
            return await super().get_iopub_msg(timeout)

    messages = [iopub("stream", name="stdout", text=f"{n}\n") for n in range(20)]
    session = KernelSession()
    session._client = SlowClient([iopub("status", execution_state="busy"), *messages,
                                  iopub("status", execution_state="idle")],
                                 {"parent_header": {"msg_id": "run"}, "content": {"status": "ok"}})

    async def scenario():
        async def ticker():
            while True:
                happened.append("turn")
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        await session.execute("x", lambda events: None)
        task.cancel()

    asyncio.run(scenario())
    reading = "".join("r" if h == "read" else "t" for h in happened).strip("t")
    longest = max(len(run) for run in reading.split("t"))
    assert reading.count("r") == 22 and longest <= YIELD_SECONDS / 0.002 + 1  # a turn at least every ~5 ms of reading


def test_a_new_kernel_runs_one_unseen_visible_cell_before_it_says_ready():
    # A kernel's first visible run is ~10 ms slower than later ones; the learner's must not be it.
    from tui.kernel.events import RunOutcome
    from tui.kernel.session import STARTUP_CODE, WARM_UP_CODE

    class ReadyClient:
        async def wait_for_ready(self, timeout):
            return None

    runs: list[tuple[str, dict]] = []
    session = KernelSession()
    session._client = ReadyClient()

    async def execute(code, on_events=None, expressions=None, silent=False, store_history=None):
        runs.append((code, {"silent": silent, "store_history": store_history, "ready": session.ready}))
        return RunOutcome("ok")

    session.execute = execute
    asyncio.run(session._connect_and_prepare())
    assert [code for code, _ in runs] == [STARTUP_CODE, WARM_UP_CODE]
    assert runs[1][1] == {"silent": False, "store_history": False, "ready": False}
    assert session.ready


def test_output_of_a_run_that_already_ended_goes_to_the_late_output_callback_with_its_label():
    session = KernelSession()
    session._remember("earlier", 3)
    late: list = []
    session.on_late_output = lambda label, events: late.append((label, events))
    client = ScriptedClient([
        iopub("status", execution_state="busy"),
        iopub("stream", parent="earlier", name="stdout", text="from a thread\n"),
        iopub("status", parent="earlier", execution_state="idle"),  # not output: not passed on
        iopub("stream", name="stdout", text="mine\n"),
        iopub("status", execution_state="idle"),
    ], {"parent_header": {"msg_id": "run"}, "content": {"status": "ok", "execution_count": 1}})
    session._client = client
    batches: list = []
    asyncio.run(session.execute("x", batches.extend))
    assert late == [(3, [StreamText("stdout", "from a thread\n")])]
    assert batches == [StreamText("stdout", "mine\n")]
