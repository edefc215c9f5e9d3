"""Text always fits at 80x24: no code line, example, solution, step title or sample answer is cropped.

Every step of every lesson is checked, through the code that draws it: code blocks (Markdown
fences and indented blocks in prose and prompts, an exercise's reference) go through the
app's code renderer at the room an 80-column lesson panel gives them, step titles through the
step list's line builder, and typed answers' samples against the input's width. The room is
measured once in the running app; one app test shows the marker on screen.
"""

from __future__ import annotations

import io
import re

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from tui.app import make_app
from tui.core.lesson import Lesson
from tui.core.steps import Typed
from tui.core.course.panel import step_list_width
from tui.widgets.step_list import step_line
from tui.widgets.wrapped_code import MARKER, WrappedCode, WrappedFence, highlighted

SIZE = (80, 24)
LONG = "x = torch.zeros(3, 4, dtype=torch.float32)  # the dtype is torch.float32, the shape (3, 4) END"


def lessons() -> list[Lesson]:
    return [entry for entry in make_app(start_kernel=False).catalogue.entries if isinstance(entry, Lesson)]


def code_blocks(lesson: Lesson) -> list[tuple[str, str]]:
    """(where, code) for every code block the lesson shows."""
    parser = MarkdownIt("gfm-like")
    found = []
    for step in lesson.steps:
        texts = [getattr(step, name, "") for name in ("markdown", "prompt")]
        for text in filter(None, texts):
            found += [(step.id, t.content) for t in parser.parse(text) if t.type in ("fence", "code_block")]
        if getattr(step, "reference", ""):
            found.append((f"{step.id} (reference)", step.reference))
    return found


# Under pytest-xdist (--dist loadgroup) the module stays on one worker: the room, measured once in the app, serves it.
pytestmark = pytest.mark.xdist_group("test_text_fits")


