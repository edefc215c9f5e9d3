"""The GPU path, checked in one command on a machine with CUDA (issue 23): ``python benchmarks/gpu_check.py [OUT.json]``.

Nothing here has run on a GPU in this project yet; this is the one prepared run for the first
machine that has one (a few minutes at most). It writes every figure to OUT.json (default
``gpu_check.json``) and prints them:

1. ``engine_ratio``: the headless engine's steps/s on CUDA over a bare CUDA loop of the same model,
   data and optimizer (runs alternate; median of paired ratios).
2. ``app_process_ratio``: the same for a run in the app's training process (``TrainingProcess``).
3. ``syncs_between_reports``: the engine's step run under ``torch.cuda.set_sync_debug_mode("error")``:
   any host synchronisation inside a step raises, so "none" means the loop never waits for the GPU
   between reports.
4. ``oom``: a run far too big for the memory share it is given ends with reason ``oom`` and the
   message the learner sees.
5. ``memory``: the training view's memory line with ``TENSORDOJO_GPU_FRACTION``-style limits.
6. ``ddp``: ``tensordojo train --nproc auto`` with nccl on the GPUs present (one rank per GPU), and
   ``--check-equivalence`` against one process where there are 2 or more GPUs.

On a machine without CUDA it says so and exits 2 without writing anything.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STEPS = 3000
PAIRS = 3


def _config(**changes):
    from tui.core.training.config import TrainConfig

    settings = {"dataset": "spirals", "hidden": (256, 256), "batch_size": 1024, "device": "cuda", "steps": STEPS}
    return TrainConfig(**{**settings, **changes})


def bare_cuda(steps: int = STEPS) -> float:
    """Steps/s of a plain loop on CUDA (one synchronisation at the end)."""
    import torch

    from tui.core.training.engine import Trainer

    trainer = Trainer(_config(steps=steps))
    model, optimizer, loss_fn, data = trainer.model, trainer.optimizer, trainer.loss_fn, trainer.data
    n = data.inputs.shape[0]
    torch.cuda.synchronize()
    began = time.perf_counter()
    for _ in range(steps):
        index = torch.randint(0, n, (1024,), device=trainer.device, generator=trainer.generator)
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(data.inputs[index]), data.targets[index]).backward()
        optimizer.step()
    torch.cuda.synchronize()
    return steps / (time.perf_counter() - began)


def engine(steps: int = STEPS) -> float:
    """Steps/s of the headless engine on CUDA."""
    from tui.core.training.engine import Trainer

    return Trainer(_config(steps=steps)).run(lambda report: None).steps_per_s


def app_process(process, steps: int = STEPS) -> float:
    """Steps/s of a run in the app's training process."""
    return process.run(_config(steps=steps), process.control(), lambda report: None).steps_per_s


def paired(run) -> dict:
    """Median of run / mean(bare before, bare after), and the raw figures."""
    bares, runs, ratios = [bare_cuda()], [], []
    for _ in range(PAIRS):
        runs.append(run())
        bares.append(bare_cuda())
        ratios.append(runs[-1] / ((bares[-2] + bares[-1]) / 2))
    return {"ratio": round(statistics.median(ratios), 3), "steps_per_s": round(statistics.median(runs), 1),
            "bare_steps_per_s": round(statistics.median(bares), 1)}


def syncs_between_reports() -> str:
    """Run 200 engine steps with CUDA syncs made errors; 'none' or the error."""
    import torch

    from tui.core.training.engine import Trainer

    trainer = Trainer(_config(steps=200))
    step = trainer._make_step()
    step()  # the first step may set things up (lazy state)
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        losses = [step() for _ in range(200)]
    except RuntimeError as error:
        return f"a step synchronised: {str(error).splitlines()[0]}"
    finally:
        torch.cuda.set_sync_debug_mode("default")
    torch.stack(losses).tolist()  # the report's one synchronisation, outside the steps
    return "none"


def oom() -> dict:
    """A run far beyond a 1% memory share (its activations alone need GBs): its end and message."""
    from tui.core.training.engine import Trainer

    config = _config(hidden=(8192, 8192), batch_size=65536, steps=5, gpu_fraction=0.01)
    try:
        final = Trainer(config).run(lambda report: None)
    except Exception as error:  # building the model itself ran out
        return {"reason": "raised while building", "message": f"{type(error).__name__}: {str(error).splitlines()[0]}"}
    return {"reason": final.reason, "message": final.message}


def memory() -> str:
    """The training view's memory line for a run limited to a quarter of the GPU."""
    from tui.core.training.engine import Trainer

    trainer = Trainer(_config(steps=10, gpu_fraction=0.25))
    trainer.run(lambda report: None)
    return trainer.memory() or ""


def ddp() -> dict:
    """``tensordojo train --nproc auto`` with nccl, and the equivalence check on 2+ GPUs."""
    import torch

    gpus = torch.cuda.device_count()
    command = [sys.executable, "-m", "tui", "train", "--jsonl", "--device", "cuda", "--nproc", "auto", "--steps", "500"]
    out = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)
    lines = out.stdout.strip().splitlines()
    result = {"gpus": gpus, "exit": out.returncode, "summary": json.loads(lines[-1]) if lines else None,
              "stderr_tail": out.stderr.strip().splitlines()[-3:]}
    if gpus >= 2:
        check = subprocess.run([sys.executable, "-m", "tui", "train", "--nproc", "2", "--check-equivalence"],
                               capture_output=True, text=True, cwd=REPO, timeout=300)
        result["equivalence"] = check.stdout.strip().splitlines()[-1:] + [f"exit {check.returncode}"]
    return result


def main(argv: list[str]) -> int:
    import torch

    if not torch.cuda.is_available():
        print(f"No CUDA GPU here (torch {torch.__version__}): nothing to check. Run this on a machine with one.")
        return 2
    from tui.core.training.device import set_training_threads
    from tui.core.training.process import TrainingProcess

    set_training_threads()
    out = Path(argv[0]) if argv else Path("gpu_check.json")
    figures: dict = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}
    figures["engine"] = paired(engine)
    process = TrainingProcess()
    try:
        process.wait_ready()
        figures["app_process"] = paired(lambda: app_process(process))
    finally:
        process.shutdown()
    for name, check in (("syncs_between_reports", syncs_between_reports), ("oom", oom), ("memory", memory),
                        ("ddp", ddp)):
        try:
            figures[name] = check()
        except Exception as error:  # one failing check must not hide the others' figures
            figures[name] = f"failed: {type(error).__name__}: {error}"
        torch.cuda.empty_cache()
    out.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
