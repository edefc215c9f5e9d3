"""The REPL from the palette and under odd input: "Restart kernel", and the notes for input() and sys.exit()."""

from __future__ import annotations

from tests.app.repl_helpers import log_text, open_workbench_ready, run_in_panel, wait_until
from tests.waiting import run_from_palette
from tui.app import make_app


async def test_restart_kernel_from_the_palette_clears_variables_and_keeps_the_repl_working():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "kept = 41")
        await run_from_palette(pilot, "Restart kernel")
        await wait_until(pilot, lambda: "Kernel restarted as you asked." in log_text(panel), what="the restart notice")
        await wait_until(pilot, lambda: app.repl.state == "ready", what="the new kernel")
        await run_in_panel(pilot, panel, "'kept' in dir()")
        assert log_text(panel).rstrip().endswith("False")
        await run_in_panel(pilot, panel, "20 + 22")
        assert log_text(panel).rstrip().endswith("42")


async def test_input_and_sys_exit_show_their_notes_in_the_log_and_keep_the_session():
    from tui.core.repl.notes import note_for

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "kept = 7")
        await run_in_panel(pilot, panel, "name = input('name? ')")
        assert note_for("StdinNotImplementedError").split(",")[0] in log_text(panel).replace("\n", " ")
        await run_in_panel(pilot, panel, "import sys; sys.exit(3)")
        assert "sys.exit() ends a script" in log_text(panel).replace("\n", " ")
        await run_in_panel(pilot, panel, "kept * 6")
        assert log_text(panel).rstrip().endswith("42")
