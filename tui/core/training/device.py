"""Choosing the device to train on: auto picks CUDA, then MPS, then the CPU, and says which."""

from __future__ import annotations

from typing import Any


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
