"""Pure pieces of the REPL: message parsing, the output limiter, shape headers, error notes."""

from __future__ import annotations

from tui.core.repl.output_limit import MAX_LINE_CHARS, OutputLimiter, clip_line
from tui.core.repl.notes import note_for
from tui.core.tracing.shapes import format_shape, tensor_header
from tui.kernel.events import (Failure, Page, Result, ShortTraceback, StreamText, event_from_message,
                               expression_errors_from_reply, expressions_from_reply, pages_from_reply)
from tui.kernel.extension import TENSOR_MIME, TRACEBACK_MIME, is_cell_file


def msg(kind: str, **content) -> dict:
    return {"msg_type": kind, "content": content, "parent_header": {}}


def test_messages_become_events():
    assert event_from_message(msg("stream", name="stderr", text="x\n")) == StreamText("stderr", "x\n")
    meta = {"tensordojo": TENSOR_MIME, "shape": [2]}
    result = event_from_message(msg("execute_result", data={"text/plain": "t", "application/json": meta}))
    assert result == Result("t", meta, final=True)  # the cell's value, which ends a run
    shown = event_from_message(msg("display_data", data={"text/plain": "d"}))
    assert shown == Result("d") and not shown.final  # display() output can come mid-run
    assert event_from_message(msg("error", ename="E", evalue="v", traceback=["a"])) == Failure("E", "v", ["a"])
    assert event_from_message(msg("display_data", data={TRACEBACK_MIME: {"frames": []}})) == ShortTraceback({"frames": []})
    assert event_from_message(msg("status", execution_state="busy")) is None


def test_display_data_without_text_says_what_it_was():
    event = event_from_message(msg("display_data", data={"image/png": "..."}))
    assert isinstance(event, Result) and "image/png" in event.text and "cannot show" in event.text


def test_help_pages_come_from_the_reply_payload():
    reply = {"payload": [{"source": "page", "data": {"text/plain": "Docstring: zeros"}}, {"source": "other"}]}
    assert pages_from_reply(reply) == [Page("Docstring: zeros")]


def test_the_limiter_shows_the_budget_then_a_note_and_the_tail():
    limiter = OutputLimiter(budget=5, tail=3)
    shown = limiter.feed("".join(f"{n}\n" for n in range(4)))
    shown += limiter.feed("".join(f"{n}\n" for n in range(4, 1000)))
    assert shown == "0\n1\n2\n3\n4\n"
    note, tail = limiter.finish()
    assert note == "… 992 lines not shown (the first 5 and the last 3 are) …"
    assert tail == "997\n998\n999\n"
    assert limiter.finish() == ("", "")


def test_a_small_output_passes_untouched():
    limiter = OutputLimiter(budget=5, tail=3)
    assert limiter.feed("a\nb\n") == "a\nb\n"
    assert limiter.finish() == ("", "")


def test_a_huge_line_is_clipped_with_a_count():
    clipped = clip_line("x" * (MAX_LINE_CHARS + 10))
    assert clipped.endswith("[10 more characters]") and len(clipped) < MAX_LINE_CHARS + 40


def test_shapes_are_written_as_python_tuples():
    assert format_shape([2, 3, 4]) == "(2, 3, 4)"
    assert format_shape([5]) == "(5,)"
    assert format_shape([]) == "()"


def test_tensor_header():
    meta = {"shape": [2, 3], "dtype": "int64", "device": "cpu"}
    assert tensor_header(meta) == "shape (2, 3) · int64 · cpu"
    grad = {**meta, "dtype": "float32", "requires_grad": True, "grad_fn": "MulBackward0"}
    assert tensor_header(grad) == "shape (2, 3) · float32 · cpu · requires_grad · grad_fn=MulBackward0"


def test_notes_for_special_errors_only():
    assert "input()" in note_for("StdinNotImplementedError")
    assert "variables" in note_for("KeyboardInterrupt")
    assert note_for("ValueError") is None


def test_cell_files_are_recognised():
    assert is_cell_file("/tmp/ipykernel_1234/2849302.py")
    assert is_cell_file("<ipython-input-3-abc>")
    assert not is_cell_file("/usr/lib/python3/site-packages/torch/functional.py")


def test_an_expression_that_raised_is_none_and_its_error_is_named():
    content = {"user_expressions": {
        "d": {"status": "error", "ename": "KeyError", "evalue": "'__import__'", "traceback": []},
        "ok": {"status": "ok", "data": {"text/plain": "'{}'"}},
    }}
    assert expressions_from_reply(content) == {"d": None, "ok": "'{}'"}
    assert expression_errors_from_reply(content) == {"d": "KeyError: '__import__'"}
    assert expression_errors_from_reply({"status": "ok"}) == {}
