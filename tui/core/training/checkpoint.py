"""Training checkpoints: everything needed to rebuild a run's model and go on training it.

``checkpoint.pt`` is a dict saved with ``torch.save``:

* ``format``: :data:`FORMAT`, so a file from elsewhere (or a bare ``state_dict``) is recognised;
* ``config``: the run's :class:`~tui.core.training.config.TrainConfig` as plain values (the model's
  architecture, the dataset, the optimizer and its learning rate);
* ``step``: the optimizer steps taken;
* ``model`` and ``optimizer``: their ``state_dict`` (the optimizer's holds Adam's moments).

Only plain values and tensors are stored, so it loads with ``torch.load(..., weights_only=True)``.
The data order is not stored: a resumed run draws fresh batches from the same dataset.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from tui.core.training.config import ConfigError, TrainConfig

FORMAT = "tensordojo-training-checkpoint/1"


class CheckpointError(Exception):
    """The checkpoint could not be written or read; the message says why and what to do."""


@dataclass
class Checkpoint:
    """A checkpoint as read back."""

    config: TrainConfig
    step: int
    model: dict
    optimizer: dict


def config_values(config: TrainConfig) -> dict[str, Any]:
    """The config as plain values (tuples become lists) that ``weights_only`` loading accepts."""
    values = asdict(config)
    values["hidden"] = list(config.hidden)
    return values


def save(trainer: Any, path: str | Path) -> None:
    """Write ``trainer``'s run (a :class:`~tui.core.training.engine.Trainer`) to ``path``.

    Raises:
        CheckpointError: the file could not be written (a full disk, a missing folder).
    """
    import torch

    state = {"format": FORMAT, "config": config_values(trainer.config), "step": trainer.step_count,
             "model": trainer.model.state_dict(), "optimizer": trainer.optimizer.state_dict()}
    try:
        torch.save(state, str(path))
    except (OSError, RuntimeError) as error:
        raise CheckpointError(f"could not write {path}: {error}") from None


def load(path: str | Path) -> Checkpoint:
    """Read a checkpoint written by :func:`save` (tensors land on the CPU).

    Raises:
        CheckpointError: the file is missing, unreadable, not a checkpoint, or holds a bad config.
    """
    import pickle

    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file; give the checkpoint.pt of an exported run")
    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True)
    except (OSError, RuntimeError, pickle.UnpicklingError, EOFError, ValueError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CheckpointError(f"{path} is not a checkpoint torch can read ({first})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        hint = (" it holds weights only (a state_dict, as older exports wrote), with no settings to rebuild the "
                "model from; export the run again from the training view (e)") if isinstance(state, dict) else ""
        raise CheckpointError(f"{path} is not a tensordojo training checkpoint:{hint or ' its format is unknown'}")
    known = {f.name for f in fields(TrainConfig)}
    raw = state.get("config")
    if not isinstance(raw, dict) or not {"dataset", "hidden"} <= raw.keys():
        raise CheckpointError(f"{path}: the checkpoint's settings are missing or damaged")
    values = {key: value for key, value in raw.items() if key in known}
    values["hidden"] = tuple(values["hidden"])
    try:
        config = TrainConfig(**values).validate()
    except (ConfigError, TypeError) as error:
        raise CheckpointError(f"{path}: the checkpoint's settings are not valid here: {error}") from None
    return Checkpoint(config, int(state.get("step", 0)), state["model"], state["optimizer"])
