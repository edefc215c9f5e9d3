"""Pilot tests of the REPL panel on a real kernel: run, tensor header, multi-line, history, interrupt, crash."""

from __future__ import annotations

from tests.app.repl_helpers import log_text, open_workbench_ready, run_in_panel, wait_until
from tui.app import make_app
from tui.core.paths import progress_db_path
from tui.core.store.progress import ProgressStore
from tui.screens.workbench import WorkbenchScreen

SIZE = (100, 30)


async def test_the_done_when_flow_run_interrupt_and_crash():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        assert isinstance(app.screen, WorkbenchScreen)
        await run_in_panel(pilot, panel, "torch.arange(1, 10) + 2")
        text = log_text(panel)
        assert "shape (9,) · int64 · cpu" in text
        assert "tensor([ 3,  4,  5,  6,  7,  8,  9, 10, 11])" in text
        assert text.index("shape (9,)") < text.index("tensor([ 3,")

        await run_in_panel(pilot, panel, "kept = 'yes'")
        panel.input.replace_all("while True: pass")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.repl.running, what="the loop to start")
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: "KeyboardInterrupt" in log_text(panel), what="KeyboardInterrupt")
        await wait_until(pilot, lambda: app.repl.state == "ready")
        await run_in_panel(pilot, panel, "kept")
        assert "'yes'" in log_text(panel)

        panel.input.replace_all("import os; os._exit(1)")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "A new kernel is ready" in log_text(panel), what="the restart notice")
        assert "The kernel died while running" in log_text(panel)
        await wait_until(pilot, lambda: app.repl.state == "ready")
        await run_in_panel(pilot, panel, "21 * 2")
        assert log_text(panel).rstrip().endswith("42")


async def test_enter_inserts_a_newline_in_an_unfinished_block_then_runs_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        panel.input.replace_all("for i in range(3):")
        await pilot.press("enter")
        assert panel.input.text == "for i in range(3):\n    "
        await pilot.press(*"print(i * 10)")
        await pilot.press("enter")
        assert app.repl.number == 0  # still not run
        await pilot.press("enter")
        await wait_until(pilot, lambda: "20" in log_text(panel), what="the loop's output")
        assert "0\n10\n20" in log_text(panel)


async def test_history_with_up_and_down_persists_across_sessions():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "a = 1")
        await run_in_panel(pilot, panel, "b = a + 1")
        panel.input.replace_all("draft")
        await pilot.press("up")
        assert panel.input.text == "b = a + 1"
        await pilot.press("up")
        assert panel.input.text == "a = 1"
        await pilot.press("down", "down")
        assert panel.input.text == "draft"
    assert ProgressStore(progress_db_path()).history()[-2:] == ["a = 1", "b = a + 1"]
    again = make_app(start_kernel=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        panel = again.screen.query_one("ReplPanel")
        await pilot.press("up")
        assert panel.input.text == "b = a + 1"


async def test_reverse_search_previews_and_escape_restores():
    app = make_app(start_kernel=False)
    app.repl.history.entries[:] = ["t = torch.ones(3)", "print(t)", "t.sum()"]
    app.repl.history.position = 3
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        panel = app.screen.query_one("ReplPanel")
        panel.input.replace_all("mine")
        await pilot.press("ctrl+r", *"torch")
        assert panel.input.text == "t = torch.ones(3)"
        await pilot.press("escape")
        assert panel.input.text == "mine"
        await pilot.press("ctrl+r", *"t")
        assert panel.input.text == "t.sum()"
        await pilot.press("ctrl+r")
        assert panel.input.text == "print(t)"
        await pilot.press("enter")
        assert panel.input.has_focus and panel.input.text == "print(t)"


async def test_tab_completes_from_the_kernel():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "my_long_variable = 3")
        panel.input.replace_all("my_long_va")
        await pilot.press("tab")
        await wait_until(pilot, lambda: panel.input.text == "my_long_variable", what="the completion")


async def test_a_syntax_error_and_the_kernel_keeps_going():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "x == = 2")
        assert "SyntaxError" in log_text(panel)
        panel.input.replace_all("y = (1 +\n2))")  # IPython calls this unfinished: Enter adds a line...
        await pilot.press("enter")
        assert app.repl.number == 1 and panel.input.text.endswith("\n")
        await pilot.press("ctrl+j")  # ...and ctrl+j runs it anyway
        await wait_until(pilot, lambda: log_text(panel).count("SyntaxError") == 2, what="the second SyntaxError")
        await run_in_panel(pilot, panel, "'fine'")
        assert "'fine'" in log_text(panel)


async def test_once_the_kernel_is_ready_the_first_enter_has_nothing_left_to_load():
    import gc

    from tui.widgets.repl.input import _transformer
    from tui.widgets.repl.render import _python_lexer

    _transformer.cache_clear()
    _python_lexer.cache_clear()
    frozen = gc.get_freeze_count()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.repl.state == "ready", what="the kernel")
        await wait_until(pilot, lambda: _transformer.cache_info().currsize == 1 and _python_lexer.cache_info().currsize == 1
                         and gc.get_freeze_count() > frozen, what="the REPL's warm-up")


async def test_a_pasted_cell_run_with_ctrl_j_is_kept_in_history_without_its_trailing_blank_lines():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        panel = app.screen.query_one("ReplPanel")
        panel.input.replace_all("total = 0\nfor i in range(3):\n    total += i\n\n    \n")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.repl.history.entries, what="the run recorded in history")
        assert app.repl.history.entries[-1] == "total = 0\nfor i in range(3):\n    total += i"
