"""Whether a widget inside a scrolling page is drawn on screen: what a learner can see without
scrolling. Tests wait on these (never on a fixed pause) after something asks to scroll into view,
since the scroll lands a refresh or two after the content it follows."""

from __future__ import annotations


def scroller(widget):
    """The scrolling area that holds ``widget`` (the step's page)."""
    return next(node for node in widget.ancestors if getattr(node, "max_scroll_y", 0))


def on_screen(widget) -> bool:
    """Whether some of ``widget`` is drawn inside the scrolling area that holds it (not scrolled away)."""
    return bool(widget.region.intersection(scroller(widget).region).height)


def wholly_on_screen(widget) -> bool:
    """Whether all of ``widget``'s rows are drawn inside the scrolling area that holds it."""
    region = widget.region
    return bool(region.height) and region.intersection(scroller(widget).region).height == region.height
