"""The training loop: an MLP on a synthetic dataset, reporting in batches, controllable while it runs.

Losses stay on the device between reports: each step's loss is kept as a tensor and the batch is
read with one ``tolist()`` (one host synchronisation) about 20 times a second, instead of one
``.item()`` per step as tutorials do. On a GPU that is the difference between the device waiting
for Python and Python waiting for the device.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable

from tui.core.training.config import TrainConfig
from tui.core.training.data import Dataset, make_dataset
from tui.core.training.device import pick_device

REPORT_SECONDS = 0.05
BOUNDARY_EVERY = 10
"""Reports between decision-boundary refreshes (about twice a second)."""
DETAIL_EVERY = 4
"""Reports between accuracy and gradient-norm measurements (about five a second): the bare loop
does neither, and at every report they cost the run a few per cent."""
BOUNDARY_SIZE = (120, 40)
"""Columns and rows of the predicted-class grid: the view samples it to the size of its room (a
200-column terminal has about 150 columns for it), so it is made finer than an 80x24 view needs."""
EVAL_SAMPLES = 1024
"""Accuracy is measured on this many samples drawn at random (the datasets are stored sorted by class,
so the first 1024 would all be one class)."""
POINTS_SHOWN = 300
"""Data points drawn over the decision map."""


@dataclass
class Report:
    """A batch of progress, posted about 20 times a second; together they hold every step's loss."""

    steps: list[int]
    losses: list[float]
    elapsed: float
    steps_per_s: float
    samples_per_s: float
    lr: float
    accuracy: float | None = None
    grad_norms: dict[str, float] = field(default_factory=dict)
    boundary: list[list[int]] | None = None
    points: list[tuple[float, float, int]] | None = None
    """Data points to draw over ``boundary``, sent with it: ``(u, v, class)`` with ``u`` from the
    left and ``v`` from the top, both from 0 to 1 across the grid."""
    memory: str | None = None
    done: bool = False
    reason: str = ""
    """Why the run ended: ``finished``, ``stopped``, ``nan``, ``oom`` or ``error`` (with ``message``)."""
    message: str = ""
    step_count: int = 0
    """Steps taken in the run so far."""
    cpu_seconds: float = 0.0
    """CPU time of the thread running the loop so far: against ``elapsed``, how much of the run it
    could work rather than wait (for the GIL, say)."""
    paused: bool = False
    """The run holds after this report until it is resumed or stopped: the pause has taken effect."""
    ranks: list[tuple[float, float, float]] | None = None
    """A data-parallel run's ranks (:mod:`tui.core.training.distributed`), in rank order: each one's
    steps/s, samples/s and the share of its time spent in the gradient all-reduce."""

    @classmethod
    def ended(cls, lr: float, message: str, reason: str = "error", elapsed: float = 0.0) -> "Report":
        """The last report of a run that ended without a step to report (it failed, or could not start)."""
        return cls([], [], elapsed, 0.0, 0.0, lr, done=True, reason=reason, message=message)


