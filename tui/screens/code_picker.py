"""A small dialog to choose which code block of a step to send to the REPL."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class CodePickerScreen(ModalScreen[str | None]):
    """Lists the code blocks by their first lines; Enter or the block's number sends one, escape cancels."""

    DEFAULT_CSS = """
    CodePickerScreen { align: center middle; }
    CodePickerScreen > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    CodePickerScreen OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *[Binding(str(n), f"send({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, blocks: list[str]) -> None:
        super().__init__()
        self.blocks = blocks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Send which code to the REPL? Its number or enter sends it; escape cancels.")
            yield OptionList(*[Option(self._label(n, b)) for n, b in enumerate(self.blocks, 1)])

    @staticmethod
    def _label(number: int, block: str) -> str:
        lines = block.splitlines() or [""]
        more = f"  (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
        return f"{number}. {lines[0]}{more}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.blocks[event.option_index])

    def action_send(self, number: int) -> None:
        """Send the block with this number (as listed); a number with no block does nothing."""
        if 1 <= number <= len(self.blocks):
            self.dismiss(self.blocks[number - 1])

    def action_cancel(self) -> None:
        """Close without sending anything."""
        self.dismiss(None)
