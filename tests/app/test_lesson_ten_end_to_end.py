"""A learner does lesson 10, the training loop, end to end in the app, with a real kernel and grader."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.app.repl_helpers import wait_until
from tui.app import make_app
from tui.core.grading.exercise import Exercise
from tui.core.store.progress import DONE
from tui.core.steps import Choice, Launch, Try, Typed
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.widgets.steps import StepView


async def test_every_step_of_the_training_loop_lesson_then_done():
    app = make_app(start_lesson="training-loop")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await wait_until(pilot, lambda: app.repl.state == "ready", what="the kernel")
        opened = []
        for index, step in enumerate(screen.lesson.steps):
            if screen.index != index:
                await screen.show_step(index)
                await pilot.pause()
            view = screen.query_one(StepView)
            solved = lambda: step.id in app.store.solved_steps("training-loop")  # noqa: E731
            if isinstance(step, Choice):
                await pilot.press(str(step.options.index(step.answer) + 1))
            elif isinstance(step, Typed):
                view.query_one(Input).value = step.answer
                await pilot.press("enter", "enter")  # start answering, then submit
            elif isinstance(step, Try):
                view.query_one(TextArea).text = step.solution or step.code
                await pilot.press("ctrl+j")
                if step.expect:
                    await wait_until(pilot, solved, what=f"try step {step.id}")
            elif isinstance(step, Exercise):
                view.query_one(TextArea).text = step.reference
                await pilot.press("ctrl+j")
                await wait_until(pilot, solved, what=f"exercise {step.id}")
            elif isinstance(step, Launch):
                screen.query_one("#step-pane").focus()
                await pilot.press("x")
                await wait_until(pilot, lambda: app.screen is not screen, what=f"the {step.tool}")
                opened.append(type(app.screen).__name__)
                await pilot.press("escape")
                await wait_until(pilot, lambda: app.screen is screen, what="back to the lesson")
            await pilot.pause()
            if step.needs_answer:
                assert solved(), step.id
        assert opened == ["StepperScreen", "TrainingScreen"]
        screen.query_one("#step-pane").focus()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="the lesson to finish")
        assert app.store.status("training-loop") == DONE
