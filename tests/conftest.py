"""Shared fixtures: every test gets its own progress folder, never the learner's real one."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

# One torch thread in this process and in the processes it starts (kernel, grader, training): on a
# loaded 2-core machine torch's worker threads wait on each other, and a 60-step CPU run of a small
# MLP took 8 s with them against 0.2 s without. Tests check behaviour, not throughput. Set before
# any test module imports torch; an explicit setting in the environment wins.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# ctrl+c as a terminal gives it, in this process and the ones it starts, whatever started the suite.
# A non-interactive shell starts a background job (`make test &`, `nohup ...`) with SIGINT ignored
# (POSIX), and an ignored signal stays ignored through exec: a CLI test that sends ctrl+c then tested
# the harness, not the command (loaded runs started so saw `check --watch` sleep on through it). The
# commands cope with an ignored SIGINT themselves, and tests/grading/test_practice_cli.py checks that.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def dojo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point TENSORDOJO_HOME at a fresh folder for each test."""
    home = tmp_path / "home"
    monkeypatch.setenv("TENSORDOJO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def grader_pool(tmp_path_factory: pytest.TempPathFactory):
    """Grading processes shared by the in-process CLI runs of the whole session (tests/cli_runs.py)."""
    from tests.cli_runs import GraderPool
    from tui.core.grading.client import Grader

    pool = GraderPool(Grader, tmp_path_factory.mktemp("grader-pool"))
    yield pool
    pool.close()


@pytest.fixture
def pooled_graders(grader_pool, monkeypatch: pytest.MonkeyPatch):
    """Every ``Grader(...)`` the command builds in this test is a started one from the pool."""
    import tui.core.grading.client

    monkeypatch.setattr(tui.core.grading.client, "Grader", grader_pool.make)
    return grader_pool


@pytest.fixture
def app_graders_from_the_pool(grader_pool, monkeypatch: pytest.MonkeyPatch):
    """An app built for the shipped course grades in the session pool's process for that course
    instead of starting its own (torch imported once per worker, not once per app: that start was
    most of the CPU an exercise test used). Each check still runs in fresh forks, so its verdict is
    the same. An app on another course (a test's own pack, whose name a later test reuses) gets a
    grader of its own that starts on its first check (:class:`StartedOnFirstCheck`).
    tests/grading/test_gaming_in_the_app.py keeps a grader of its own."""
    import tui.app
    from tui.core.course.packs import CourseSpec

    own_grader = tui.app.Grader
    shipped = CourseSpec().to_dict()

    def grader(source: dict | None = None):
        return grader_pool.make(shipped) if source in (None, shipped) else StartedOnFirstCheck(own_grader(source))

    monkeypatch.setattr(tui.app, "Grader", grader)


class StartedOnFirstCheck:
    """A test app's own grader, started by its first check rather than warmed up when an exercise
    step is shown: most tests that show a pack's exercise never check it, and each start imports
    torch (3-4 CPU-s). The app's warm-up itself is exercised by the pooled graders."""

    def __init__(self, grader) -> None:
        self._grader = grader

    def warm_up(self) -> None:
        """Nothing: ``grade`` starts the runner when it has none."""

    def __getattr__(self, name: str):
        return getattr(self._grader, name)


@pytest.fixture
def lesson_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Make an importable lesson package from {module name: source}; returns its name and folder."""
    counter = iter(range(1000))

    def make(modules: dict[str, str], order: list[str] | None = None) -> tuple[str, Path]:
        name = f"pack_{next(counter)}"
        folder = tmp_path / "packs" / name
        folder.mkdir(parents=True)
        listed = order if order is not None else list(modules)
        (folder / "__init__.py").write_text(f"ORDER = {listed!r}\n")
        for module, source in modules.items():
            (folder / f"{module}.py").write_text(textwrap.dedent(source))
        monkeypatch.syspath_prepend(str(folder.parent))
        return name, folder

    yield make
    for module in [m for m in sys.modules if m.startswith("pack_")]:
        del sys.modules[module]


GOOD_LESSON = '''
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Typed

LESSON = Lesson(
    id="{id}",
    title="{title}",
    summary="A small lesson for tests.",
    minutes=5,
    steps=[
        Prose("""
            # First page
            Some `code`.
        """),
        Choice(
            title="Pick one",
            prompt="Which is right?",
            options=["right", "wrong"],
            answer="right",
            why={{"wrong": "Because it is the wrong one."}},
            explain="Because it is the right one.",
        ),
        Typed(
            title="Type a shape",
            prompt="Shape of a 3 by 4 matrix?",
            answer="(3, 4)",
            form="shape",
            placeholder="(2, 7)",
            wrong_answers={{"(4, 3)": "Rows come first."}},
            hint="Rows, then columns.",
            explain="3 rows and 4 columns.",
        ),
        Prose("# Last page\\nDone."),
    ],
)
'''


def good_lesson(lesson_id: str = "sample", title: str = "Sample lesson") -> str:
    """The source of a valid lesson module with one step of each kind."""
    return GOOD_LESSON.format(id=lesson_id, title=title)


@contextlib.asynccontextmanager
async def app_on_a_launch_lesson(lesson_pack, launch: str, size: tuple[int, int]):
    """The app open (under Pilot) on a lesson whose step 3 is ``launch``, a ``Launch(...)`` call; yields
    ``(app, pilot)`` on the lesson's first step."""
    from tui.app import make_app

    source = good_lesson("launching").replace('Prose("# Last page\\nDone."),', launch + ",").replace(
        "from tui.core.steps import Choice, Prose, Typed", "from tui.core.steps import Choice, Launch, Prose, Typed")
    name, _ = lesson_pack({"launching": source})
    app = make_app(package=name, start_lesson="launching", start_kernel=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot
