"""Editing a step's code in the learner's own editor ($VISUAL or $EDITOR): vim, nano, emacs over SSH.

The app is suspended (the terminal handed to the editor) while it runs, and resumed when it
exits; the code goes through a file named after the exercise, in the data folder's ``editing/``
(kept, so nothing typed is lost if something goes wrong between the editor and the app).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SuspendNotSupported

from tui.core.paths import data_dir


@dataclass(frozen=True)
class Edited:
    """What came back from the editor: the new code, or why there is none."""

    code: str | None
    problem: str = ""


def editor_command() -> list[str] | None:
    """The learner's editor as a command line ($VISUAL, then $EDITOR); None when neither is set."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return None


def edit_in_own_editor(app: App, code: str, name: str) -> Edited:
    """Write ``code`` to a file, open it in the learner's editor with the app suspended, read it back.

    Args:
        app: the running app (suspended while the editor runs).
        code: the code as the app has it.
        name: a file name for it, like ``reductions.row-means.py``.
    """
    command = editor_command()
    if command is None:
        return Edited(None, "No editor is set: set $EDITOR (say, export EDITOR=nano) and start tensordojo again.")
    folder = data_dir() / "editing"
    folder.mkdir(parents=True, exist_ok=True)
    path: Path = folder / name
    path.write_text(code, encoding="utf-8")

    if shutil.which(command[0]) is None:
        return Edited(None, f"Your editor {command[0]!r} (from $EDITOR) is not installed or not on PATH. "
                            "Set $EDITOR to one that is (say, vi) and start tensordojo again.")

    def run() -> subprocess.CompletedProcess | OSError:
        # Any error is caught in here: an exception leaving app.suspend() would leave the
        # terminal suspended (Textual resumes only when the block ends normally).
        try:
            return subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            return error

    try:
        with app.suspend():
            done = run()
    except SuspendNotSupported:  # a test's headless driver, or a web browser: run it as it is
        done = run()
    if isinstance(done, OSError):
        return Edited(None, f"Could not start your editor {command[0]!r}: {done.strerror or done}. Check $EDITOR.")
    try:
        new = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Edited(None, f"Could not read back {path}: {error}. Your code in the app is unchanged.")
    if done.returncode != 0:
        return Edited(None, f"Your editor exited with status {done.returncode}; the code in the app is unchanged "
                            f"(what you saved is in {path}).")
    return Edited(new)
