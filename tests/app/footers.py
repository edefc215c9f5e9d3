"""The footer as a learner reads it, read once it draws the screen's bindings of now.

The footer composes its keys again a refresh or two after the bindings change (a new step, focus
moved, a scenario switched): a test that reads it at once races that, and on a loaded machine reads
the keys of the state before. These helpers wait on the event (the keys drawn are the bindings
shown) and then read it.
"""

from __future__ import annotations

from textual.widgets import Footer

from tests.waiting import wait_until


def drawn_as_bound(app, footer) -> bool:
    """Whether the footer's keys, laid out, are those of the screen's shown bindings now."""
    keys = [key for key in footer.query("FooterKey") if key.key != app.COMMAND_PALETTE_BINDING]
    bound = {binding.action for (_, binding, _, _) in app.screen.active_bindings.values() if binding.show}
    return bool(keys) and all(key.region.width for key in keys) and {key.action for key in keys} == bound


async def drawn_footer_keys(pilot) -> list:
    """The footer's ``FooterKey`` widgets, left to right, once they are the current bindings."""
    app = pilot.app
    footer = app.screen.query_one(Footer)
    await wait_until(pilot, lambda: drawn_as_bound(app, footer), what="the footer drawing the current bindings")
    return sorted(footer.query("FooterKey"), key=lambda key: key.region.x)


async def footer_texts(pilot) -> list[str]:
    """Each key of the footer as drawn ("esc Lessons"), left to right, once it is current."""
    return [str(key.render()).strip() for key in await drawn_footer_keys(pilot)]
