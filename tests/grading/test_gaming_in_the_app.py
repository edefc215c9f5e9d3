"""Gaming through the app's exercise flow: a trick gets a failing verdict, no solution, no pass recorded."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.app.repl_helpers import wait_until
from tests.app.test_exercise_flow import SIZE, open_exercise, shown
from tests.grading.gaming_tricks import TRICKS
from tui.app import make_app
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore


async def test_tricks_in_the_editor_get_a_failing_verdict_and_are_not_recorded_as_passed():
    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot)
        for attempt, name in enumerate(("write result events to every pipe and os._exit(0)",
                                        "import the lesson and call the reference"), start=1):
            view.query_one(TextArea).text = TRICKS[name]
            await pilot.press("ctrl+j")
            await wait_until(pilot, lambda: shown(view, "verdict") and "Checking" not in shown(view, "verdict"),
                             what=f"a verdict on {name}")
            verdict = shown(view, "verdict")
            assert "All tests pass" not in verdict, (name, verdict)
            assert not view.query_one(".exercise-solution").display
        store = ProgressStore(progress_db_path())
        record = store.answers("reductions").get("row-means")
        assert record is None or not record.correct
        store.close()
