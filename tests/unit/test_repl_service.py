"""The REPL service without a real kernel: a kernel that cannot start, and what a quick run emits."""

from __future__ import annotations

import asyncio

from tests.waiting import HANG_GUARD, wait_for_async
from tui.core.store.progress import ProgressStore
from tui.kernel.events import Notice, Result, RunOutcome
from tui.kernel.repl import InputEcho, ReplService, RunFinished, StateChanged


class BrokenSession:
    started = False

    async def start(self):
        raise ModuleNotFoundError("No module named 'ipykernel'")

    async def shutdown(self):
        pass


class QuickSession:
    """Answers every run at once with one output (by default display data, not a cell's value)."""

    started = True

    def __init__(self, output=Result("2")):
        self.output = output

    async def start(self):
        return 0.1

    async def execute(self, code, on_events, expressions=None, silent=False, **options):
        on_events([self.output])
        return RunOutcome("ok", 1)

    async def is_alive(self):
        return True

    async def shutdown(self):
        pass


def service_with(session, tmp_path) -> tuple[ReplService, list]:
    service = ReplService(ProgressStore(tmp_path / "p.db"))
    service.session = session
    batches: list = []
    service.subscribe(batches.append)
    return service, batches


def test_a_kernel_that_cannot_start_leaves_a_failed_state_and_runs_say_why(tmp_path):
    service, batches = service_with(BrokenSession(), tmp_path)

    async def scenario():
        await service.start()
        return await service.run("1 + 1")

    outcome = asyncio.run(scenario())
    assert service.state == "failed" and "No module named 'ipykernel'" in service.failure
    assert outcome.status == "failed"
    notices = [u for batch in batches for u in batch if isinstance(u, Notice)]
    assert "Nothing ran" in notices[-1].text and "Restart kernel" in notices[-1].text
    assert service.store.history() == ["1 + 1"]  # what the learner typed is kept


def test_a_run_waiting_for_a_kernel_that_then_fails_does_not_hang(tmp_path):
    service, batches = service_with(BrokenSession(), tmp_path)

    async def scenario():
        waiting = asyncio.create_task(service.run("x = 1"))
        await wait_for_async(lambda: any(isinstance(u, Notice) and "Waiting for the kernel" in u.text
                                         for batch in batches for u in batch), what="the run to wait for the kernel")
        await service.start()
        return await asyncio.wait_for(waiting, HANG_GUARD)

    assert asyncio.run(scenario()).status == "failed"


def test_the_echo_goes_out_at_once_and_the_busy_state_waits_for_output(tmp_path):
    # Panels write the echo while the kernel works; "busy" comes with mid-run output (here
    # display data, not the cell's value), so a quick run never flashes it on its own.
    service, batches = service_with(QuickSession(), tmp_path)
    service.state = "ready"
    service._ready.set()
    asyncio.run(service.run("1 + 1"))
    assert batches[0] == [InputEcho(1, "1 + 1")]
    second = batches[1]
    assert isinstance(second[0], StateChanged) and second[0].state == "busy"
    assert Result("2") in second
    assert any(isinstance(u, RunFinished) for batch in batches for u in batch)
    assert service.state == "ready"


def test_a_cells_value_arriving_first_is_drawn_without_a_busy_flash(tmp_path):
    # The value of the cell ends a run: the status must not say "running" in the frame that
    # shows it.
    service, batches = service_with(QuickSession(Result("2", final=True)), tmp_path)
    service.state = "ready"
    service._ready.set()
    asyncio.run(service.run("1 + 1"))
    assert [type(u) for u in batches[0]] == [InputEcho]
    assert [type(u) for u in batches[1]] == [Result]
    states = [u.state for batch in batches for u in batch if isinstance(u, StateChanged)]
    assert states == ["ready"]


def test_a_run_sent_while_code_runs_says_that_code_is_running_not_that_the_kernel_starts(tmp_path):
    service, batches = service_with(QuickSession(), tmp_path)
    service.state, service.number = "busy", 3

    async def scenario():
        waiting = asyncio.create_task(service.run("1 + 1"))
        notice = await wait_for_async(lambda: next((u for batch in batches for u in batch if isinstance(u, Notice)), None),
                                      what="the notice of the waiting run")
        service.state = "ready"
        service._ready.set()
        await asyncio.wait_for(waiting, HANG_GUARD)
        return notice

    notice = asyncio.run(scenario())
    assert "In [3] is still running" in notice.text and "kernel to be ready" not in notice.text


def test_exit_and_quit_are_not_sent_to_the_kernel_and_say_how_to_leave(tmp_path):
    sent = []

    class RecordingSession(QuickSession):
        async def execute(self, code, on_events, expressions=None, silent=False, **options):
            sent.append(code)
            return await super().execute(code, on_events, expressions, silent, **options)

    service, batches = service_with(RecordingSession(), tmp_path)
    service.state = "ready"
    service._ready.set()
    for source in ("exit", "quit()", " exit(0) ", "exit_code = 3"):
        asyncio.run(service.run(source))
    assert sent == ["exit_code = 3"]  # the kernel (and every variable in it) lives on
    notices = [u.text for batch in batches for u in batch if isinstance(u, Notice)]
    assert len(notices) == 3 and all("press escape" in text and "Restart kernel" in text for text in notices)
    assert len(service.store.history()) == 4  # what the learner typed is kept, run or not
