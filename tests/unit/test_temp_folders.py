"""Temp folders named after their owner process: an ended owner's folder is swept up, a live one's kept."""

from __future__ import annotations

import os
import subprocess
import sys

from tui.core.processes.temp_folders import owned_temp_folder, sweep_abandoned

PREFIX = "tensordojo-test-owned-"


def ended_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_folders_of_ended_owners_are_swept_and_live_ones_kept(tmp_path):
    abandoned = tmp_path / f"{PREFIX}{ended_pid()}-abc"
    live = tmp_path / f"{PREFIX}{os.getpid()}-def"
    unnamed = tmp_path / f"{PREFIX}xyz"  # no owner in the name: not ours to judge
    for folder in (abandoned, live, unnamed):
        folder.mkdir()
        (folder / "ipc-1").write_text("")
    assert sweep_abandoned(PREFIX, tmp_path) == [abandoned]
    assert not abandoned.exists() and live.exists() and unnamed.exists()


def test_a_new_folder_carries_this_process_id_and_sweeps_first(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    left = tmp_path / f"{PREFIX}{ended_pid()}-old"
    left.mkdir()
    made = owned_temp_folder(PREFIX)
    assert made.parent == tmp_path and made.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert not left.exists()
