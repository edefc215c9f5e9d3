"""Baseline for the first-paint benchmark: a bare Textual app that shows one list and nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import OptionList

from tui.bench.first_paint import MARKER


class BareListApp(App[None]):
    """The least a Textual app can do to show a list."""

    def compose(self) -> ComposeResult:
        yield OptionList(MARKER, "second", "third")


if __name__ == "__main__":
    BareListApp().run()