class RunControl:
    """Pause, resume, stop and learning-rate changes, safe to call from another thread."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self.stop_requested = False
        self.new_lr: float | None = None

    def pause(self) -> None:
        """Hold the loop before its next step."""
        self._running.clear()

    def resume(self) -> None:
        """Let the loop go on."""
        self._running.set()

    @property
    def paused(self) -> bool:
        """Whether the loop is held."""
        return not self._running.is_set()

    def stop(self) -> None:
        """End the run at the next step (a paused run ends too)."""
        self.stop_requested = True
        self._running.set()

    def wait_while_paused(self) -> None:
        """Block while paused (waking up for a stop)."""
        while not self._running.wait(0.1):
            pass


def build_mlp(inputs: int, hidden: tuple[int, ...], outputs: int, activation: str) -> Any:
    """``Linear -> activation`` for each hidden size, then a final ``Linear``."""
    import torch.nn as nn

    makers = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU, "leaky_relu": nn.LeakyReLU}
    layers: list[Any] = []
    width = inputs
    for size in hidden:
        layers += [nn.Linear(width, size), makers[activation]()]
        width = size
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


def build_optimizer(name: str, params: Any, lr: float) -> Any:
    """SGD, SGD with momentum 0.9, Adam or AdamW, fused where this torch and device have it.

    The fused update is the same arithmetic in one kernel per step instead of a dozen small
    ops per parameter: on the CPU, an Adam step of the benchmark's MLP ran about 1.4 times as
    many steps a second. Torch before 2.4 has no fused CPU kernels; the usual update is used.
    """
    import torch

    params = list(params)
    kinds = {"sgd": (torch.optim.SGD, {}), "momentum": (torch.optim.SGD, {"momentum": 0.9}),
             "adamw": (torch.optim.AdamW, {}), "adam": (torch.optim.Adam, {})}
    kind, options = kinds.get(name, kinds["adam"])
    try:
        return kind(params, lr=lr, fused=True, **options)
    except (RuntimeError, ValueError, TypeError):  # no fused kernel for this device or torch
        return kind(params, lr=lr, **options)


def memory_text(used: int, free: int, total: int, fraction: float) -> str:
    """``12 MiB used · GPU 61,234 of 81,559 MiB free · limit 25%`` (bytes in)."""
    mib = 2**20
    limit = f" · limit {fraction:.0%}" if fraction < 1 else ""
    return f"{used / mib:,.0f} MiB used · GPU {free / mib:,.0f} of {total / mib:,.0f} MiB free{limit}"


class Trainer:
    """One run: builds everything from a config, then :meth:`run` trains and reports.

    As rank ``rank`` of ``world`` data-parallel processes (:mod:`tui.core.training.distributed`), it
    draws the same global batch as every rank (the same seed) and trains on its shard of it, every
    ``world``-th sample from its rank on, as ``DistributedSampler`` shards a dataset; ``device``
    then names this rank's device. ``config.extra["dtype"] = "float64"`` trains in double precision.
    """

    def __init__(self, config: TrainConfig, rank: int = 0, world: int = 1, device: Any = None) -> None:
        import torch

        self.config = config.validate()
        self.rank, self.world = rank, world
        if device is None:
            self.device, self.device_name = pick_device(config.device)
        else:
            self.device, self.device_name = device, str(device)
        if self.device.type == "cuda" and config.gpu_fraction < 1:
            # Allocations past this share raise out-of-memory here instead of starving other learners.
            torch.cuda.set_per_process_memory_fraction(config.gpu_fraction, self.device)
        torch.manual_seed(config.seed)
        self.data: Dataset = make_dataset(config.dataset, config.samples, config.seed).to(self.device)
        self.model = build_mlp(self.data.inputs.shape[1], config.hidden, self.data.outputs, config.activation).to(self.device)
        if config.extra.get("dtype") == "float64":
            self.model.double()
            self.data = Dataset(self.data.name, self.data.inputs.double(),
                                self.data.targets.double() if self.data.task == "binary" else self.data.targets,
                                self.data.task, self.data.outputs)
        self.stepped = self.model
        """What a step calls: the model, or its ``DistributedDataParallel`` wrapper in a data-parallel run."""
        self.optimizer = build_optimizer(config.optimizer, self.model.parameters(), config.lr)
        self.loss_fn = torch.nn.CrossEntropyLoss() if self.data.task == "classes" else torch.nn.BCEWithLogitsLoss()
        self.generator = torch.Generator(device=self.device).manual_seed(config.seed)
        self.micro = config.batch_size // config.accum
        self.step_count = 0
        self.start_step = 0
        self.history: list[float] = []
        # A private generator: the same evaluation sample for a seed, and the training draws untouched.
        order = torch.randperm(len(self.data.inputs), generator=torch.Generator().manual_seed(config.seed))
        self.eval_index = order[:EVAL_SAMPLES].to(self.device)
        self.points = self._points(order[:POINTS_SHOWN])

    def _points(self, index: Any) -> list[tuple[float, float, int]] | None:
        """Some data points with their class, placed on the boundary grid (2-D class data only)."""
        if not self.data.two_d or self.data.task != "classes":
            return None
        inputs = self.data.inputs.cpu()
        low, high = inputs.min(0).values, inputs.max(0).values
        span = (high - low).clamp_min(1e-12)
        picked = (inputs[index] - low) / span
        labels = self.data.targets.cpu()[index].tolist()
        return [(u, 1.0 - v, int(c)) for (u, v), c in zip(picked.tolist(), labels)]

    def restore(self, model_state: dict, optimizer_state: dict, step: int) -> None:
        """Continue a saved run: its weights, its optimizer's state (Adam's moments) and its step count."""
        self.model.load_state_dict(model_state)
        self.optimizer.load_state_dict(optimizer_state)
        self.step_count = step

    def _make_step(self) -> Callable[[], Any]:
        """One optimizer step over ``accum`` micro-batches (loss divided by ``accum``), returning the
        loss tensor: a closure over local names, made once per run.

        The loop's Python overhead is what separates it from a bare loop on a small model: looking
        ``self.model``, ``self.data.inputs``... up on every step cost about 2% of the steps/s. The
        batch is taken with ``index_select`` rather than ``inputs[index]``, whose indexing machinery
        costs 1.4 us more per tensor here (the same rows either way). Gradients are cleared by
        setting each parameter's ``.grad`` to ``None``, which is what ``zero_grad(set_to_none=True)``
        does, without its profiler scope and bookkeeping: 19 us a step less here, about 5% of the
        step (a test checks the parameters match a loop that calls ``zero_grad``).
        """
        import torch

        model, loss_fn, optimizer, generator, device = self.stepped, self.loss_fn, self.optimizer, self.generator, self.device
        inputs, targets, micro, accum = self.data.inputs, self.data.targets, self.micro, self.config.accum
        rank, world = self.rank, self.world
        randint, update, n = torch.randint, optimizer.step, inputs.shape[0]
        pick = torch.index_select
        params = [p for group in optimizer.param_groups for p in group["params"]]

        def one_batch() -> Any:
            for p in params:
                p.grad = None
            index = randint(0, n, (micro,), device=device, generator=generator)
            loss = loss_fn(model(pick(inputs, 0, index)), pick(targets, 0, index))
            loss.backward()
            update()
            self.step_count += 1
            return loss.detach()

        def accumulated() -> Any:
            for p in params:
                p.grad = None
            total = None
            for _ in range(accum):
                index = randint(0, n, (micro,), device=device, generator=generator)
                loss = loss_fn(model(pick(inputs, 0, index)), pick(targets, 0, index)) / accum
                loss.backward()
                total = loss.detach() if total is None else total + loss.detach()
            update()
            self.step_count += 1
            return total

        def sharded() -> Any:
            """A data-parallel step: this rank's shard of the global batch of each micro-batch; DDP
            averages the gradients over the ranks in the last micro-batch's backward."""
            for p in params:
                p.grad = None
            total = None
            for i in range(accum):
                index = randint(0, n, (micro * world,), device=device, generator=generator)[rank::world]
                with (model.no_sync() if i < accum - 1 else nullcontext()):
                    loss = loss_fn(model(pick(inputs, 0, index)), pick(targets, 0, index)) / accum
                    loss.backward()
                total = loss.detach() if total is None else total + loss.detach()
            update()
            self.step_count += 1
            return total

        if world > 1:
            return sharded
        return one_batch if accum == 1 else accumulated

    def accuracy(self) -> float:
        """Accuracy on :data:`EVAL_SAMPLES` samples drawn at random from the whole dataset."""
        import torch

        with torch.no_grad():
            inputs = torch.index_select(self.data.inputs, 0, self.eval_index)
            targets = torch.index_select(self.data.targets, 0, self.eval_index)
            logits = self.model(inputs)
            if self.data.task == "classes":
                return float((logits.argmax(1) == targets).float().mean())
            return float(((logits > 0).float() == targets).float().mean())

    def grad_norms(self) -> dict[str, float]:
        """The gradient norm of each layer's weight (vanishing or exploding gradients show here)."""
        norms = {name.removesuffix(".weight"): p.grad for name, p in self.model.named_parameters()
                 if name.endswith("weight") and p.grad is not None}
        if not norms:
            return {}
        import torch

        values = torch.stack([g.norm() for g in norms.values()]).tolist()
        return dict(zip(norms, values))

    def boundary(self) -> list[list[int]] | None:
        """The predicted class over a grid covering the 2-D data (rows top to bottom)."""
        if not self.data.two_d:
            return None
        import torch

        cols, rows = BOUNDARY_SIZE
        low, high = self.data.inputs.min(0).values.tolist(), self.data.inputs.max(0).values.tolist()
        kind = {"device": self.device, "dtype": self.data.inputs.dtype}
        xs, ys = torch.linspace(low[0], high[0], cols, **kind), torch.linspace(high[1], low[1], rows, **kind)
        grid = torch.stack(torch.meshgrid(ys, xs, indexing="ij")[::-1], dim=-1).reshape(-1, 2)
        with torch.no_grad():
            return self.model(grid).argmax(1).reshape(rows, cols).tolist()

    def memory(self) -> str | None:
        """On CUDA: this run's memory, the GPU's free and total memory (others' use included), the limit."""
        if self.device.type != "cuda":
            return None
        import torch

        free, total = torch.cuda.mem_get_info(self.device)
        return memory_text(torch.cuda.memory_allocated(self.device), free, total, self.config.gpu_fraction)

    def run(self, report: Callable[[Report], None], control: RunControl | None = None,
            every: float = REPORT_SECONDS) -> Report:
        """Train for ``config.steps`` steps, calling ``report`` with each batch; returns the last report.

        ``control`` is read after each report (about 20 times a second), not on every step: a
        pause, a stop or a new learning rate takes effect within ``every`` seconds, and the steps
        in between run as a bare loop would.
        """
        control = control or RunControl()
        self.start_step = self.step_count  # a resumed run's speed counts the steps it takes, not the saved ones
        step, clock, steps = self._make_step(), time.perf_counter, self.config.steps
        began = last = clock()
        cpu = time.thread_time()
        pending: list[Any] = []
        reports = 0
        final = None
        try:
            while self.step_count < steps and not control.stop_requested:
                pending.append(step())
                now = clock()
                if now - last < every:
                    continue
                reports += 1
                final = self._flush(pending, began, reports % BOUNDARY_EVERY == 1, detail=reports % DETAIL_EVERY == 1)
                pending, last = [], now
                final.cpu_seconds = time.thread_time() - cpu
                final.paused = control.paused  # read once: a paused report is always followed by the hold
                report(final)
                if final.done:
                    return final
                if final.paused:
                    control.wait_while_paused()
                    last = clock()
                if control.new_lr is not None:
                    for group in self.optimizer.param_groups:
                        group["lr"] = control.new_lr
                    control.new_lr = None
            reason = "stopped" if control.stop_requested else "finished"
            final = self._flush(pending, began, True, done=True, reason=reason)
        except Exception as error:  # out of memory or another runtime failure ends the run with a message
            final = self._failure(error, began)
        final.cpu_seconds = time.thread_time() - cpu
        final.step_count = self.step_count
        report(final)
        return final

    def _flush(self, pending: list[Any], began: float, with_boundary: bool, done: bool = False, reason: str = "",
               detail: bool = True) -> Report:
        import torch

        return self._report(torch.stack(pending).tolist() if pending else [], began, with_boundary, done, reason, detail)

    def _report(self, losses: list[float], began: float, with_boundary: bool, done: bool = False, reason: str = "",
                detail: bool = True) -> Report:
        """The report of the steps whose losses are ``losses`` (the last ``len(losses)`` steps)."""
        first = self.step_count - len(losses) + 1
        steps = list(range(first, self.step_count + 1))
        self.history += losses
        elapsed = time.perf_counter() - began
        rate = (self.step_count - self.start_step) / elapsed if elapsed > 0 else 0.0
        bad = next((s for s, value in zip(steps, losses) if not math.isfinite(value)), None)
        message = ""
        if bad is not None:
            done, reason = True, "nan"
            message = (f"The loss became {losses[steps.index(bad)]} at step {bad}: training diverged. "
                       f"Lower the learning rate (it is {self.optimizer.param_groups[0]['lr']}) and start again.")
        detail = detail and bad is None
        return Report(steps, losses, elapsed, rate, rate * self.config.batch_size * self.world, self.optimizer.param_groups[0]["lr"],
                      self.accuracy() if detail else None, self.grad_norms() if detail else {},
                      self.boundary() if with_boundary and bad is None else None,
                      self.points if with_boundary and bad is None else None, self.memory(), done, reason, message,
                      self.step_count)

    def _failure(self, error: Exception, began: float) -> Report:
        text = str(error)
        oom = "out of memory" in text.lower()
        message = (f"The GPU ran out of memory at batch size {self.config.batch_size}. Try --batch-size "
                   f"{max(1, self.config.batch_size // 2)}, fewer or smaller hidden layers, or --device cpu."
                   if oom else f"Training stopped: {type(error).__name__}: {text.splitlines()[0] if text else ''}")
        return Report.ended(self.config.lr, message, "oom" if oom else "error", time.perf_counter() - began)
