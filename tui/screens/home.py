"""The home screen: the lesson browser, every lesson in order with its progress."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.lesson import BrokenLesson
from tui.core.course.loader import Catalogue, Entry
from tui.core.store.progress import DONE, IN_PROGRESS, ProgressStore
from tui.screens.base import DojoScreen

_BADGES = {DONE: ("✓ done", "green"), IN_PROGRESS: ("● in progress", "yellow")}


def lesson_prompt(number: int, entry: Entry, status: str) -> Table:
    """Two lines for one lesson: number, title, time and status; then the summary or the error."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", style="dim")
    grid.add_column(ratio=1)
    if isinstance(entry, BrokenLesson):
        grid.add_row(f"{number}.", Text.assemble((entry.title or entry.id, "bold"), "  ", ("⚠ broken", "red")))
        # fold: a path longer than the row wraps; cut with an ellipsis it lost its file name and line
        grid.add_row("", Text(f"{entry.where}: {entry.error}", style="red", overflow="fold"))
        return grid
    badge, colour = _BADGES.get(status, ("○ not started", "dim"))
    grid.add_row(f"{number}.", Text.assemble((entry.title, "bold"), "  ", (f"{entry.minutes} min", "dim"), "  ", (badge, colour)))
    grid.add_row("", Text(entry.summary, style="italic"))
    return grid


def pack_heading(pack: str) -> str:
    """The line above a pack's lessons when lessons come from more than one pack."""
    from tui.core.course.packs import BUILT_IN

    return " The tensordojo course " if pack == BUILT_IN else f" Pack: {pack} "


class LessonList(OptionList):
    """The list of lessons; its Enter key is shown in the footer."""

    BINDINGS = [Binding("enter", "select", "Open lesson")]


class HomeScreen(DojoScreen):
    """Lists the lessons; Enter opens the highlighted one."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("w", "app.open_workbench", "Workbench"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, catalogue: Catalogue, store: ProgressStore) -> None:
        super().__init__(name="lessons")
        self.catalogue = catalogue
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Lessons · Enter opens one · ctrl+p finds anything", id="home-title")
        yield LessonList(id="lessons")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Lessons"
        self.refresh_lessons()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:  # back from a lesson: statuses may have changed
            self.refresh_lessons()

    def refresh_lessons(self) -> None:
        """Redraw the list with current progress, keeping the highlight."""
        options = self.query_one(OptionList)
        keep = options.highlighted
        statuses = self.store.statuses()
        options.clear_options()
        grouped = len({entry.pack for entry in self.catalogue.entries}) > 1
        pack = None
        for number, entry in enumerate(self.catalogue.entries, 1):
            if grouped and entry.pack != pack:
                pack = entry.pack
                options.add_option(Option(Text(pack_heading(pack), style="bold reverse"), disabled=True))
            prompt = lesson_prompt(number, entry, statuses.get(entry.id, ""))
            options.add_option(Option(prompt, id=entry.id))
        first_unfinished = next((e.id for e in self.catalogue.entries if statuses.get(e.id) != DONE), None)
        if keep is None and first_unfinished is not None:
            keep = options.get_option_index(first_unfinished)
        options.highlighted = keep if keep is not None else 0

    def highlight(self, lesson_id: str) -> None:
        """Highlight this lesson (the learner just left it): Enter takes them back to it."""
        options = self.query_one(OptionList)
        if lesson_id in [entry.id for entry in self.catalogue.entries]:
            options.highlighted = options.get_option_index(lesson_id)

    def highlight_after(self, lesson_id: str) -> None:
        """Highlight the lesson after this one (a lesson was just finished): Enter goes on with the course."""
        options = self.query_one(OptionList)
        ids = [entry.id for entry in self.catalogue.entries]
        if lesson_id in ids and ids.index(lesson_id) + 1 < len(ids):
            options.highlighted = options.get_option_index(ids[ids.index(lesson_id) + 1])

    @on(OptionList.OptionSelected, "#lessons")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_lesson(event.option_id)
