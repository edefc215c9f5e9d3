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
