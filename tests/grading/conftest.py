"""One grading process for all the grading tests: torch is imported once, each job still forks."""

from __future__ import annotations

import pytest

from tui.core.grading.client import Grader


@pytest.fixture(scope="session")
def grader():
    grader = Grader({"package": "lessons"})
    grader.warm_up()
    yield grader
    grader.close()
