"""The code boxes indent like an editor: the exercise editor and the REPL's input share tui/core/indent."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.app.kinds_pack import KINDS
from tui.app import make_app
from tui.widgets.repl import ReplPanel

SIZE = (100, 30)


async def test_the_exercise_editor_indents_after_a_colon_and_dedents_on_backspace(kinds_pack):
    app = make_app(package=kinds_pack, start_lesson="kinds", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(KINDS.index("exercise"))
        await pilot.pause()
        await pilot.press("enter")
        editor = screen.view.query_one(TextArea)
        editor.text = ""
        await pilot.press(*"for i in x:", "enter", *"if i:", "enter", "y", "enter", "backspace", "z")
        assert editor.text == "for i in x:\n    if i:\n        y\n    z"
        await pilot.press("enter", *"return", "enter", "w")
        assert editor.text.endswith("    z\n    return\nw")



async def test_backspace_in_the_repl_input_goes_back_one_level():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        panel = app.screen.query_one(ReplPanel)
        panel.input.focus()
        panel.input.replace_all("if x:\n        ")
        await pilot.press("backspace")
        assert panel.input.text == "if x:\n    "
        await pilot.press("backspace", "backspace")
        assert panel.input.text == "if x:"
