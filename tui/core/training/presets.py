"""Named starting points for the training view, which lesson steps open (``Launch(tool="training")``)."""

from __future__ import annotations

from tui.core.training.config import DATASETS, TrainConfig

PRESETS: dict[str, TrainConfig] = {
    **{name: TrainConfig(dataset=name) for name in DATASETS},
    # The lesson's 3-4-2 toy network: small enough that some seeds never fit the data.
    "toy-tiny": TrainConfig(dataset="toy", hidden=(4,), activation="relu", optimizer="adam", lr=0.05, batch_size=20,
                            samples=20, steps=3000),
    # The same spirals run as the default, its 256-sample batches taken as 4 micro-batches of 64.
    "accumulation": TrainConfig(dataset="spirals", batch_size=256, accum=4),
    # Two data-parallel ranks, each with batches of 256 (a global batch of 512), for the data-parallel lesson.
    "data-parallel": TrainConfig(dataset="spirals", nproc=2),
    # The default run on whatever device is best here, to compare with --device cpu.
    "gpu": TrainConfig(dataset="spirals", hidden=(256, 256), batch_size=1024, device="auto"),
}
"""Preset name to configuration."""


def preset(name: str) -> TrainConfig:
    """A fresh copy of a preset; KeyError for an unknown name."""
    base = PRESETS[name]
    return TrainConfig(**{**base.__dict__, "extra": dict(base.extra)})
