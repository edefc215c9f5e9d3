"""The shape inspector: variables with their shapes, a detail pane, the last run's trace, a broadcast tool."""

from tui.widgets.inspector.panel import Inspector

__all__ = ["Inspector"]
