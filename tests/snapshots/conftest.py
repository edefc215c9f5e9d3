"""Fixtures shared by the snapshot tests: one real kernel's replies, recorded once per session."""

from __future__ import annotations

import pytest

from tests.snapshots.replayed_kernel import record


@pytest.fixture(scope="session")
def recordings():
    """The replies of one real kernel to the inputs the snapshots run (started once, then shut down)."""
    return record()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Tests that replay the kernel run on one xdist worker (``--dist loadgroup``), so the kernel whose
    replies they replay is started once, not once per worker."""
    for item in items:
        if "recordings" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("snapshots-replayed-kernel"))


@pytest.fixture(autouse=True)
def _graders_from_the_pool(app_graders_from_the_pool):
    """Apps grade in the session's pooled grader (tests/conftest.py)."""
