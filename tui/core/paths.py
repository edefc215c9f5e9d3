"""Where tensordojo keeps its files: the learner's data folder and the shipped assets."""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "TENSORDOJO_HOME"


def data_dir() -> Path:
    """The folder for the progress database: ``$TENSORDOJO_HOME``, else the platform's user data dir."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # imported here: only needed when there is no override

    return Path(user_data_dir("tensordojo", appauthor=False))


def child_environment() -> dict[str, str]:
    """The environment for a process that runs tensordojo's own modules (the REPL kernel, the training
    process): this one's, with tensordojo importable from where it runs and no plot windows."""
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")  # no plot windows from a terminal app
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in [root, env.get("PYTHONPATH", "")] if p)
    from tui.core.processes.parent_death import mark_child_environment

    return mark_child_environment(env)  # it ends when this process dies, even by SIGKILL


def progress_db_path() -> Path:
    """The progress database's path."""
    return data_dir() / "progress.db"


def assets_dir() -> Path:
    """The shipped assets: inside the installed package, or ``assets/`` in a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "assets"
