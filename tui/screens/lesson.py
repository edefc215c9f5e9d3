"""The lesson screen: one step at a time, the step list beside it, progress saved as the learner goes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.lesson import Lesson
from tui.core.progress import ProgressStore
from tui.screens.base import DojoScreen
from tui.widgets.steps import StepView, view_for


class LessonScreen(DojoScreen):
    """Shows a lesson's steps; n and p move, the list on the left jumps."""

    CSS_PATH = "lesson.tcss"
    BINDINGS = [
        Binding("n", "next", "Next"),
        Binding("p", "previous", "Previous"),
        Binding("escape", "leave", "Lessons"),
        Binding("tab", "app.focus_next", "Focus", show=False),
        Binding("question_mark", "app.help", "Help"),
        # On the screen rather than the step view, so a number typed right after n reaches the new step.
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, lesson: Lesson, store: ProgressStore) -> None:
        super().__init__(name=f"lesson:{lesson.id}")
        self.lesson = lesson
        self.store = store
        self.index = lesson.step_index(store.current_step(lesson.id))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="step-list")
            with VerticalScroll(id="step-pane"):
                yield Static(id="step-heading")
                yield Vertical(id="step-body")
        yield Footer()

    async def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.lesson.title
        await self.show_step(self.index)

    @property
    def step_count(self) -> int:
        """How many steps the lesson has."""
        return len(self.lesson.steps)

    async def show_step(self, index: int) -> None:
        """Display the step at ``index`` and remember it as the learner's place."""
        self.index = max(0, min(index, self.step_count - 1))
        step = self.lesson.steps[self.index]
        self.store.set_current_step(self.lesson.id, step.id)
        body = self.query_one("#step-body")
        await body.remove_children()
        view = view_for(step, self.store.answers(self.lesson.id).get(step.id))
        # Awaiting the mount before focusing means a key typed right after n reaches the new step.
        await body.mount(view)
        if not view.focus_first():
            self.query_one("#step-pane").focus()
        self.query_one("#step-pane").scroll_home(animate=False)
        self.refresh_step_list()

    def refresh_step_list(self) -> None:
        """One line per step: ▶ marks the current one; ✓ right, ✗ to retry, ? to answer."""
        answers = self.store.answers(self.lesson.id)
        solved = self.store.solved_steps(self.lesson.id)
        steps = self.query_one("#step-list", OptionList)
        steps.clear_options()
        for number, step in enumerate(self.lesson.steps, 1):
            mark = " "
            if step.needs_answer:
                mark = "✓" if step.id in solved else ("✗" if step.id in answers else "?")
            pointer = "▶" if number - 1 == self.index else " "
            line = Text(f"{pointer}{mark}{number:>3}. {step.title}", no_wrap=True, overflow="ellipsis")
            steps.add_option(Option(line, id=step.id))
        steps.highlighted = self.index
        left = len([i for i in self.lesson.answerable_ids() if i not in solved])
        self.query_one("#step-heading", Static).update(
            Text.assemble(
                (f"Step {self.index + 1} of {self.step_count}", "bold"),
                (f" · {left} question{'s' * (left != 1)} to answer" if left else " · all questions answered", "dim"),
            )
        )

    @on(OptionList.OptionSelected, "#step-list")
    async def _jump(self, event: OptionList.OptionSelected) -> None:
        await self.show_step(event.option_index)

    @on(StepView.Answered)
    def _answered(self, event: StepView.Answered) -> None:
        self.store.record_answer(self.lesson.id, event.step.id, event.answer, event.verdict.correct)
        self.refresh_step_list()
        if event.verdict.correct:
            self.query_one("#step-pane").focus()

    async def action_next(self) -> None:
        """Go to the next step, or finish the lesson on the last one."""
        if self.index < self.step_count - 1:
            await self.show_step(self.index + 1)
        else:
            self.finish()

    async def action_previous(self) -> None:
        """Go to the previous step."""
        if self.index > 0:
            await self.show_step(self.index - 1)

    def action_pick(self, number: int) -> None:
        """Forward a number key to the step shown (a choice step answers with it)."""
        for view in self.query(StepView):
            view.pick(number)

    def action_leave(self) -> None:
        """Back to the lesson browser (the place is already saved)."""
        self.dismiss()

    def finish(self) -> None:
        """Mark the lesson done when every question is answered; otherwise say what is left."""
        solved = self.store.solved_steps(self.lesson.id)
        left = [s for s in self.lesson.steps if s.needs_answer and s.id not in solved]
        if left:
            names = ", ".join(f"{self.lesson.steps.index(s) + 1}. {s.title}" for s in left)
            self.notify(f"To finish, answer: {names}", title="Almost there", severity="warning")
            return
        self.store.mark_done(self.lesson.id, self.lesson.steps[self.index].id)
        self.app.notify(f"You finished “{self.lesson.title}”.", title="Lesson done")
        self.dismiss()
