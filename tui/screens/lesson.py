"""The lesson screen: one step at a time, the step list beside it, the REPL docked at the side.

Progress is saved as the learner goes. Code from a step reaches the REPL with ``x``; a try
step's run is judged when it finishes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static, TextArea

from tui.core.lesson import Lesson
from tui.core.store.progress import ProgressStore
from tui.screens.base import DojoScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.widgets.repl import ReplPanel
from tui.widgets.step_list import StepList
from tui.widgets.steps import StepView, view_for
from tui.widgets.steps.exercise import ExerciseView
from tui.widgets.steps.try_code import TryView


WIDE = 120
"""From this width the REPL is shown beside the lesson at once; below it, r shows it."""


class LessonScreen(DojoScreen):
    """Shows a lesson's steps; n and p move, the list on the left jumps."""

    CSS_PATH = "lesson.tcss"
    NARROW_BELOW = WIDE
    """Below it the step list makes way for a shown REPL ("Step k of n" stays on top)."""
    BINDINGS = [
        # Escape first: the footer is cut at 80 columns, and how to get out must always show.
        # The step keys are priority bindings: the app runs them as each key arrives, before it
        # hands the next key of a burst to the focused widget, so keys typed straight after i (or
        # n, r, escape) reach the focus those keys set. Textual drops a priority binding whose key
        # the focused widget types (an editor, an answer, the REPL), so typing is never taken.
        Binding("escape", "stop_editing", "Stop editing", priority=True),
        # From the docked REPL escape goes back to the step, and the footer says so.
        Binding("escape", "back_to_step", "Back to step", priority=True),
        Binding("escape", "leave", "Lessons", priority=True),
        Binding("n", "next", "Next", priority=True),
        Binding("p", "previous", "Prev", priority=True),
        *[Binding("enter,i", f"engage('{engage}')", engage.split()[0], priority=True) for engage in ("Edit code", "Answer")],
        # x is the step's own action, named in the footer (one action per word, check_action shows the
        # step's): Check on an exercise ("Run" read as running it in the REPL), Run, Open, or none.
        *[Binding("x", f"x_does('{does}')", does, priority=True) for does in ("Check", "Run", "Open")],
        Binding("x", "x_does('')", show=False, priority=True),  # not shown, but x says there is nothing to run
        Binding("ctrl+j,ctrl+enter", "perform", "Check", show=False),
        Binding("ctrl+g", "give_up", "Solution"),
        # In the exercise's own key line and help, not the footer: at 80 columns it pushed out r REPL.
        Binding("ctrl+e", "own_editor", "$EDITOR", show=False),
        Binding("r", "toggle_repl", "REPL", priority=True),
        Binding("tab", "app.focus_next", "Focus", show=False),
        Binding("question_mark", "app.help", "Help", show=False),  # ? is the same on every screen
        # On the screen rather than the step view, so a number typed right after n reaches the new step.
        *[Binding(str(n), f"pick({n})", show=False, priority=True) for n in range(1, 10)],
    ]

    def __init__(self, lesson: Lesson, store: ProgressStore) -> None:
        super().__init__(name=f"lesson:{lesson.id}")
        self.lesson = lesson
        self.store = store
        self.index = lesson.step_index(store.current_step(lesson.id))
        self.source = None
        """With --watch, the lesson's file and when it was last seen."""
        self._draft_timer: Timer | None = None
        self._answer_took_focus = False
        """A right answer just moved focus out of the editor or answer: the next escape stays."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield StepList(id="step-list")
            with VerticalScroll(id="step-pane"):
                yield Static(id="step-heading")
                yield Vertical(id="step-body")
            with Vertical(id="repl-dock"):
                yield ReplPanel(id="lesson-repl")
        yield Footer()

    def on_resize(self) -> None:
        self.refresh_step_list()  # the step list's width follows the terminal's

    async def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        self.set_class(self.app.size.width >= WIDE, "-repl-shown")
        await self.show_step(self.index)
        if getattr(self.app, "reload_on_save", False):
            from tui.core.course.reload import LessonSource

            self.source = LessonSource.of(self.lesson)
            if self.source is not None:
                self.set_interval(0.5, self._reload_if_saved)

    async def _reload_if_saved(self) -> None:
        """--watch: the lesson's file was saved: show the new version, at the same step when it still exists."""
        from tui.core.course.reload import place_after_reload, reload_lesson

        if self.source is None or not self.source.changed():
            return
        new = reload_lesson(self.lesson, self.source)
        if isinstance(new, str):
            self.notify(f"Not reloaded: {new}. Fix it and save again.", title="Lesson file has a problem",
                        severity="error", timeout=10, markup=False)
            return
        index = place_after_reload(self.lesson, new, self.index)
        self.lesson = new
        self.app.catalogue.replace(new)  # type: ignore[attr-defined]
        self.sub_title = new.title
        await self.show_step(index)
        self.notify(f"Reloaded {self.source.path.name}.", timeout=3, markup=False)

    @property
    def step_count(self) -> int:
        """How many steps the lesson has."""
        return len(self.lesson.steps)

    async def show_step(self, index: int) -> None:
        """Display the step at ``index`` and remember it as the learner's place."""
        self.index = max(0, min(index, self.step_count - 1))
        self._answer_took_focus = False
        step = self.lesson.steps[self.index]
        self.store.set_current_step(self.lesson.id, step.id)
        body = self.query_one("#step-body")
        self.keep_drafts()
        await body.remove_children()
        view = view_for(step, self.store.answers(self.lesson.id).get(step.id))
        saved = self.store.exercise_state(self.lesson.id, step.id)
        view.draft = saved.draft  # what was left typed there and never sent: code, a half answer
        if isinstance(view, ExerciseView):
            view.saved = saved
            self.app.warm_up_grader()  # type: ignore[attr-defined]
        # Awaiting the mount before focusing means a key typed right after n reaches the new step.
        await body.mount(view)
        # Focus on the step, never in its editor or answer: step keys must not type into code.
        self.set_focus(self.query_one("#step-pane"))
        self.query_one("#step-pane").scroll_home(animate=False)
        self.refresh_step_list()
        self.refresh_bindings()

    @property
    def view(self) -> StepView | None:
        """The view of the step shown: the step body's child. Looked up there, not by a walk of the whole
        screen (the REPL panel's widgets included), because the footer's bindings ask for it on every
        refresh: the walk took a millisecond a time, a few seconds over a lesson."""
        try:
            body = self.get_widget_by_id("step-body")
        except NoMatches:  # not composed yet
            return None
        return next((child for child in body.children if isinstance(child, StepView)), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action == "engage":  # only from the page: enter belongs to an editor, a list or the REPL
            return bool(view and view.ENGAGE == parameters[0]) and self.page_has_focus
        if action == "stop_editing":
            return self.editing
        if action == "back_to_step":
            # Escape in the REPL's history search or completions closes them (the panel's binding).
            return self.repl_has_focus and not self.query_one(ReplPanel).popup_open
        if action == "leave":
            return not self.editing and not self.repl_has_focus
        if action in ("give_up", "own_editor"):
            return isinstance(view, ExerciseView)
        if action == "x_does":  # the x binding that names what x does on this step (StepView.x_does)
            return view is not None and view.x_does() == parameters[0]
        return True

    @property
    def page_has_focus(self) -> bool:
        """Whether the step keys act: the page holding the step has focus (or nothing has)."""
        return self.focused is None or self.focused is self.query_one("#step-pane")

    @property
    def editing(self) -> bool:
        """Whether the learner is editing the step's code or answering it (focus inside the step view)."""
        view = self.view
        return bool(self.focused and view and view in self.focused.ancestors_with_self)

    def action_stop_editing(self) -> None:
        """escape while editing: give focus back to the page, so the step keys work again."""
        view = self.view
        if view is not None:
            view.action_stop_editing()

    def action_engage(self, engage: str = "") -> None:
        """enter or i: start editing the step's code or answering its question."""
        view = self.view
        if view is not None:
            self._answer_took_focus = False
            view.focus_first()

    def action_own_editor(self) -> None:
        """ctrl+e on an exercise: edit the code in $EDITOR (the app suspended), then check it, on the same step."""
        from tui.screens.external_editor import edit_in_own_editor

        view = self.view
        if not isinstance(view, ExerciseView):
            return
        edited = edit_in_own_editor(self.app, view.code, f"{self.lesson.id}.{view.step.id}.py")
        if edited.code is None:
            self.notify(edited.problem, title="Your editor", severity="warning", timeout=8, markup=False)
            return
        view.set_code(edited.code)
        self.store.save_draft(self.lesson.id, view.step.id, edited.code)
        view.action_check()

    def action_give_up(self) -> None:
        """ctrl+g on an exercise: ask, then show the reference solution."""
        if isinstance(self.view, ExerciseView):
            self.view.action_give_up()

    def refresh_step_list(self) -> None:
        """One line per step: ▶ marks the current one; ✓ right, ✗ to retry, ? to answer."""
        answers = self.store.answers(self.lesson.id)
        solved = self.store.solved_steps(self.lesson.id)
        self.query_one(StepList).show(self.lesson, self.index, set(answers), set(solved), self.app.size.width)
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
            # So n goes on at once; an escape meant as "stop editing" must not then leave.
            self._answer_took_focus = self.editing
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

    def action_back_to_step(self) -> None:
        """escape in the docked REPL: back to the step's page (the REPL stays shown)."""
        self.set_focus(self.query_one("#step-pane"))

    def action_leave(self) -> None:
        """From the step back to the lesson browser.

        Escape inside a step's editor or answer stops editing, and in the REPL goes back to the
        step, so only an escape with no editor and no REPL focused reaches here and leaves."""
        if self._answer_took_focus:
            self._answer_took_focus = False
            self.notify("Editing stopped when your answer passed. Escape again leaves the lesson.", timeout=4)
            return
        self.keep_drafts()
        self.dismiss()
        for screen in self.app.screen_stack:
            if isinstance(screen, HomeScreen) and screen.is_mounted:
                screen.highlight(self.lesson.id)

    @property
    def repl_has_focus(self) -> bool:
        """Whether the learner is typing in the docked REPL."""
        return self.focused is not None and self.query_one("#repl-dock") in self.focused.ancestors_with_self

    def action_toggle_repl(self) -> None:
        """Show the REPL and type in it; or hide it."""
        if self.has_class("-repl-shown"):
            self.remove_class("-repl-shown")
            self.set_focus(self.query_one("#step-pane"))
        else:
            self.show_repl()

    def show_repl(self, focus: bool = True) -> ReplPanel:
        """Make the docked REPL visible (and focus its input)."""
        self.add_class("-repl-shown")
        panel = self.query_one(ReplPanel)
        if focus:
            self.set_focus(panel.input)  # now, not after a refresh: keys typed right after r go in
        return panel

    def action_x_does(self, does: str) -> None:
        """x: the step's action, as the footer names it: check an exercise, run code, open a tool."""
        self.action_perform()

    def action_perform(self) -> None:
        """x or ctrl+j: the step's own action (run its code, check it, open its tool)."""
        for view in self.query(StepView):
            if not view.perform():
                self.notify("This step has no code to run; type your own in the REPL (r).", timeout=4)

    @on(StepView.SendCode)
    def _send_code(self, event: StepView.SendCode) -> None:
        from tui.screens.code_picker import CodePickerScreen

        if len(event.blocks) == 1:
            self._perform(event.blocks[0])
            return
        self.app.push_screen(CodePickerScreen(event.blocks), lambda code: code and self._perform(code))

    def _perform(self, code: str) -> None:
        self.show_repl(focus=False).run_source(code)

    @on(TryView.RunRequested)
    def _run_try(self, event: TryView.RunRequested) -> None:
        self.show_repl(focus=False)
        self.run_worker(self._judge_try(event.view, event.code), group="try-run", exit_on_error=False)

    async def _judge_try(self, view: TryView, code: str) -> None:
        outcome = await self.app.repl.run(code, view.step.expressions())  # type: ignore[attr-defined]
        view.post_message(TryView.Judged(view.step.judge(outcome.status, outcome.expressions.get("check"))))

    def keep_drafts(self) -> None:
        """Keep what the learner typed on the step (code, an answer not sent) before its view goes away."""
        for view in self.query(StepView):
            work = view.work()
            if work is not None and (work != view.fresh_work() or view.draft is not None):
                self.store.save_draft(self.lesson.id, view.step.id, work)

    def on_unmount(self) -> None:
        self.keep_drafts()

    @on(TextArea.Changed, "StepView TextArea")
    def _draft_changed(self, event: TextArea.Changed) -> None:
        # Saved a second after the last edit, so a crash or a closed terminal loses at most that.
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(1.0, self.keep_drafts)

    @on(ExerciseView.CheckRequested)
    def _grade(self, event: ExerciseView.CheckRequested) -> None:
        self.store.save_draft(self.lesson.id, event.view.step.id, event.code)
        grader, lesson_id, step = self.app.grader, self.lesson.id, event.view.step  # type: ignore[attr-defined]
        view = event.view

        def grade() -> None:
            report = grader.grade_or_explain(lesson_id, step.id, event.code, step.timeout,
                                             "Your code is kept; try again with ctrl+j.")
            view.post_message(ExerciseView.Graded(report))

        self.run_worker(grade, thread=True, group="grade", exclusive=True, exit_on_error=False)

    @on(ExerciseView.GiveUpAsked)
    def _confirm_give_up(self, event: ExerciseView.GiveUpAsked) -> None:
        view = event.view

        def answer(yes: bool | None) -> None:
            if yes:
                view.give_up()
                self.store.reveal(self.lesson.id, view.step.id)

        self.app.push_screen(ConfirmScreen("Show the reference solution? You can still pass the exercise with your own code."), answer)

    def finish(self) -> None:
        """Mark the lesson done when every question is answered; otherwise say what is left."""
        solved = self.store.solved_steps(self.lesson.id)
        left = [s for s in self.lesson.steps if s.needs_answer and s.id not in solved]
        if left:
            names = ", ".join(f"{self.lesson.steps.index(s) + 1}. {s.title}" for s in left)
            # One toast however often n is pressed: each press used to stack another over the step.
            self.app.clear_notifications()
            self.notify(f"To finish, answer: {names}", title="Almost there", severity="warning", markup=False)
            return
        self.keep_drafts()
        self.store.mark_done(self.lesson.id, self.lesson.steps[self.index].id)
        self.app.notify(f"You finished “{self.lesson.title}”.", title="Lesson done", markup=False)
        self.dismiss()
        for screen in self.app.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.highlight_after(self.lesson.id)
