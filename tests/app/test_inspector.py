"""Pilot tests of the shape inspector on a real kernel: table, detail pane, trace, explainer, broadcast tool."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Static

from tests.app.repl_helpers import log_text, open_workbench_ready, run_in_panel, wait_until
from tui.app import make_app
from tui.widgets.inspector import Inspector
from tui.widgets.inspector.render import render_detail, render_trace

SIZE = (140, 40)


def plain(renderable) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def test_variables_table_detail_and_module_layers():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        inspector = app.screen.query_one(Inspector)
        await run_in_panel(pilot, panel, "a = torch.randn(3, 4)\nw = torch.ones(4, 2, requires_grad=True)\n"
                                         "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\nout = model(a)")
        table = inspector.query_one("#variables", DataTable)
        await wait_until(pilot, lambda: table.row_count == 4, what="four variables")
        assert [table.get_row_at(i)[0::5] for i in range(4)] == [
            ["a", "tensor"], ["model", "module · 49 params"], ["out", "tensor"], ["w", "tensor"]]
        assert table.get_row_at(0)[1] == "(3, 4)" and table.get_row_at(1)[1] == "Sequential"
        assert "AddmmBackward0" in table.get_row_at(2)[2] and table.get_row_at(3)[2] == "✓"

        # The newest variable the run made is shown first; then the learner picks another.
        await wait_until(pilot, lambda: inspector.last_detail and inspector.last_detail["name"] == "out", what="out's detail")
        table.move_cursor(row=0)
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "a", what="a's detail")
        detail = inspector.last_detail
        assert detail["stride"] == [4, 1] and detail["numel"] == 12 and detail["bytes"] == 48
        assert "shape (3, 4): dim 0: 3 · dim 1: 4" in plain(render_detail(detail))

        table.focus()
        await pilot.press("down")
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "model", what="the module's detail")
        layers = inspector.last_detail["layers"]
        assert [(layer["name"], layer["output"]) for layer in layers] == [("0", [3, 8]), ("1", [3, 8]), ("2", [3, 1])]
        assert inspector.last_detail["total"] == 49


async def test_trace_tab_lists_ops_and_flags_a_silent_broadcast():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "col = torch.ones(4, 1)\nrow = torch.arange(4.)\ndiff = col - row")
        inspector = app.screen.query_one(Inspector)
        await wait_until(pilot, lambda: app.repl.snapshot and app.repl.snapshot["trace"]["ops"], what="a trace")
        text = plain(render_trace(app.repl.snapshot["trace"]))
        assert "sub" in text and "(4, 1), (4,)" in text and "(4, 4)" in text
        words = " ".join(text.split())  # the note wraps in its column
        assert "silent broadcast" in words and "16 values where 4 were probably meant" in words
        assert "In [" in words and "line 3: diff = col - row" in words  # lines labelled with their cell
        await pilot.press("f2")
        await pilot.press("t")
        assert inspector.query_one("TabbedContent").active == "tab-trace"


async def test_a_shape_error_typed_in_the_repl_is_explained_under_the_traceback():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        await run_in_panel(pilot, panel, "import torch, torch.nn as nn; nn.Linear(2, 2)(torch.randn(2, 3, 4))")
        text = " ".join(log_text(panel).split())  # the log wraps long lines
        assert "Shape error: linear" in text and "input (2, 3, 4)" in text
        assert "in_features = 2 values in the input's last dimension, but it has 4" in text
        assert "raised inside forward" in text and "trace.py" not in text


async def test_the_broadcast_tool_draws_as_you_type():
    app = make_app(start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_workbench("broadcast")
        await pilot.pause()
        inspector = app.screen.query_one(Inspector)
        shape_b = inspector.query_one("#shape-b", Input)
        shape_b.value = "(4,)"
        inspector.query_one("#shape-a", Input).value = "(4, 3)"
        await pilot.pause()
        drawn = str(inspector.query_one("#broadcast-diagram", Static).render())
        assert "dim 1: 3 vs 4, neither is 1" in drawn and "do not broadcast" in drawn
        shape_b.value = "three"
        await pilot.pause()
        assert "is not a shape" in str(inspector.query_one("#broadcast-diagram", Static).render())


async def test_f2_switches_between_repl_and_inspector_on_a_narrow_terminal():
    app = make_app(start_kernel=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        inspector = screen.query_one(Inspector)
        assert not inspector.display or not inspector.region.width
        await pilot.press("f2")
        await pilot.pause()
        assert inspector.region.width > 60 and screen.query_one("#workbench-repl").region.width == 0
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one("#workbench-repl").region.width > 60


@pytest.mark.parametrize("size", [(140, 40), (80, 24)], ids=["side-by-side", "narrow"])
async def test_code_typed_while_the_inspector_has_focus_goes_to_the_repl_input(size):
    from tui.widgets.repl.input import ReplInput

    app = make_app(start_kernel=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        await wait_until(pilot, lambda: app.screen.query(Inspector), what="the workbench")
        screen = app.screen
        repl_input = screen.query_one(ReplInput)
        await pilot.press("f2")
        await wait_until(pilot, lambda: screen.query_one("#variables").has_focus, what="the inspector's focus")
        await pilot.press("x", "space", "=", "space", "1")
        assert repl_input.text == "x = 1" and repl_input.has_focus
        assert screen.query_one("#workbench-repl").region.width > 60  # in view again when narrow
        await pilot.press("f2", "t")  # the inspector's own key keeps its meaning
        await wait_until(pilot, lambda: screen.query_one("#inspector-tabs").active == "tab-trace", what="the trace tab")
        assert repl_input.text == "x = 1"


async def test_a_hidden_inspector_catches_up_when_f2_shows_it():
    # On a narrow terminal the inspector is behind the REPL: it does no work after each run
    # (no table rebuilt, no detail asked of the kernel) and shows the latest variables when shown.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_workbench_ready(pilot)
        inspector = app.screen.query_one(Inspector)
        table = inspector.query_one("#variables", DataTable)
        await run_in_panel(pilot, panel, "a = torch.zeros(2, 5)")
        await wait_until(pilot, lambda: app.repl.snapshot and app.repl.snapshot["variables"], what="a snapshot")
        await pilot.pause()
        assert table.row_count == 0 and inspector.last_detail is None
        await pilot.press("f2")
        await wait_until(pilot, lambda: table.row_count == 1, what="the variable shown")
        assert table.get_row_at(0)[:2] == ["a", "(2, 5)"]


async def test_the_detail_pane_follows_the_selection_across_runs():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_workbench_ready(pilot)
        inspector = app.screen.query_one(Inspector)
        table = inspector.query_one("#variables", DataTable)
        await run_in_panel(pilot, panel, "a = torch.zeros(2)")
        await wait_until(pilot, lambda: inspector.last_detail and inspector.last_detail["name"] == "a", what="a's detail")
        await run_in_panel(pilot, panel, "b = torch.zeros(3)\nc = torch.zeros(4)")
        await wait_until(pilot, lambda: table.row_count == 3, what="three variables")
        # The pane follows the run: the newest variable it made, not the first ever listed.
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "c", what="c's detail after its run")
        assert table.cursor_row == 2
        table.move_cursor(row=0)
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "a", what="a's detail")
        panel.input.focus()
        await run_in_panel(pilot, panel, "n = 5")  # no tensor changed: the selection stays
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "a" and table.cursor_row == 0, what="a kept")
        table.focus()
        for name in ("b", "c"):
            await pilot.press("down")
            await wait_until(pilot, lambda: inspector.last_detail["name"] == name, what=f"{name}'s detail")
            assert inspector.last_detail["shape"] == [{"b": 3, "c": 4}[name]]
        await pilot.press("up")
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "b", what="b's detail again")
        panel.input.focus()
        await run_in_panel(pilot, panel, "b = torch.zeros(5, 5)")  # the selected variable changed: so does its detail
        await wait_until(pilot, lambda: inspector.last_detail.get("shape") == [5, 5], what="b's new detail")


async def test_the_learners_own_module_and_optimizer_are_listed_with_the_grad_column_on_screen():
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        panel = await open_workbench_ready(pilot)
        inspector = app.screen.query_one(Inspector)
        table = inspector.query_one("#variables", DataTable)
        await run_in_panel(pilot, panel, "class ToyModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                                         "        self.hidden = nn.Linear(4, 8)\n        self.out = nn.Linear(8, 2)\n"
                                         "    def forward(self, x):\n        return self.out(torch.relu(self.hidden(x)))\n\n"
                                         "model = ToyModel()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                                         "net = nn.Sequential(model)\n"
                                         "w = torch.ones(4, 2, requires_grad=True)\ny = net(torch.ones(3, 4))")
        await wait_until(pilot, lambda: table.row_count == 5, what="five variables")
        assert [table.get_row_at(i)[1] for i in range(5)] == ["ToyModel", "Sequential", "SGD", "(4, 2)", "(3, 2)"]
        await pilot.pause()
        # Beside the REPL at 120 columns, name, shape, grad and dtype are inside the table's visible
        # width (not behind a sideways scroll), with a module and a grad_fn listed.
        visible = min(table.scrollable_content_region.right, app.size.width) - table.scrollable_content_region.x
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        # Two columns to spare: at 46 of 47 a real terminal (tmux) showed the dtype cut to "float3".
        assert sum(widths[:4]) + 2 <= visible, f"columns {widths} in {visible} columns"
        await wait_until(pilot, lambda: inspector.last_detail and inspector.last_detail["name"] == "y", what="y's detail (the newest)")
        table.move_cursor(row=2)
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "opt", what="the optimizer's detail")
        shown = plain(render_detail(inspector.last_detail))
        assert "SGD optimizer" in shown and "lr 0.1" in shown and "inspector shows" not in shown
        table.move_cursor(row=0)
        await wait_until(pilot, lambda: inspector.last_detail["name"] == "model", what="the module's detail")
        layers = inspector.last_detail["layers"]
        assert [(layer["name"], layer["count"], layer["output"]) for layer in layers] == [("hidden", 40, [3, 8]), ("out", 18, [3, 2])]


def test_figures_of_a_sampled_tensor_say_sample_on_their_own_rows():
    import torch

    from tui.core.repl import namespace

    SAMPLE_LIMIT, tensor_stats = namespace.SAMPLE_LIMIT, namespace._stats
    big = torch.arange(4 * SAMPLE_LIMIT, dtype=torch.float32)
    stats = tensor_stats(big, True)
    assert stats["sample"] <= SAMPLE_LIMIT < big.numel()
    detail = {"name": "big", "shape": [big.numel()], "dtype": "float32", "stats": stats}
    lines = plain(render_detail(detail)).splitlines()
    assert any(line.strip().startswith("min · max · mean (sample)") for line in lines)
    assert any(line.strip().startswith("NaN · inf (sample)") for line in lines)
    small = {**detail, "stats": tensor_stats(big[:10], True)}
    assert "(sample)" not in plain(render_detail(small))


@pytest.mark.parametrize("width", [30, 44, 76])
def test_an_optimizers_settings_wrap_between_settings_under_their_indent(width):
    from tui.widgets.inspector.render import render_optimizer

    settings = {"lr": 0.001, "betas": [0.9, 0.999], "weight_decay": 0, "eps": 1e-8, "amsgrad": False}
    detail = {"name": "opt", "type": "Adam", "groups": [{"tensors": 4, "values": 49, "settings": settings}]}
    console = Console(width=width, record=True, color_system=None)
    console.print(render_optimizer(detail))
    lines = console.export_text().splitlines()[2:-1]  # between the group line and the step() line
    assert lines and all(line.startswith("  ") and len(line.rstrip()) <= width for line in lines)
    shown = [piece.strip() for line in lines for piece in line.split(" · ")]
    assert [piece.rstrip(" ·") for piece in shown if piece] == ["lr 0.001", "betas (0.9, 0.999)", "weight_decay 0",
                                                               "eps 1e-08", "amsgrad False"]
