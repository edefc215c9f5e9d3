"""The REPL service on a real kernel under faults: restart during a run, late thread output, ctrl+c ignored."""

from __future__ import annotations

import asyncio
import os

import pytest
import pytest_asyncio

from tests.waiting import HANG_GUARD, wait_for_async
from tui.core.store.progress import ProgressStore
from tui.kernel import repl
from tui.kernel.events import Notice, Result, Snapshot, StreamText
from tui.kernel.repl import LateOutput, ReplService, RunFinished

# Under pytest-xdist (--dist loadgroup) the module stays on one worker: one REPL service serves it.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("test_repl_faults")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repl")
    service = ReplService(ProgressStore(folder / "p.db"), log_path=folder / "kernel.log")
    watching = asyncio.create_task(service.start())
    await wait_for_async(lambda: service.state == "ready", what="the kernel")
    yield service
    watching.cancel()
    await service.shutdown()


def updates_of(service: ReplService) -> list:
    seen: list = []
    service.subscribe(seen.extend)
    return seen


def kernel_pid(service: ReplService) -> int:
    return service.session._manager.provisioner.process.pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child stays a zombie until reaped: that is not a running kernel.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


async def start_loop(service: ReplService, tmp_path, code: str = "while True: pass", setup: str = "") -> asyncio.Task:
    """Run ``setup``, then an endless loop; return once the kernel is past ``setup`` and in the loop."""
    started = tmp_path / f"started-{service.number}"
    run = asyncio.create_task(service.run(f"{setup}\nopen({str(started)!r}, 'w').close()\n{code}"))
    await wait_for_async(started.exists, what="the loop to start")
    return run


async def test_restart_during_a_run_gives_a_working_kernel_and_clears_the_inspector(service, tmp_path):
    await service.run("kept = torch.ones(3)")
    assert [row["name"] for row in service.snapshot["variables"]] == ["kept"]
    old_pid = kernel_pid(service)
    seen = updates_of(service)
    run = await start_loop(service, tmp_path)
    await service.restart()
    outcome = await asyncio.wait_for(run, HANG_GUARD)
    assert outcome.status == "restarted" and service.state == "ready"
    assert any(isinstance(u, RunFinished) and u.outcome.status == "restarted" for u in seen)
    assert any(isinstance(u, Notice) and "was stopped by the restart" in u.text for u in seen)
    assert service.snapshot["variables"] == []  # the inspector no longer lists the old kernel's variables
    assert any(isinstance(u, Snapshot) and u.record["variables"] == [] for u in seen)
    await wait_for_async(lambda: not alive(old_pid), what="the old kernel to end")

    outcome = await asyncio.wait_for(service.run("torch.ones(2).sum()"), HANG_GUARD)
    assert outcome.status == "ok"
    assert any(isinstance(u, Result) and u.text == "tensor(2.)" for u in seen)


async def test_two_restarts_during_a_run_leave_one_working_kernel(service, tmp_path):
    run = await start_loop(service, tmp_path)
    first_pid = kernel_pid(service)
    await asyncio.gather(service.restart(), service.restart(), asyncio.wait_for(run, HANG_GUARD))
    await service.restart()  # and one more once the first is done
    await wait_for_async(lambda: service.state == "ready", what="the kernel after the restarts")
    pid = kernel_pid(service)
    await wait_for_async(lambda: not alive(first_pid), what="the first kernel to end")
    assert alive(pid)
    seen = updates_of(service)
    assert (await asyncio.wait_for(service.run("print(40 + 2)"), HANG_GUARD)).status == "ok"
    assert StreamText("stdout", "42\n") in seen


async def test_output_a_thread_prints_after_its_run_ended_reaches_the_log(service, tmp_path):
    seen = updates_of(service)
    go = tmp_path / "go"
    await service.run("import threading, os, time\n"
                      "def later():\n"
                      f"    while not os.path.exists({str(go)!r}): time.sleep(0.01)\n"
                      "    print('printed later', flush=True)\n"
                      "threading.Thread(target=later).start()")
    number = service.number
    go.touch()  # the run has ended: now the thread prints
    late = await wait_for_async(lambda: [u for u in seen if isinstance(u, LateOutput)], what="the late output")
    assert late[0] == LateOutput(number, (StreamText("stdout", "printed later\n"),))


async def test_ctrl_c_against_code_that_ignores_it_offers_a_restart_which_a_second_ctrl_c_does(service, tmp_path, monkeypatch):
    monkeypatch.setattr(repl, "INTERRUPT_GRACE", 0.5)
    seen = updates_of(service)
    # SIGINT is ignored before the loop says it started: a ctrl+c sent in between (a loaded machine) stopped it
    run = await start_loop(service, tmp_path, setup="import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)")
    await service.interrupt()  # returns after the grace period, the loop still running
    assert service.running
    notice = next(u for u in seen if isinstance(u, Notice) and "did not stop" in u.text)
    assert "ctrl+c again" in notice.text and "restart" in notice.text
    await service.interrupt()
    assert (await asyncio.wait_for(run, HANG_GUARD)).status == "restarted"
    assert service.state == "ready"
    assert (await asyncio.wait_for(service.run("1 + 1"), HANG_GUARD)).status == "ok"


