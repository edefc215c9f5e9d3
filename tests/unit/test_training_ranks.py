"""Data-parallel runs on torch.distributed (gloo): the same parameters as one process on the global
batch, rank 0's report, two "nodes" on 127.0.0.1, and a dying rank ending the run with its name."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.waiting import wait_for
from tui.cli import main
from tui.core.training.config import TrainConfig
from tui.core.training.distributed import Plan, free_port
from tui.core.training.headless_ranks import TOLERANCE, check_equivalence

REPO = Path(__file__).resolve().parents[2]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def test_two_ranks_end_with_the_parameters_of_one_process_on_the_global_batch():
    config = TrainConfig(dataset="spirals", hidden=(16,), batch_size=32, steps=40, device="cpu")
    same, lines = check_equivalence(config, Plan(nproc=2))
    assert same, "\n".join(lines)
    gaps = [float(line.rsplit(" ", 1)[1]) for line in lines if "largest difference" in line and line.startswith("  ")]
    assert len(gaps) == 4 and max(gaps) <= TOLERANCE  # two weights, two biases
    assert "2 ranks x batch 32 against 1 process x batch 64" in lines[0]


def test_tensordojo_train_nproc_2_reports_the_mean_loss_of_every_step_once_from_rank_0(capfd, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where torch puts each rank's error file
    earlier = set(children(os.getpid()))  # other tests' shared kernels and runners are not this run's
    assert main(["train", "--nproc", "2", "--steps", "60", "--hidden", "16", "--jsonl", "--device", "cpu"]) == 0
    lines = [json.loads(line) for line in capfd.readouterr().out.splitlines()]
    assert [line["step"] for line in lines[:-1]] == list(range(1, 61))  # rank 0 alone writes, each step once
    done = lines[-1]
    assert done["event"] == "done" and done["nproc"] == 2 and done["global_batch"] == 512
    assert [rank["rank"] for rank in done["ranks"]] == [0, 1]
    assert all(rank["steps_per_s"] > 0 and 0 <= rank["allreduce_share"] for rank in done["ranks"])
    assert set(children(os.getpid())) - earlier == set()  # no rank left behind
    assert not list(tmp_path.glob("pytorch-errorfile-*")), "each rank's error file is removed"


@pytest.mark.parametrize("args, needle", [(["--nproc", "two"], "--nproc 'two'"), (["--nproc", "0"], "--nproc 0"),
                                          (["--nnodes", "2", "--node-rank", "2"], "--node-rank 2"),
                                          (["--nproc", "2", "--resume", "x.pt"], "no such file"),
                                          (["--check-equivalence"], "--nproc 2")])
def test_bad_data_parallel_options_are_named(capsys, args, needle):
    assert main(["train", *args]) == 2
    assert needle in capsys.readouterr().err


def _train_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", "train", "--device", "cpu", "--hidden", "16", "--jsonl", *args]


def test_two_nodes_on_localhost_train_one_model_together():
    port = str(free_port())
    common = ["--nnodes", "2", "--nproc", "1", "--master-addr", "127.0.0.1", "--master-port", port, "--steps", "30"]
    nodes = [subprocess.Popen(_train_command(*common, "--node-rank", str(rank)), cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for rank in (1, 0)]
    try:
        outputs = [node.communicate(timeout=600) for node in nodes]
    finally:
        for node in nodes:
            node.kill()
    (second_out, second_err), (first_out, first_err) = outputs
    assert [node.returncode for node in nodes] == [0, 0], second_err + first_err
    done = json.loads(first_out.splitlines()[-1])
    assert done["nproc"] == 2 and done["steps"] == 30 and len(done["ranks"]) == 2
    assert second_out == ""  # node 1 holds rank 1: it trains and reports nothing


def test_a_rank_that_dies_ends_the_run_naming_it_and_leaves_no_process(tmp_path):
    command = _train_command("--nproc", "2", "--steps", str(10**7))
    cli = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "TMPDIR": str(tmp_path)})  # where torch writes the ranks' error files
    try:
        assert cli.stdout.readline().startswith('{"step": 1')  # the ranks train
        ranks = wait_for(lambda: len(children(cli.pid)) == 2 and children(cli.pid), what="two rank processes")
        os.kill(ranks[1], signal.SIGKILL)
        _, err = cli.communicate(timeout=600)
    finally:
        cli.kill()
    assert cli.returncode == 1
    assert "rank 1 ended: it was killed" in err and "the other ranks were stopped" in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("pytorch-errorfile-*")), "the failed rank's error file is removed"
    for pid in ranks:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_a_rank_killed_by_a_signal_is_named_rather_than_the_peer_whose_collective_failed():
    from types import SimpleNamespace

    from tui.core.training.distributed import _killed_first

    def ranks(*codes):
        return [SimpleNamespace(exitcode=code) for code in codes]

    assert _killed_first(ranks(1, -signal.SIGKILL), raised=0) == 1  # rank 0 raised because rank 1 was killed
    assert _killed_first(ranks(1, -signal.SIGTERM), raised=0) is None  # rank 1 was only stopped afterwards
    assert _killed_first(ranks(1, 0), raised=0) is None
