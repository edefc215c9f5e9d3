"""One view class per step kind, found through :func:`view_for`.

A view registers itself with ``@shows(StepClass)``; the lesson screen asks :func:`view_for`
for the view of whatever step it shows, so a new step kind needs one view class, nothing more.
"""

from __future__ import annotations

from tui.widgets.steps.base import StepView, shows, view_for
from tui.widgets.steps import exercise, launch, prose, quiz, try_code  # noqa: F401  (importing registers the views)

__all__ = ["StepView", "shows", "view_for"]
