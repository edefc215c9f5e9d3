"""ctrl+c with nothing running: it clears what is typed in the REPL input, then says how to quit."""

from __future__ import annotations

from tests.waiting import wait_until
from tui.app import make_app
from tui.screens.workbench import WorkbenchScreen
from tui.widgets.repl.input import ReplInput


async def test_ctrl_c_clears_the_typed_input_then_says_how_to_quit():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkbenchScreen) and app.screen.query(ReplInput),
                         what="the workbench's REPL input")
        repl_input = app.screen.query_one(ReplInput)
        repl_input.focus()
        await pilot.press("x", "space", "=", "space", "1")
        await wait_until(pilot, lambda: repl_input.text == "x = 1", what="the typed code")
        assert not app.repl.running
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: repl_input.text == "", what="the input cleared")
        assert isinstance(app.screen, WorkbenchScreen)  # nothing else happened: no quit, no screen change
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: any("ctrl+q quits" in n.message for n in app._notifications),
                         what="the how-to-quit notice")
