"""Command-line paths a learner takes that other tests skip: ``train`` with its progress bar and its
exit 1, ``--lesson ID``, plain ``progress``, and ``bench`` without ``--json``."""

from __future__ import annotations

import pytest

from tui.cli import main
from tui.core.course.loader import load_package
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_without_jsonl_shows_its_setup_and_the_loss_going_down(capsys):
    code, out, err = run(capsys, "train", "--steps", "60", "--hidden", "8", "--device", "cpu")
    assert code == 0 and out == ""  # the progress bar and the summary go to stderr, like any progress
    assert "Training an MLP (8,) on spirals with adam (lr 0.01) on cpu" in err
    summary = next(line for line in err.splitlines() if line.startswith("done: 60 steps, loss "))
    first, last = (float(x) for x in summary.split("loss ")[1].split(",")[0].split(" -> "))
    assert last < first


def test_train_exits_1_and_says_why_when_the_loss_becomes_nan(capsys, monkeypatch):
    from tui.core.training.engine import Trainer

    built = Trainer.__init__

    def with_a_loss_that_turns_nan(self, config):
        built(self, config)
        real = self.loss_fn
        self.loss_fn = lambda out, y: real(out, y) * (float("nan") if self.step_count >= 5 else 1.0)

    monkeypatch.setattr(Trainer, "__init__", with_a_loss_that_turns_nan)
    code, _, err = run(capsys, "train", "--steps", "200", "--hidden", "8", "--device", "cpu")
    assert code == 1
    assert "step 6" in err and "Lower the learning rate" in err


def test_train_exits_1_when_the_gpu_runs_out_of_memory(capsys, monkeypatch):
    import torch

    from tui.core.training.engine import Trainer

    def out_of_memory(self):
        def step():
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return step

    monkeypatch.setattr(Trainer, "_make_step", out_of_memory)
    code, _, err = run(capsys, "train", "--steps", "20", "--batch-size", "64", "--device", "cpu")
    assert code == 1
    assert "ran out of memory at batch size 64" in err and "--batch-size 32" in err


def test_lesson_id_opens_the_app_at_that_lesson(monkeypatch):
    import tui.app

    opened = []
    monkeypatch.setattr(tui.app.TensorDojoApp, "run", lambda self: opened.append(self))
    lesson = load_package().lessons[-1]
    assert main(["--lesson", lesson.id]) == 0
    assert [app.start_lesson for app in opened] == [lesson.id]


def test_plain_progress_lists_every_lesson_and_says_how_to_hand_it_in(capsys, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "Bo Li")
    store = ProgressStore(progress_db_path())
    store.set_current_step("tensors", "pad-sequences")
    store.record_answer("tensors", "pad-sequences", "code", True)
    store.close()
    code, out, _ = run(capsys, "progress")
    lines = out.splitlines()
    catalogue = load_package()
    assert code == 0 and [line.split()[0] for line in lines[:-1]] == catalogue.ids
    tensors = lines[catalogue.ids.index("tensors")]
    assert "in progress" in tensors and "exercises 1/" in tensors
    assert lines[-1] == 'Hand in: tensordojo progress --json --name "Bo Li" > Bo_Li.json'


class Figures:
    def __init__(self, name: str, calls: list) -> None:
        self.name, self.calls = name, calls

    def report(self) -> str:
        return f"{self.name} figures"


def test_bench_without_json_prints_each_measurement_in_turn(capsys, monkeypatch):
    import tui.bench.first_paint
    import tui.bench.inspector
    import tui.bench.repl
    import tui.bench.training

    calls: list = []
    for module, name in ((tui.bench.first_paint, "measure_first_paint"), (tui.bench.repl, "measure_repl"),
                         (tui.bench.inspector, "measure_inspector"), (tui.bench.training, "measure_training")):
        monkeypatch.setattr(module, name, lambda arg, name=name: calls.append((name, arg)) or Figures(name, calls))
    code, out, _ = run(capsys, "bench", "--runs", "2", "--round-trips", "3")
    assert code == 0
    assert out.splitlines() == ["measure_first_paint figures", "measure_repl figures", "measure_inspector figures",
                                "measure_training figures"]
    assert calls == [("measure_first_paint", 2), ("measure_repl", 3), ("measure_inspector", 3), ("measure_training", "cpu")]


def test_bench_without_pyte_says_how_to_get_it(capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyte" else real(name, *a))
    code, _, err = run(capsys, "bench")
    assert code == 2 and "pip install pyte" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["--runs", "0"], ["--round-trips", "0"]])
def test_bench_refuses_zero_runs(capsys, args):
    code, _, err = run(capsys, "bench", *args)
    assert code == 2 and "at least 1" in err
