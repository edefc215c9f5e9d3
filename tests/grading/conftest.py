"""One grading process for all the grading tests: torch is imported once, each job still forks."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def grader(grader_pool):
    """The session pool's grader for the shipped course: the one the in-process CLI runs and the app
    tests' apps use too, so a worker starts one runner for the course, not two."""
    from tui.core.course.packs import CourseSpec

    return grader_pool.make(CourseSpec().to_dict())
