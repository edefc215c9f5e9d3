"""The Textual app: wires screens, global keys and the command palette; the screens do the rest.

:func:`make_app` is the one factory the command line, the tests and the benchmark share.
Nothing here imports torch: the first screen must paint fast (see benchmarks/).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.grading.client import Grader
from tui.core.lesson import BrokenLesson
from tui.core.course.loader import Catalogue
from tui.core.course.packs import CourseSpec, load_course
from tui.core.paths import data_dir, progress_db_path
from tui.core.store.progress import ProgressStore
from tui.kernel.repl import ReplService
from tui.palette_keys import KeysAfterPalette
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from tui.core.training.process import TrainingProcess

# The lesson and help screens pull in the Markdown widget (~30 ms of imports); they are
# imported when first opened so the lesson browser paints sooner.

GC_THRESHOLDS = (10_000, 20, 20)
"""The garbage collector's thresholds while the app runs. Python's (700, 10, 10) collected the
young generation twice per REPL run and the middle one every fifth (1 ms each), in the middle
of what the learner waits for; these collect about ten times less often. Paired pty runs of the
REPL benchmark: p95 14.5 / 14.8 ms against 15.6 / 16.0 with Python's (30,000 was worse)."""


class TensorDojoApp(KeysAfterPalette, App[None]):
    """The tensordojo terminal app (keys typed right after the palette's Enter wait for the screen
    its command opens: see :mod:`tui.palette_keys`)."""

    TITLE = "tensordojo"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        # ctrl+c reaches running REPL code from any screen or widget, as in a terminal.
        Binding("ctrl+c", "interrupt", "Interrupt", show=False, priority=True),
    ]

    def __init__(self, catalogue: Catalogue, store: ProgressStore, repl: ReplService,
                 start_lesson: str | None = None, start_kernel: bool = True, grader: Grader | None = None,
                 watch: bool = False) -> None:
        super().__init__()
        self.reload_on_save = watch
        """--watch: an open lesson reloads when its file is saved."""
        self.grader = grader or Grader()
        self.catalogue = catalogue
        self.store = store
        self.repl = repl
        self._training: TrainingProcess | None = None
        self.start_lesson = start_lesson
        self.start_kernel = start_kernel

    def on_mount(self) -> None:
        import gc

        gc.set_threshold(*GC_THRESHOLDS)
        self.push_screen(HomeScreen(self.catalogue, self.store))
        if self.store.notice:
            self.notify(self.store.notice, title="Progress file", severity="warning", timeout=20, markup=False)
        # Later news from the store (damage found, a write kept for want of the lock) shows the same way.
        self.store.on_notice = lambda text: self.notify(text, title="Progress file", severity="warning",
                                                         timeout=20, markup=False)
        if self.start_lesson:
            self.open_lesson(self.start_lesson)
        if self.start_kernel:
            # After the first paint: the kernel (and torch) must not delay the first screen.
            self.repl.subscribe(self._after_kernel_start)
            self.call_after_refresh(self.run_worker, self.repl.start(), group="kernel", exit_on_error=False)

    def _after_kernel_start(self, updates: list) -> None:
        """Once the REPL is first ready, start-up is over: warm the REPL up in a thread."""
        from tui.kernel.repl import StateChanged

        if any(isinstance(update, StateChanged) and update.state == "ready" for update in updates):
            self.repl.unsubscribe(self._after_kernel_start)
            self.run_worker(self._warm_up_repl, thread=True, group="repl-warm-up", exit_on_error=False)

    @staticmethod
    def _warm_up_repl() -> None:
        """Do now, off the learner's first run, what its first Enter would otherwise wait for:
        IPython's completeness check imports IPython (20 to 40 ms) and the echo's highlighter
        compiles its patterns (30 ms). Then move what start-up allocated out of the garbage
        collector's way (``gc.freeze``): a full collection otherwise scans every object of
        Textual, the lessons and the kernel client, and held the UI for 30 ms during a print
        flood. The training worker does the same after its warm-up."""
        import gc

        from tui.widgets.repl.input import completeness
        from tui.widgets.repl.render import warm_up

        completeness("x = 1")
        warm_up()
        gc.freeze()

    async def on_unmount(self) -> None:
        await self.repl.shutdown()
        if self._training is not None:
            self._training.shutdown()
        self.grader.close()
        self.store.close()

    @property
    def training(self) -> TrainingProcess:
        """The process the training view's runs train in (made on first use; imported then too)."""
        if self._training is None:
            from tui.core.training.process import TrainingProcess

            self._training = TrainingProcess(log_path=data_dir() / "training.log")
        return self._training

    def warm_up_grader(self) -> None:
        """Start the grading process in the background, so the first check does not wait for torch."""
        from tui.core.grading.client import GraderUnavailable

        def warm() -> None:
            try:
                self.grader.warm_up()
            except GraderUnavailable:
                pass  # the check itself will retry and say why

        self.run_worker(warm, thread=True, group="grader-warm-up", exclusive=True, exit_on_error=False)

    def action_interrupt(self) -> None:
        """Interrupt running REPL code; otherwise clear a REPL input, or say how to quit."""
        from tui.widgets.repl.input import ReplInput

        if self.repl.running:
            self.run_worker(self.repl.interrupt(), group="repl-interrupt", exit_on_error=False)
        elif isinstance(self.focused, ReplInput) and self.focused.text:
            self.focused.replace_all("")
        else:
            self.notify("Nothing is running. ctrl+q quits.", timeout=3)

    def action_open_workbench(self, tab: str = "variables") -> None:
        """Show the workbench (the REPL and the shape inspector), on an inspector tab."""
        from tui.screens.workbench import WorkbenchScreen
        from tui.widgets.inspector import Inspector

        if isinstance(self.screen, WorkbenchScreen):
            self.screen.query_one(Inspector).show_tab(tab)
            if tab == "broadcast":
                self.screen.query_one(Inspector).focus_tab(tab)
        else:
            self.push_screen(WorkbenchScreen(tab))

    def action_open_stepper(self, scenario: str = "scalar") -> None:
        """Show the gradient-accumulation stepper on a scenario."""
        from tui.screens.stepper import StepperScreen

        if isinstance(self.screen, StepperScreen):
            self.screen.action_scenario(scenario)
        else:
            self.push_screen(StepperScreen(scenario))

    def action_open_training(self, preset: str = "") -> None:
        """Show the live training view (a preset from tui/core/training/presets.py fills the form)."""
        from tui.core.training.presets import PRESETS, preset as preset_config
        from tui.screens.training import TrainingScreen

        if not isinstance(self.screen, TrainingScreen):
            self.push_screen(TrainingScreen(preset_config(preset) if preset in PRESETS else None))

    def action_restart_kernel(self) -> None:
        """Restart the REPL kernel (variables are cleared; the log says so)."""
        self.run_worker(self.repl.restart(), group="kernel-restart", exit_on_error=False)

    def open_lesson(self, lesson_id: str | None) -> None:
        """Open a lesson where the learner left off; a broken one only says why it cannot open."""
        entry = self.catalogue.get(lesson_id or "")
        if entry is None:
            self.notify(f"There is no lesson {lesson_id!r}.", severity="error", markup=False)
        elif isinstance(entry, BrokenLesson):
            self.notify(f"{entry.where}: {entry.error}", title=f"Lesson {entry.id} is broken", severity="error", markup=False)
        else:
            from tui.screens.lesson import LessonScreen

            self.go_home()
            self.push_screen(LessonScreen(entry, self.store))

    def go_home(self) -> None:
        """Close every screen above the lesson browser."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        """Show the keys."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Lessons", "The lesson browser, with your progress", self.go_home)
        yield SystemCommand("Workbench", "The tensor REPL with the shape inspector", self.action_open_workbench)
        yield SystemCommand("Inspector: shape trace", "Every torch op of the last REPL run, with shapes",
                            partial(self.action_open_workbench, "trace"))
        yield SystemCommand("Broadcast tool", "Type two shapes and see how they broadcast",
                            partial(self.action_open_workbench, "broadcast"))
        yield SystemCommand("Stepper", "backward, zero_grad and step one at a time: watch .grad add up",
                            self.action_open_stepper)
        from tui.core.stepper import SCENARIOS  # no torch: scenarios import it when built

        for key, scenario in list(SCENARIOS.items())[1:]:  # the first is the plain "Stepper" entry
            yield SystemCommand(f"Stepper: {scenario.label}", scenario.title, partial(self.action_open_stepper, key))
        yield SystemCommand("Training", "Train an MLP live and watch the loss fall", self.action_open_training)
        yield SystemCommand("Help", "The keys of every screen", self.action_help)
        yield SystemCommand("Restart kernel", "A fresh Python kernel for the REPL: variables are cleared", self.action_restart_kernel)
        yield SystemCommand("Interrupt", "Stop the code running in the REPL", self.action_interrupt)
        for entry in self.catalogue.entries:
            about = f"broken: {entry.error}" if isinstance(entry, BrokenLesson) else entry.summary
            yield SystemCommand(f"Lesson: {entry.title or entry.id}", about, partial(self.open_lesson, entry.id))
        lesson = getattr(screen, "lesson", None)
        if lesson is not None:
            yield SystemCommand("Reset this lesson", f"Forget your answers and place in {lesson.title}",
                                partial(self.confirm_reset, lesson.id))
        yield SystemCommand("Reset all progress", "Forget your answers and place in every lesson",
                            partial(self.confirm_reset, None))

    def confirm_reset(self, lesson_id: str | None) -> None:
        """Ask, then forget the progress of one lesson or of all."""
        what = f"lesson {lesson_id!r}" if lesson_id else "every lesson"

        def reset(yes: bool | None) -> None:
            if not yes:
                return
            self.store.reset(lesson_id)
            shown = getattr(self.screen, "lesson", None)
            if shown is not None and lesson_id in (None, shown.id):
                self.call_later(self.screen.show_step, 0)
            elif isinstance(self.screen, HomeScreen):
                self.screen.refresh_lessons()
            self.notify(f"Progress of {what} was reset.", markup=False)

        self.push_screen(ConfirmScreen(f"Forget your answers and your place in {what}?"), reset)


def make_app(home: Path | None = None, package: str = "lessons", start_lesson: str | None = None,
             start_kernel: bool = True, course: CourseSpec | None = None, watch: bool = False) -> TensorDojoApp:
    """Build the app: load the lessons, open the progress store, prepare the REPL.

    Args:
        home: the progress database's path; defaults to the user's data folder (or $TENSORDOJO_HOME).
        package: the package whose ``ORDER`` lists the lessons.
        start_lesson: a lesson id to open at once.
        start_kernel: start the REPL kernel after the first paint (tests of other screens skip it).
        course: where lessons come from (packs from folders and installed packages); by default
            the package's lessons and any installed packs.
        watch: reload an open lesson when its file is saved (for authors).
    """
    path = home or progress_db_path()
    store = ProgressStore(path)
    repl = ReplService(store, log_path=path.parent / "kernel.log")
    course = course or CourseSpec(package=package)
    return TensorDojoApp(load_course(course), store, repl, start_lesson, start_kernel, Grader(course.to_dict()), watch)
