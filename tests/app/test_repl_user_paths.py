"""The REPL from the palette and under odd input: "Restart kernel", the notes for input() and sys.exit(), and the output limits."""

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


async def test_a_run_that_prints_without_end_shows_its_start_a_note_and_its_tail():
    """The real limits (2,000 lines live, the last 200 at the end), through the kernel and the log."""
    from tui.core.repl.output_limit import OutputLimiter

    limits = OutputLimiter()
    printed = limits.budget + 5000
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, f"for i in range({printed}): print(f'line {{i}}')")
        await wait_until(pilot, lambda: f"line {printed - 1}" in log_text(panel), what="the tail")
        text = log_text(panel)
        hidden = printed - limits.budget - limits._tail.maxlen
        assert "line 0\n" in text and f"line {limits.budget - 1}\n" in text
        assert f"{hidden:,} lines not shown" in text
        assert f"line {limits.budget + 10}\n" not in text  # from the cut middle
        assert f"line {printed - limits._tail.maxlen}\n" in text  # the first of the kept tail
