"""Running the ``tensordojo`` command inside the test process, and graders shared between such runs.

Starting ``python -m tui.cli`` for every CLI check cost a second or more on a loaded machine (Python,
the app's modules, argparse), and a grading process more (torch). The command's own behaviour (its
parser, exit codes, output and what it records) is the same in-process: ``tui.cli.main(argv)`` is the
console script's entry point. One test (tests/unit/test_cli.py) still runs the installed script and
``python -m tui`` as subprocesses, to prove they start.

- ``run_cli(capsys, *args)``: ``main(args)``, its exit status and what it printed.
- ``GraderPool``: one grading process per course source for the whole session. The CLI builds a
  ``Grader`` per command; with the pool patched in it gets a started one whose ``close()`` keeps it
  running. Each job still runs in a fresh fork of that process, so verdicts are the same. The apps
  of the app and snapshot tests get theirs from the same pool (tests/app/conftest.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class CliRun:
    """What one in-process run of the command gave."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> CliRun:
    """Run ``tensordojo ARGS`` in this process; the output captured before it is dropped."""
    import tui.cli_shared
    from tui.cli import main

    capsys.readouterr()
    try:
        code = main(list(args))
    finally:
        tui.cli_shared._COURSE = None  # the --lessons of this run do not reach the next
    out, err = capsys.readouterr()
    return CliRun(code, out, err)


class _KeptGrader:
    """A started grader handed to one command: everything goes to it but ``close()``."""

    def __init__(self, grader: Any) -> None:
        self._grader = grader

    def close(self) -> None:
        """The pool closes its graders at the end of the session."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._grader, name)


class GraderPool:
    """Graders started once per source, in their own data and current folder (not a test's).

    Args:
        grader_class: the real ``Grader`` class (the module attribute is patched to :meth:`make`).
        home: the runners' ``TENSORDOJO_HOME``.
        cwd: the folder the runners are started in (default: ``home``).
    """

    def __init__(self, grader_class: type, home: Path, cwd: Path | None = None) -> None:
        self._grader_class = grader_class
        self._home = home
        self._cwd = cwd or home
        self._graders: dict[str, Any] = {}

    def make(self, source: dict[str, Any] | None = None) -> _KeptGrader:
        """Stands in for ``Grader(source)``."""
        key = json.dumps(source, sort_keys=True)
        if key not in self._graders:
            grader = self._grader_class(source)
            with pytest.MonkeyPatch.context() as patch:  # the runner keeps the environment it starts in
                patch.setenv("TENSORDOJO_HOME", str(self._home))
                patch.chdir(self._cwd)
                grader.warm_up()
            self._graders[key] = grader
        return _KeptGrader(self._graders[key])

    def close(self) -> None:
        """End every runner."""
        for grader in self._graders.values():
            grader.close()
        self._graders.clear()