async def test_a_cell_that_deletes_builtins_the_kernel_needs_is_undone_with_a_word_and_the_repl_goes_on(service):
    await service.run("t = torch.ones(2, 3)")
    for code, name in (("import builtins\ndel builtins.__import__", "__import__"),
                       ("import builtins\nbuiltins.__import__ = None", "__import__"),
                       ("import builtins\ndel builtins.len", "len")):
        seen = updates_of(service)
        outcome = await asyncio.wait_for(service.run(code), HANG_GUARD)  # it used to wait for ever
        assert outcome.status == "ok"
        said = "".join(u.text for u in seen if isinstance(u, StreamText) and u.name == "stderr")
        assert "put back" in said and f"({name})" in said, said
    seen = updates_of(service)
    assert (await asyncio.wait_for(service.run("import math\nprint(len(str(math.pi)))"), HANG_GUARD)).status == "ok"
    assert StreamText("stdout", "17\n") in seen
    assert (await asyncio.wait_for(service.inspect("t"), HANG_GUARD))["shape"] == [2, 3]


async def test_the_inspectors_detail_works_when_the_learner_broke_imports(service):
    await service.run("t = torch.ones(2, 3)\nimport sys\n_json = sys.modules['json']\nsys.modules['json'] = None")
    try:
        assert (await asyncio.wait_for(service.inspect("t"), HANG_GUARD))["shape"] == [2, 3]
        assert "no longer exists" in (await asyncio.wait_for(service.inspect("gone"), HANG_GUARD))["note"]
    finally:
        await service.run("sys.modules['json'] = _json")


async def test_a_run_the_kernel_goes_idle_on_without_answering_ends_with_a_notice(service, monkeypatch):
    from tui.kernel import session

    monkeypatch.setattr(session, "REPLY_AFTER_IDLE", 2.0)
    seen = updates_of(service)
    # A post-run hook that fails while IPython cannot show tracebacks: ipykernel never replies.
    breaking = ("ip = get_ipython()\ndef boom(result): 1 / 0\n"
                "ip.events.register('post_run_cell', boom)\nip.showtraceback = None")
    outcome = await asyncio.wait_for(service.run(breaking), HANG_GUARD)
    assert outcome.status == "error"
    assert any(isinstance(u, Notice) and "without answering" in u.text and "Restart kernel" in u.text for u in seen)
    assert (await asyncio.wait_for(service.run("ip.events.unregister('post_run_cell', boom)\ndel ip.showtraceback"),
                                   HANG_GUARD)).status == "ok"
    assert (await asyncio.wait_for(service.run("40 + 2"), HANG_GUARD)).status == "ok"


async def test_the_inspector_still_describes_new_variables_after_the_learner_clears_the_namespace(service):
    # %reset -f took away the name the detail pane asks for: every variable made afterwards read
    # "the kernel could not describe it" until the kernel was restarted.
    try:
        for clearing in ("%reset -f", "globals().clear()", "del __tensordojo__"):
            assert (await asyncio.wait_for(service.run(clearing), HANG_GUARD)).status == "ok"
            await service.run("import torch\nt = torch.ones(2, 3)")
            detail = await asyncio.wait_for(service.inspect("t"), HANG_GUARD)
            assert detail.get("shape") == [2, 3], f"after {clearing}: {detail}"
    finally:
        await service.run("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np")


async def test_a_replaced_builtins_namespace_is_put_back_with_a_word_and_later_cells_run(service):
    # Left in place, `__builtins__ = {}` failed every later cell ("print" is not defined), and a
    # dict without __import__ made C code that imports raise KeyError: '__import__' in a call.
    await service.run("t = torch.ones(2, 3)")
    for replacement in ("{}", "{k: v for k, v in vars(__import__('builtins')).items() if k != '__import__'}"):
        seen = updates_of(service)
        assert (await asyncio.wait_for(service.run(f"__builtins__ = {replacement}"), HANG_GUARD)).status == "ok"
        said = "".join(u.text for u in seen if isinstance(u, StreamText) and u.name == "stderr")
        assert "put back __builtins__" in said, said
        seen = updates_of(service)
        outcome = await asyncio.wait_for(service.run("import math\nprint(len(str(math.pi)))"), HANG_GUARD)
        assert outcome.status == "ok" and StreamText("stdout", "17\n") in seen
        assert (await asyncio.wait_for(service.inspect("t"), HANG_GUARD))["shape"] == [2, 3]
