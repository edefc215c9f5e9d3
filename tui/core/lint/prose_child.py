"""The child process that runs prose code for ``tensordojo lint``: ``python -m tui.core.lint.prose_child``.

It reads a JSON list of lessons, each a list of code blocks, from stdin; imports torch and
NumPy once; then forks one process per lesson, so each lesson starts from a fresh namespace (what
the REPL holds after a restart: ``torch``, ``nn``, ``F``, ``np``) without paying for the import
again. Blocks run in order in one namespace, statement by statement. It prints one JSON object
per lesson: the findings, each with its block and line, or with the prose claim it is about.

A block meant to fail holds a comment line naming the error (``# Error: RuntimeError`` or
``# RuntimeError: ...``); it must raise that error at its last statement. An expression with a
comment that starts with a value (``x.shape  # torch.Size([2, 3])``, ``# (2, 3)``,
``# torch.int64``, ``# 26``, ``# True``, ``# tensor([1, 2])``) must have that value. A prose
sentence's claim (:mod:`tui.core.lint.claim_checks`) is checked once the blocks before it have
run: its subject is evaluated and compared with what the sentence states.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import sys
import tokenize

PRELUDE = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np\n"
"""What the REPL's namespace holds before the learner runs anything."""

ERROR_MARK = re.compile(r"^\s*#\s*(?:Error:\s*)?([A-Z][A-Za-z]*(?:Error|Exception|Warning))\b")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:e-?\d+)?(?=$|[\s:,;)])")
_WORD = re.compile(r"^(True|False|None)(?=$|[\s:,;])")
_DTYPE = re.compile(r"^torch\.(?:float|int|uint|bool|complex|bfloat|double|long|half)\w*")


def expected_error(code: str) -> str:
    """The error a block is marked to raise, or ``""``."""
    for line in code.splitlines():
        match = ERROR_MARK.match(line)
        if match:
            return match.group(1)
    return ""


def _balanced(text: str) -> str:
    """``text`` up to the bracket that closes its first one (``tensor([1, 2]) more`` -> ``tensor([1, 2])``)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return text[:index + 1]
    return ""


def stated_value(comment: str) -> str:
    """The value a comment states at its start, or ``""`` when it states none."""
    text = comment.lstrip("#").strip()
    for prefix in ("torch.Size(", "tensor(", "array("):
        if text.startswith(prefix):
            found = _balanced(text)
            return "" if "..." in found else found
    if re.match(r"^\(\s*\d+\s*(,\s*\d+\s*)*,?\s*\)", text):
        return _balanced(text)
    for pattern in (_DTYPE, _NUMBER, _WORD):
        match = pattern.match(text)
        if match:
            return match.group(0)
    return ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def value_disagrees(value: object, stated: str) -> bool:
    """Whether ``value`` differs from what the comment states (``stated_value``'s text)."""
    import torch

    if stated.startswith(("tensor(", "array(")):
        shown = repr(value)
        return not _squash(shown).startswith(_squash(stated)[:-1])
    if stated.startswith("torch.Size(") or stated.startswith("("):
        if not isinstance(value, (tuple, torch.Size)):
            return True
        return tuple(value) != tuple(ast.literal_eval(stated.removeprefix("torch.Size(").removesuffix(")")
                                                      if stated.startswith("torch.") else stated))
    if stated.startswith("torch."):
        return str(value) != stated
    if stated in ("True", "False", "None"):
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        return str(value) != stated
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False  # a number beside something that is not one: a remark, not a claim
    number = float(stated)
    return abs(value - number) > max(1e-6, 1e-3 * abs(number))


def _comments(code: str) -> dict[int, str]:
    found = {}
    with contextlib.suppress(tokenize.TokenError, IndentationError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string
    return found


def run_block(code: str, namespace: dict) -> list[dict]:
    """Run one block in ``namespace``; what went wrong, as findings (empty when nothing did)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return [{"line": error.lineno or 0, "message": f"is not valid Python: {error.msg}"}]
    comments, marked, findings = _comments(code), expected_error(code), []
    for number, statement in enumerate(tree.body):
        last = number == len(tree.body) - 1
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                if isinstance(statement, ast.Expr):
                    value = eval(compile(ast.Expression(statement.value), "<prose>", "eval"), namespace)
                    stated = stated_value(comments.get(statement.end_lineno or 0, ""))
                    if stated and value_disagrees(value, stated):
                        shown = str(tuple(value)) if type(value).__name__ == "Size" and stated.startswith("(") else repr(value)
                        findings.append({"line": statement.lineno, "message": f"says {stated} but the code gives "
                                                                              f"{' '.join(shown.split())[:80]}"})
                else:
                    exec(compile(ast.Module([statement], []), "<prose>", "exec"), namespace)
        except Exception as error:  # the block's own error is what this check reports
            names = [kind.__name__ for kind in type(error).__mro__]
            if marked and marked in names and last:
                return findings
            first = str(error).splitlines()[0] if str(error) else ""
            where = "" if last or not marked else f" before its last statement (marked {marked})"
            return findings + [{"line": statement.lineno, "message": f"raised {type(error).__name__}{where}: {first}"[:200]}]
    if marked:
        findings.append({"line": 0, "message": f"is marked to fail with {marked}, but it ran without error"})
    return findings


def run_lesson(blocks: list[str], claims: list[dict] | None = None) -> tuple[list[dict], int]:
    """Run a lesson's blocks in order in one fresh namespace, checking prose claims at their places.

    Returns the findings (each with its block number, or its claim number) and how many claims
    were checked.
    """
    from tui.core.lint.claim_checks import ClaimChecker

    namespace: dict = {"__name__": "__main__"}
    exec(PRELUDE, namespace)
    findings, checker = [], ClaimChecker(claims or [])
    for index in range(len(blocks) + 1):
        checker.check_due(index, namespace)
        if index < len(blocks):
            findings += [{"block": index, **f} for f in run_block(blocks[index], namespace)]
    return findings + checker.findings, checker.checked


def _forked(blocks: list[str], claims: list[dict], timeout: float) -> dict:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the lesson's own process
        os.close(read)
        try:
            findings, checked = run_lesson(blocks, claims)
            payload = json.dumps({"findings": findings, "claims_checked": checked})
        except BaseException as error:  # noqa: BLE001 - report anything, never hang the parent
            payload = json.dumps({"findings": [{"block": -1, "line": 0, "message": f"the runner failed: {error!r}"}]})
        with os.fdopen(write, "w") as out:
            out.write(payload)
        os._exit(0)
    os.close(write)
    import select

    chunks, reader = [], os.fdopen(read)
    ready, _, _ = select.select([reader], [], [], timeout)
    if ready:
        chunks.append(reader.read())
    else:
        os.kill(pid, 9)
    reader.close()
    os.waitpid(pid, 0)
    if not chunks:
        return {"findings": [{"block": -1, "line": 0, "message": f"did not finish within {timeout:.0f} s"}]}
    if not chunks[0]:
        return {"findings": [{"block": -1, "line": 0, "message": "ended its process before it finished"}]}
    return json.loads(chunks[0])


def main() -> None:
    """Read the lessons' blocks from stdin, print each lesson's findings as one JSON line."""
    job = json.load(sys.stdin)
    import numpy  # noqa: F401 - loaded once here, before the forks
    import torch

    torch.set_num_threads(1)
    for lesson in job["lessons"]:
        answer = _forked(lesson["blocks"], lesson.get("claims", []), job.get("timeout", 60))
        print(json.dumps({"lesson": lesson["id"], **answer}), flush=True)


if __name__ == "__main__":
    main()
