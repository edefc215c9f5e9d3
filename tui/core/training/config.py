"""A training run's settings, validated with messages that name the option at fault."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DATASETS = ("toy", "spirals", "moons", "circles", "xor")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")
DEVICES = ("auto", "cpu", "cuda", "mps")


GPU_FRACTION_VAR = "TENSORDOJO_GPU_FRACTION"
"""Set on a shared GPU server (say to 0.25) so every learner's runs stay within that share of the GPU."""


def _gpu_fraction_from_env() -> float:
    raw = os.environ.get(GPU_FRACTION_VAR, "").strip()
    try:
        return float(raw) if raw else 1.0
    except ValueError:
        return float("nan")  # reported by problems(), naming the variable


class ConfigError(ValueError):
    """A setting is wrong; the message names it and says what is allowed."""


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"64,64"`` to ``(64, 64)``; raises :class:`ConfigError` for anything else."""
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise ConfigError(f"--hidden {text!r}: give positive layer sizes separated by commas, like 64,64")
    return tuple(int(p) for p in parts)


@dataclass
class TrainConfig:
    """Everything that defines a run. ``validate()`` checks it all and reports every problem."""

    dataset: str = "spirals"
    hidden: tuple[int, ...] = (64, 64)
    activation: str = "relu"
    optimizer: str = "adam"
    lr: float = 0.01
    batch_size: int = 256
    accum: int = 1
    steps: int = 20000
    """The training view's default: long enough to try pause and the learning-rate keys (``tensordojo
    train`` has its own default of 2000)."""
    device: str = "auto"
    nproc: int = 1
    """Data-parallel processes (ranks) on this machine, each with ``batch_size`` samples a step
    (:mod:`tui.core.training.distributed`); 1 trains in one process."""
    seed: int = 0
    samples: int = 2048
    gpu_fraction: float = field(default_factory=_gpu_fraction_from_env)
    """The share of the GPU's memory a run may use (CUDA only); 1.0 is all of it."""
    extra: dict = field(default_factory=dict)

    def problems(self) -> list[str]:
        """Every setting that is wrong, as messages naming the option."""
        found = []
        for name, value, allowed in (("dataset", self.dataset, DATASETS), ("activation", self.activation, ACTIVATIONS),
                                     ("optimizer", self.optimizer, OPTIMIZERS), ("device", self.device, DEVICES)):
            if value not in allowed:
                found.append(f"--{name} {value!r} is unknown; choose one of {', '.join(allowed)}")
        if not self.hidden or any(not isinstance(h, int) or h <= 0 for h in self.hidden):
            found.append("--hidden: give positive layer sizes, like 64,64")
        if not (self.lr > 0 and self.lr < 100):
            found.append(f"--lr {self.lr}: the learning rate must be a positive number below 100, like 0.01")
        for name, value in (("batch-size", self.batch_size), ("accum", self.accum), ("steps", self.steps),
                            ("nproc", self.nproc)):
            if not isinstance(value, int) or value <= 0:
                found.append(f"--{name} {value}: must be a whole number above 0")
        if self.gpu_fraction != self.gpu_fraction:  # NaN: the environment variable is not a number
            found.append(f"${GPU_FRACTION_VAR}={os.environ.get(GPU_FRACTION_VAR, '')!r} is not a number; "
                         "give a share of the GPU's memory like 0.25")
        elif not (0 < self.gpu_fraction <= 1):
            found.append(f"--gpu-memory-fraction {self.gpu_fraction} (or ${GPU_FRACTION_VAR}): give a share of the "
                         "GPU's memory above 0 and at most 1, like 0.25")
        if not found and self.batch_size % self.accum:
            found.append(f"--accum {self.accum}: must divide --batch-size {self.batch_size} into equal micro-batches")
        return found

    def validate(self) -> "TrainConfig":
        """Raise :class:`ConfigError` with every problem, or return self."""
        problems = self.problems()
        if problems:
            raise ConfigError("; ".join(problems))
        return self
