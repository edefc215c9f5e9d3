"""Choosing the device to train on: auto picks CUDA, then MPS, then the CPU, and says which."""

from __future__ import annotations

import os
from typing import Any

THREADS_VARIABLE = "OMP_NUM_THREADS"


class DeviceUnavailable(Exception):
    """An explicitly requested device is not there."""


def pick_device(name: str) -> tuple[Any, str]:
    """Return the torch device and a description like ``cuda:0 (NVIDIA H100)`` or ``cpu``."""
    import torch

    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        name = "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda":
        if not cuda:
            raise DeviceUnavailable("--device cuda: no CUDA GPU is available here (torch.cuda.is_available() is "
                                    f"False; this torch is {torch.__version__}). Use --device cpu or auto.")
        return torch.device("cuda"), f"cuda:0 ({torch.cuda.get_device_name(0)})"
    if name == "mps":
        if not mps:
            raise DeviceUnavailable("--device mps: Apple's MPS backend is not available here. Use --device cpu or auto.")
        return torch.device("mps"), "mps"
    return torch.device("cpu"), "cpu"


def set_training_threads() -> int:
    """Give torch one intra-op thread, as the app's training process has, unless ``$OMP_NUM_THREADS``
    says otherwise; return the count in use.

    The models trained here are small: an op split over every core waits for the busiest one, and
    on a loaded machine torch's default (a thread per core) made a headless run 12 steps/s against
    477 with one thread (benchmarks/RESULTS.md).
    """
    import torch

    if not os.environ.get(THREADS_VARIABLE, "").strip():
        torch.set_num_threads(1)
    return torch.get_num_threads()
