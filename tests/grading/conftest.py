"""One grading process for the module: torch is imported once, each job still forks."""

from __future__ import annotations

import pytest

from tui.core.grading.client import Grader


@pytest.fixture(scope="module")
def grader():
    grader = Grader({"package": "lessons"})
    grader.warm_up()
    yield grader
    grader.close()
