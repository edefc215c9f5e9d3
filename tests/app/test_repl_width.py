"""The REPL prints at its log's width (kept in step on resize), and a tall recalled cell never hides the log's end."""

from __future__ import annotations

from tests.app.repl_helpers import log_text, open_workbench_ready, run_in_panel, wait_until
from tests.waiting import resize_to
from tui.app import make_app
from tui.kernel.extension import TORCH_OVERRUN
from tui.screens.workbench import SIDE_BY_SIDE
from tui.widgets.inspector import Inspector
from tui.widgets.repl import ReplPanel


def last_result(panel: ReplPanel) -> str:
    return log_text(panel).rstrip().splitlines()[-1]


async def test_torch_and_numpy_print_at_the_logs_width_and_follow_a_resize():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_workbench_ready(pilot)
        inspector = app.screen.query_one(Inspector)
        widths = []
        for size in ((80, 24), (130, 30)):
            wide = size[0] >= SIDE_BY_SIDE
            await resize_to(pilot, *size)
            # The REPL and the inspector (beside it only when wide) share the width, and the panel has
            # told the kernel its log's new width. Before the layout at this size, the old size's widths
            # agree with each other just as well (a loaded run read 75 columns, then the kernel got 73).
            await wait_until(pilot, lambda: panel.region.width + inspector.region.width == size[0]
                             and (inspector.region.width > 0) == wide and panel.log_view.print_columns
                             and app.repl.print_width == panel.log_view.print_columns, what=f"the width at {size}")
            columns = panel.log_view.print_columns
            await run_in_panel(pilot, panel, "print(torch._tensor_str.PRINT_OPTS.linewidth, np.get_printoptions()['linewidth'])")
            assert last_result(panel) == f"{columns - TORCH_OVERRUN} {columns}"
            assert panel.log_view.print_columns == columns, "the layout changed while the cell ran"
            await run_in_panel(pilot, panel, "print(max(len(line) for line in repr(torch.randn(10, 10)).splitlines()))")
            assert int(last_result(panel)) <= columns
            widths.append(columns)
        # 80 columns: the REPL alone; 130: three fifths of them beside the inspector.
        assert widths[0] != widths[1], "the kernel's width followed the resize"


async def test_recalling_a_tall_cell_keeps_the_latest_output_in_view():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_workbench_ready(pilot)
        log, field = panel.log_view, panel.input
        await run_in_panel(pilot, panel, "for i in range(40): print(i)")
        tall = "\n".join(f"v{i} = {i}" for i in range(12)) + "\nprint('the end')"
        await run_in_panel(pilot, panel, tall)
        await wait_until(pilot, lambda: log.scroll_y >= log.max_scroll_y and log.max_scroll_y > 0, what="the log at its end")
        short_height = field.size.height
        await pilot.press("up")
        await wait_until(pilot, lambda: field.text == tall and field.size.height > short_height, what="the recalled cell")
        await pilot.pause()
        assert field.size.height <= panel.size.height * 0.4 + 1  # the input grows within a bounded height
        assert log.scroll_y >= log.max_scroll_y, "the end of the log went out of view"


async def test_output_that_comes_while_the_repl_is_hidden_is_written_at_its_width_when_shown():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_workbench_ready(pilot)
        await pilot.press("f2")  # the inspector replaces the REPL on a narrow terminal
        await wait_until(pilot, lambda: panel.log_view.size.width == 0, what="the REPL hidden")
        runs = len(app.repl.transcript)
        panel.run_source("print('x' * 60)")
        await wait_until(pilot, lambda: app.repl.state == "ready" and len(app.repl.transcript) > runs + 1, what="the run")
        await pilot.press("f2")
        await wait_until(pilot, lambda: "x" * 60 in log_text(panel), what="the line, whole")


async def test_the_log_is_drawn_again_at_its_new_width_when_the_terminal_narrows_or_widens():
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        panel = await open_workbench_ready(pilot)
        log = panel.log_view
        await run_in_panel(pilot, panel, "print(' '.join(f'w{i}' for i in range(120)))")
        assert log.size.width > 100, "the log is wide at 200 columns (the inspector beside it)"
        words = [f"w{i}" for i in range(120)]

        def shown_words() -> list[str]:
            return [word for word in log_text(panel).split() if word.startswith("w") and word[1:].isdigit()]

        def fits() -> bool:
            return bool(log.lines) and max(line.cell_length for line in log.lines) <= log.scrollable_content_region.width

        wide_rows = len(log.lines)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: fits() and log.max_scroll_x == 0 and shown_words() == words,
                         what="the log drawn again at 80 columns, every word whole")
        narrow_rows = len(log.lines)
        assert narrow_rows > wide_rows
        await pilot.resize_terminal(200, 50)
        await wait_until(pilot, lambda: len(log.lines) < narrow_rows and shown_words() == words,
                         what="the log drawn again, wider")
