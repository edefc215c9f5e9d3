"""The Textual app: wires screens, global keys and the command palette; the screens do the rest.

:func:`make_app` is the one factory the command line, the tests and the benchmark share.
Nothing here imports torch: the first screen must paint fast (see benchmarks/).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.lesson import BrokenLesson
from tui.core.loader import Catalogue, load_package
from tui.core.paths import progress_db_path
from tui.core.progress import ProgressStore
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen

# The lesson and help screens pull in the Markdown widget (~30 ms of imports); they are
# imported when first opened so the lesson browser paints sooner.


class TensorDojoApp(App[None]):
    """The tensordojo terminal app."""

    TITLE = "tensordojo"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("question_mark", "help", "Help", show=False)]

    def __init__(self, catalogue: Catalogue, store: ProgressStore, start_lesson: str | None = None) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.store = store
        self.start_lesson = start_lesson

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.catalogue, self.store))
        if self.store.notice:
            self.notify(self.store.notice, title="Progress file replaced", severity="warning", timeout=20)
        if self.start_lesson:
            self.open_lesson(self.start_lesson)

    def on_unmount(self) -> None:
        self.store.close()

    def open_lesson(self, lesson_id: str | None) -> None:
        """Open a lesson where the learner left off; a broken one only says why it cannot open."""
        entry = self.catalogue.get(lesson_id or "")
        if entry is None:
            self.notify(f"There is no lesson {lesson_id!r}.", severity="error")
        elif isinstance(entry, BrokenLesson):
            self.notify(f"{entry.where}: {entry.error}", title=f"Lesson {entry.id} is broken", severity="error")
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
        yield SystemCommand("Help", "The keys of every screen", self.action_help)
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
            self.notify(f"Progress of {what} was reset.")

        self.push_screen(ConfirmScreen(f"Forget your answers and your place in {what}?"), reset)


def make_app(home: Path | None = None, package: str = "lessons", start_lesson: str | None = None) -> TensorDojoApp:
    """Build the app: load the lessons and open the progress store.

    Args:
        home: the progress database's path; defaults to the user's data folder (or $TENSORDOJO_HOME).
        package: the package whose ``ORDER`` lists the lessons.
        start_lesson: a lesson id to open at once.
    """
    store = ProgressStore(home or progress_db_path())
    return TensorDojoApp(load_package(package), store, start_lesson)
