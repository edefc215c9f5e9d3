"""The app when another process holds the progress file's lock: the answer is kept and the learner
is told it was not saved yet; the next answer saves both; the screen never waits on the lock."""

from __future__ import annotations

import sqlite3

from tests.app.test_lessons_flow import SIZE, open_first_lesson
from tests.waiting import wait_until
from tui.app import make_app
from tui.core.paths import progress_db_path


async def test_an_answer_written_while_another_process_holds_the_lock_is_kept_and_said():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_lesson(pilot)
        await pilot.press("n")
        other = sqlite3.connect(progress_db_path(), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a second tab of the same learner, mid-write
        await pilot.press("2")
        await wait_until(pilot, lambda: any("not saved yet" in str(n.message) for n in app._notifications),
                         what="the not-saved notice")
        assert app.store.unsaved and app.store.answers("tensors") == {}
        other.execute("COMMIT")
        other.close()
        await pilot.press("1")
        answers = app.store.answers("tensors")["shape-of-an-image-batch"]
        assert (answers.correct, answers.attempts) == (True, 2) and app.store.unsaved is None
        assert screen.index == screen.lesson.step_index("shape-of-an-image-batch")
