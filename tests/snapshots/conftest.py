"""Fixtures shared by the snapshot tests: one real kernel's replies, recorded once per session."""

from __future__ import annotations

import pytest

from tests.snapshots.replayed_kernel import record


@pytest.fixture(scope="session")
def recordings():
    """The replies of one real kernel to the inputs the snapshots run (started once, then shut down)."""
    return record()