@pytest.fixture(scope="module")
def room() -> dict[str, int]:
    """Columns an 80x24 lesson panel gives a code block (alone, and with the REPL docked beside
    it) and a typed answer (measured in the app)."""
    import asyncio

    from tests.waiting import wait_until

    async def measure() -> dict[str, int]:
        app = make_app(start_lesson="tensors", start_kernel=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            fence_step = next(i for i, s in enumerate(screen.lesson.steps) if "```" in getattr(s, "markdown", ""))
            await screen.show_step(fence_step)
            await pilot.pause()
            code = screen.query_one(WrappedFence).query_one("#code-content").content_region.width
            await pilot.press("r")  # the REPL docked beside the step: the narrowest a code block gets
            docked = await wait_until(pilot, lambda: (width := screen.query_one(WrappedFence).query_one(
                "#code-content").content_region.width) < code and width, what="the step beside the REPL")
            await pilot.press("escape", "r")
            typed_step = next(i for i, s in enumerate(screen.lesson.steps) if isinstance(s, Typed))
            await screen.show_step(typed_step)
            answer = await wait_until(pilot, lambda: screen.query_one("Input.answer").content_region.width,
                                      what="the answer input's layout")
            return {"code": code, "code beside the REPL": docked, "answer": answer}

    return asyncio.run(measure())


def is_continuation(line: str) -> bool:
    return line.lstrip(" ").startswith(MARKER)


def word_around(line: str, at: int) -> str:
    """The name or number of ``line`` that spans position ``at``."""
    word = re.compile(r"[\w.]+")
    return next((m.group() for m in word.finditer(line) if m.start() < at < m.end()), "")


def check_wrapped(where: str, code: str, width: int) -> None:
    """Drawn at ``width``: no line wider, nothing lost, no name or number split unless it is wider
    than the room, and every continuation under its line's indent."""
    drawn = [line.plain for line in WrappedCode(highlighted(code)).lines(width)]
    too_wide = [line for line in drawn if len(line) > width]
    assert not too_wide, f"{where}: cropped at {width} columns: {too_wide}"
    pieces = [line.split(MARKER, 1)[1] if is_continuation(line) else "\n" + line for line in drawn]
    assert "".join(pieces).strip("\n") == code.rstrip().strip("\n"), f"{where}: text lost in wrapping"
    source_lines = iter(code.rstrip().strip("\n").split("\n"))
    for line, piece in zip(drawn, pieces):
        if not is_continuation(line):
            source, at = next(source_lines), len(line)
            continue
        indent = len(source) - len(source.lstrip(" "))
        assert line.startswith(" " * indent + MARKER) or indent + len(MARKER) > width // 2, \
            f"{where}: {line!r} lost the indent of {source!r}"
        split = word_around(source, at)
        assert not split or len(split) > width - len(MARKER) - indent, \
            f"{where}: {split!r} split across lines at {width} columns: {drawn}"
        at += len(piece)


@pytest.mark.parametrize("lesson", lessons(), ids=lambda lesson: lesson.id)
def test_every_code_block_of_the_lesson_fits_and_loses_nothing(lesson, room):
    for name in ("code", "code beside the REPL"):
        width = room[name]
        console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
        for where, code in code_blocks(lesson):
            check_wrapped(f"{lesson.id} {where} ({name})", code, width)
            console.print(WrappedCode(highlighted(code)))


@pytest.mark.parametrize("width", [20, 36, 50])
def test_a_long_line_wraps_at_word_edges_under_its_indent(width):
    code = f"def f():\n    {LONG}\n    return averyveryverylongnamethatcannotfitanywhereatallintheroom_{width}\n"
    check_wrapped("LONG", code, width)
    drawn = [line.plain for line in WrappedCode(highlighted(code)).lines(width)]
    assert any(line.startswith("    " + MARKER) for line in drawn), drawn


@pytest.mark.parametrize("lesson", lessons(), ids=lambda lesson: lesson.id)
def test_every_step_title_and_sample_answer_fits(lesson, room):
    width = step_list_width(SIZE[0], [step.title for step in lesson.steps])
    for number, step in enumerate(lesson.steps, 1):
        text = step_line("▶✓", number, step.title, width)
        assert all(len(line) <= width - 4 for line in text.splitlines()), f"{lesson.id}: {text!r} is cut"
        shown = " ".join(step.title.replace("`", "").split())
        assert " ".join(text.split()[2:]) == shown, f"{lesson.id}: {step.title!r} lost words"
        if isinstance(step, Typed):
            sample = f"type your answer, e.g. {step.example}"
            assert len(sample) <= room["answer"], f"{lesson.id} {step.id}: the sample answer is cut: {sample!r}"


async def test_a_long_code_line_shows_whole_with_the_marker_at_80_columns(lesson_pack):
    source = f'''
from tui.core.lesson import Lesson
from tui.core.steps import Prose

LESSON = Lesson(id="wide", title="Wide", summary="A long code line.", minutes=1, steps=[
    Prose("# Wide code\\n```python\\n{LONG}\\n```\\n"),
])
'''
    name, _ = lesson_pack({"wide": source})
    app = make_app(package=name, start_lesson="wide", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        fence = app.screen.query_one(WrappedFence)
        lines = [strip.text for strip in fence.query_one("#code-content").render_lines(
            fence.query_one("#code-content").region.reset_offset)]
        shown = "".join(line.strip().removeprefix(MARKER.strip()).strip() if MARKER.strip() in line else line.strip()
                        for line in lines)
        assert any(MARKER.strip() in line for line in lines) and shown.replace(" ", "") == LONG.replace(" ", "")


async def test_a_long_line_in_the_exercise_editor_wraps_instead_of_hiding_past_the_edge():
    from textual.widgets import TextArea

    from tests.waiting import wait_until
    from tui.widgets.steps.exercise import ExerciseView

    app = make_app(start_lesson="reductions", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show_step(screen.lesson.step_index("row-means"))
        editor = screen.query_one(ExerciseView).query_one(TextArea)
        editor.text = f"def row_means(x):\n    {LONG}\n"
        await wait_until(pilot, lambda: editor.wrapped_document.height > editor.document.line_count,
                         what="the long line to wrap")
        assert editor.max_scroll_x == 0  # nothing to scroll to: every character is on screen


async def test_the_docked_repls_placeholder_shows_whole_at_80_columns_and_in_full_when_wide():
    from tests.waiting import resize_to, wait_until
    from tui.widgets.repl.input import PLACEHOLDERS, ReplInput

    app = make_app(start_lesson="tensors", start_kernel=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        field = app.screen.query_one(ReplInput)
        for size in (SIZE, (160, 48)):
            await resize_to(pilot, *size)
            await wait_until(pilot, lambda: field.content_size.width and field.placeholder != PLACEHOLDERS[-1]
                             and len(field.placeholder) <= field.content_size.width, what=f"a placeholder that fits at {size}")
            first_row = field.render_line(0).text
            assert field.placeholder in first_row, (size, field.placeholder, first_row)
        assert field.placeholder == PLACEHOLDERS[0], "the whole placeholder when there is room"
