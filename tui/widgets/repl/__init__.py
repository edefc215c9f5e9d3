"""The REPL panel: an input, a scrolling log, a status line, on top of the app's ReplService."""

from tui.widgets.repl.panel import ReplPanel

__all__ = ["ReplPanel"]
