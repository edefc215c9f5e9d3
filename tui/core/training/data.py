"""Seeded synthetic datasets: the toy two-layer exercise, and 2-D spirals, moons, circles and xor."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class Dataset:
    """Inputs and targets on a device, and what kind of task they are.

    Attributes:
        task: ``classes`` (integer labels, cross-entropy) or ``binary`` (several 0/1 targets, BCE).
        outputs: how many outputs the network needs.
    """

    name: str
    inputs: Any
    targets: Any
    task: str
    outputs: int

    @property
    def two_d(self) -> bool:
        """Whether the inputs are points in the plane (a decision boundary can be drawn)."""
        return self.inputs.shape[1] == 2

    def to(self, device: Any) -> "Dataset":
        """The same data on another device."""
        return Dataset(self.name, self.inputs.to(device), self.targets.to(device), self.task, self.outputs)


def make_dataset(name: str, samples: int = 2048, seed: int = 0) -> Dataset:
    """Build a dataset by name; the same seed always gives the same data."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    n = samples
    if name == "toy":
        from tui.core.training.toy import toy_data

        x, y = toy_data(n, seed)  # the course's toy data (lessons 8 and 10), for any n
        return Dataset(name, x, y, "binary", 2)
    half = n // 2
    labels = torch.cat([torch.zeros(half), torch.ones(n - half)]).long()
    noise = 0.08 * torch.randn(n, 2, generator=gen)
    if name == "spirals":
        t = torch.rand(n, generator=gen) * 3 * math.pi + 0.5
        sign = torch.where(labels == 0, 1.0, -1.0)
        x = torch.stack([sign * t * torch.cos(t), sign * t * torch.sin(t)], dim=1) / (3 * math.pi) + noise
    elif name == "moons":
        t = torch.rand(n, generator=gen) * math.pi
        x = torch.where(labels[:, None] == 0,
                        torch.stack([torch.cos(t), torch.sin(t)], 1),
                        torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)) + noise
    elif name == "circles":
        t = torch.rand(n, generator=gen) * 2 * math.pi
        radius = torch.where(labels == 0, 1.0, 0.5)
        x = torch.stack([radius * torch.cos(t), radius * torch.sin(t)], 1) + noise
    elif name == "xor":
        x = torch.rand(n, 2, generator=gen) * 2 - 1
        labels = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).long()
    else:
        raise ValueError(f"unknown dataset {name!r}")
    return Dataset(name, x, labels, "classes", 2)
