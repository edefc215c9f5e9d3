"""The inspector panel: tabs for the variables (with detail), the trace, and the broadcast tool."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tui.kernel.events import Snapshot
from tui.kernel.repl import ReplService, Update
from tui.widgets.inspector.broadcast_tool import BroadcastTool
from tui.widgets.inspector.render import TABLE_COLUMNS, render_detail, render_trace, table_row


def follow(previous: dict[str, dict[str, Any]], rows: list[dict[str, Any]], selected: str | None) -> str:
    """The variable the detail pane shows after a run: the newest one the run created or changed
    (as the log shows the latest result); when it changed none, the one selected before, if it
    still exists; else the first."""
    changed = [row for row in rows if previous.get(row["name"]) != row]
    if changed:
        return max(changed, key=lambda row: row.get("order", 0))["name"]
    names = [row["name"] for row in rows]
    return selected if selected in names else names[0]


class Inspector(Vertical):
    """Follows the REPL: after every run it shows the namespace's tensors and the run's op trace."""

    BINDINGS = [Binding("t", "next_tab", "Next tab")]
    TABS = ("variables", "trace", "broadcast")

    DEFAULT_CSS = """
    Inspector { height: 1fr; }
    Inspector #variables { height: 1fr; min-height: 5; }
    Inspector #detail-box { height: 1fr; border-top: hkey $surface-lighten-2; padding: 0 1; }
    Inspector #trace-box { height: 1fr; padding: 0 1; }
    """

    @dataclass
    class SnapshotArrived(Message, bubble=False):
        """A new snapshot from the REPL service (posted from its worker)."""

        record: dict[str, Any]

    @dataclass
    class DetailArrived(Message, bubble=False):
        """The kernel described a variable (posted from the detail worker)."""

        name: str
        detail: dict[str, Any]

    last_detail: dict[str, Any] | None = None
    """The detail shown now, as the kernel sent it."""

    def compose(self) -> ComposeResult:
        with TabbedContent(id="inspector-tabs"):
            with TabPane("Variables", id="tab-variables"):
                yield DataTable(id="variables", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="detail-box"):
                    yield Static("Run code in the REPL; its tensors appear here.", id="detail")
            with TabPane("Trace", id="tab-trace"):
                with VerticalScroll(id="trace-box", can_focus=True):
                    yield Static("The torch ops of the last run appear here.", id="trace")
            with TabPane("Broadcast", id="tab-broadcast"):
                yield BroadcastTool()

    @property
    def service(self) -> ReplService:
        """The app's REPL service."""
        return self.app.repl  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        table = self.query_one("#variables", DataTable)
        table.add_columns(*TABLE_COLUMNS)
        self._rows: list[dict[str, Any]] = []
        self._shown_detail: str | None = None
        self._behind = False
        if self.service.snapshot is not None:
            self._show_snapshot(self.service.snapshot)
        self.service.subscribe(self._listener)

    def on_unmount(self) -> None:
        self.service.unsubscribe(self._listener)

    def _listener(self, updates: list[Update]) -> None:
        for update in updates:
            if isinstance(update, Snapshot):
                self.post_message(self.SnapshotArrived(update.record))

    @on(SnapshotArrived)
    def _snapshot(self, message: SnapshotArrived) -> None:
        if self.display:
            self._show_snapshot(message.record)
        else:
            # Hidden behind the REPL on a narrow terminal: catch up when shown, and meanwhile
            # neither rebuild the table after every run nor ask the kernel for details.
            self._behind = True

    def on_show(self) -> None:
        if self._behind and self.service.snapshot is not None:
            self._behind = False
            self._show_snapshot(self.service.snapshot)

    def _show_snapshot(self, record: dict[str, Any]) -> None:
        table = self.query_one("#variables", DataTable)
        keep = self._rows[table.cursor_row]["name"] if self._rows and 0 <= table.cursor_row < len(self._rows) else None
        previous = {row["name"]: row for row in self._rows}
        self._rows = record.get("variables", [])
        table.clear()
        for row in self._rows:
            table.add_row(*table_row(row), key=row["name"])
        if record.get("hidden"):
            table.add_row(f"… {record['hidden']} more", "", "", "", "", "")
        names = [row["name"] for row in self._rows]
        self.query_one("#trace", Static).update(render_trace(record.get("trace")))
        if not self._rows:
            self._shown_detail = None
            self.query_one("#detail", Static).update("No tensors, arrays or modules yet.")
            return
        chosen = follow(previous, self._rows, keep)
        table.move_cursor(row=names.index(chosen))
        self._request_detail(chosen)  # again when it is the same name: its values may have changed

    @on(DataTable.RowHighlighted, "#variables")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self._rows):
            self._request_detail(self._rows[event.cursor_row]["name"])

    def _request_detail(self, name: str) -> None:
        self._shown_detail = name
        # A partial, not a coroutine: a request replaced before it starts is then never created.
        self.run_worker(partial(self._load_detail, name), group="inspector-detail", exclusive=True, exit_on_error=False)

    async def _load_detail(self, name: str) -> None:
        try:
            detail = await self.service.inspect(name)
        except Exception as error:  # the kernel went away while asking
            detail = {"name": name, "note": f"could not ask the kernel: {type(error).__name__}: {error}"}
        self.post_message(self.DetailArrived(name, detail))

    @on(DetailArrived)
    def _detail_arrived(self, message: DetailArrived) -> None:
        if self._shown_detail == message.name:
            self.last_detail = message.detail
            self.query_one("#detail", Static).update(render_detail(message.detail))

    def show_tab(self, tab: str) -> None:
        """Switch to ``variables``, ``trace`` or ``broadcast``."""
        self.query_one(TabbedContent).active = f"tab-{tab}"

    def action_next_tab(self) -> None:
        """t: the next tab, focusing what it holds."""
        current = self.query_one(TabbedContent).active.removeprefix("tab-")
        tab = self.TABS[(self.TABS.index(current) + 1) % len(self.TABS)]
        self.show_tab(tab)
        self.focus_tab(tab)

    def focus_tab(self, tab: str) -> None:
        """Focus what a tab holds (the broadcast tool's first shape, say), so typing goes there."""
        target = {"variables": "#variables", "trace": "#trace-box", "broadcast": "#shape-a"}[tab]
        self.query_one(target).focus()
