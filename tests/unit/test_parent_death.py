"""A child that asks to die with its parent ends when the parent is SIGKILLed: by the kernel's
parent-death signal when started from the parent's main thread, by its watching thread otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.waiting import wait_for

PARENT = """
import subprocess, sys, threading, time
from tui.core.processes.parent_death import mark_child_environment
from tui.core.paths import child_environment

def spawn():
    child = subprocess.Popen([sys.executable, "-c",
        "from tui.core.processes.parent_death import die_with_parent; import time; die_with_parent(); print('ready', flush=True); time.sleep(600)"],
        env=child_environment(), stdout=subprocess.PIPE, text=True)
    child.stdout.readline()
    print(child.pid, flush=True)

if sys.argv[1] == "thread":
    worker = threading.Thread(target=spawn)
    worker.start()
    worker.join()
else:
    spawn()
print("joined", flush=True)
time.sleep(600)
"""


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="checks processes through /proc")
@pytest.mark.parametrize("started_from", ["main", "thread"])
def test_a_child_ends_when_its_parent_is_killed(started_from):
    root = str(Path(__file__).resolve().parents[2])
    parent = subprocess.Popen([sys.executable, "-c", PARENT, started_from], stdout=subprocess.PIPE, text=True,
                              cwd=root, env={**os.environ, "PYTHONPATH": root})
    child = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "joined"  # the thread that started it (if any) has ended
    assert running(child)  # and the child did not die of that
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    wait_for(lambda: not running(child), f"the child {child} to end after its parent was killed")
