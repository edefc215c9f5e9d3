"""Fixtures of the app tests: apps whose training view trains in one process shared by the session."""

from __future__ import annotations

import pytest

from tests.app.training_view import KeptTraining


@pytest.fixture(scope="session")
def shared_training_process(tmp_path_factory):
    """One training process for the session's training-view tests (tests/app/training_view.py)."""
    from tui.core.training.process import TrainingProcess

    process = TrainingProcess(log_path=tmp_path_factory.mktemp("training") / "training.log")
    yield process
    process.shutdown()


@pytest.fixture
def training_app(shared_training_process):
    """``make_app(start_kernel=False)``, training in the shared process; call it for each app."""
    from tui.app import make_app

    def make(**options):
        app = make_app(start_kernel=False, **options)
        app._training = KeptTraining(shared_training_process)
        return app

    return make


@pytest.fixture
def kinds_pack(lesson_pack):
    """The pack of one step of each kind (tests/app/kinds_pack.py), installed; its package name."""
    from tests.app.kinds_pack import PACK_LESSON

    name, _ = lesson_pack({"kinds": PACK_LESSON})
    return name


@pytest.fixture(autouse=True)
def _graders_from_the_pool(app_graders_from_the_pool):
    """Apps grade in the session's pooled grader (tests/conftest.py)."""
