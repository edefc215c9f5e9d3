"""Lint: numbers that prose sentences state about the lesson's code, checked against the code.

A sentence such as "`y` has shape `(2, 3)`", "`out.shape` is `torch.Size([4, 10])`", "`w` is
float64", "`x.dtype` is `torch.int64`" or "`model` has 30 parameters" states a fact about
something the lesson's code defines. :func:`prose_claims` finds these claims in the prose
sentences (code blocks, headings and tables are not sentences). The prose runner
(:mod:`tui.core.lint.prose_child`) evaluates each claim's subject in the namespace the lesson's
code blocks leave at the sentence's place (after the blocks above it, or after its whole step
when the step defines the name further down) and compares (:mod:`tui.core.lint.claim_checks`).

Precision first: a subject that is not a Python expression, names nothing the code defines, or
would change what it reads (an in-place method, ``backward()``, ``step()``) is not checked; a
value is compared only where its kind fits (a shape with something that has one); and a claim is
reported only when it is wrong both at its place and at its step's end.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from tui.core.course.source import SourceLocation
from tui.core.lesson import Lesson
from tui.core.lint.prose_child import stated_value
from tui.core.steps import Prose

_DTYPE_NAME = r"(?:torch\.)?(?:float(?:16|32|64)|bfloat16|u?int(?:8|16|32|64)|bool|complex(?:64|128)|double|long|half)"
_SUBJECT = r"`(?P<subject>[^`\n]+)`"
_VALUE = (r"(?:`(?P<code>[^`\n]+)`"
          rf"|(?P<dtype>{_DTYPE_NAME})\b(?!\.)"
          r"|\**(?P<number>-?\d+(?:\.\d+)?)\**(?=[.,;:)]|\s*$))")
_IS = r"(?:is|are|gives|returns|becomes|stays|is still|evaluates to)"
_SHAPE_WORDS = r"(?:\s*,)?\s+(?:has|with|of|is of|keeps)\s+(?:the\s+)?shape\s+"
_DTYPE_WORDS = r"(?:\s*,)?\s+(?:has|with|of|is of|keeps)\s+(?:the\s+)?dtype\s+"
_COUNT_ENDS = r"(?=\s*[.,;:)]|\s*$|\s+in (?:all|total)\b|\s+and\b)"
"""What may follow a count for it to be the whole count ("30 parameters per layer" is not)."""
_PATTERNS = [
    ("shape", re.compile(rf"{_SUBJECT}{_SHAPE_WORDS}`(?P<code>[^`\n]+)`")),
    ("shape", re.compile(rf"\bshape of {_SUBJECT} {_IS} `(?P<code>[^`\n]+)`", re.IGNORECASE)),
    ("shape", re.compile(rf"{_SUBJECT}['\u2019]s shape {_IS} `(?P<code>[^`\n]+)`")),
    ("shape", re.compile(rf"{_SUBJECT}(?::|\s+(?:is|gives|makes|returns))\s+(?:a|an|the)\s+"
                         r"(?P<size>\d+(?:\s*x\s*\d+)+)\s+(?:tensor|matrix|identity|array|grid|batch)s?\b")),
    ("dtype", re.compile(rf"{_SUBJECT}{_DTYPE_WORDS}{_VALUE}")),
    ("dtype", re.compile(rf"\bdtype of {_SUBJECT} {_IS} {_VALUE}", re.IGNORECASE)),
    ("dtype", re.compile(rf"{_SUBJECT}['\u2019]s dtype {_IS} {_VALUE}")),
    ("parameters", re.compile(rf"{_SUBJECT}\s+(?:has|holds|contains)\s+\**(?P<number>\d[\d,]*)\**\s+"
                              rf"(?:learnable\s+|trainable\s+)?parameters{_COUNT_ENDS}")),
    ("elements", re.compile(rf"{_SUBJECT}\s+(?:has|holds|contains)\s+\**(?P<number>\d[\d,]*)\**\s+"
                            rf"(?:elements|numbers){_COUNT_ENDS}")),
    ("value", re.compile(rf"{_SUBJECT}\s+{_IS}\s+(?:(?:a|an)\s+)?{_VALUE}")),
    ("value", re.compile(rf"{_SUBJECT}\s+is\s+`[^`\n]+`,?\s+(?:giving|which gives)\s+`(?P<code>[^`\n]+)`")),
    ("same", re.compile(rf"{_SUBJECT}\s+(?:is|equals|is the same as)\s+`(?P<other>[^`\n]+)`(?=[\s.,;:])")),
    ("raises", re.compile(rf"{_SUBJECT}\s+(?:raises|fails with|stops with)\s+(?:an?\s+)?`?(?P<error>[A-Z]\w*(?:Error|Exception))\b")),
]
_UNSAFE_CALLS = {"backward", "step", "zero_grad", "print", "input", "exec", "eval", "open", "exit", "quit",
                 "setattr", "delattr", "__import__", "train", "register_buffer", "apply"}
"""Calls a checked subject may not make: they change state, or print (besides any name ending in ``_``)."""


@dataclass(frozen=True)
class Claim:
    """A fact a prose sentence states about a value the lesson's code can compute.

    Attributes:
        step: the prose step the sentence is in.
        subject: the Python expression the sentence is about (``y``, ``out.shape``).
        kind: what is claimed: ``shape``, ``dtype``, ``value``, ``parameters``, ``elements``,
            ``raises`` (an error's name) or ``same`` (equal to another expression).
        stated: the value the sentence states, as written (``(2, 3)``, ``torch.int64``, ``30``,
            ``IndexError``, ``h[-1]``).
        sentence: the sentence, for the report.
        where: the file line the subject is on.
        after: how many of the lesson's code blocks run before the claim is checked.
        fallback: how many run before the second try, when the step defines the subject further down.
    """

    step: Prose
    subject: str
    kind: str
    stated: str
    sentence: str
    where: SourceLocation
    after: int
    fallback: int

    def to_job(self) -> dict[str, object]:
        """What the prose runner needs to check the claim."""
        return {"subject": self.subject, "kind": self.kind, "stated": self.stated,
                "after": self.after, "fallback": self.fallback}


def checkable_subject(subject: str) -> bool:
    """Whether a code span reads as an expression worth evaluating: Python, naming something, safe to run."""
    try:
        tree = ast.parse(subject.strip(), mode="eval")
    except SyntaxError:
        return False
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    if not names or any(isinstance(node, (ast.NamedExpr, ast.Lambda, ast.Await)) for node in ast.walk(tree)):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _UNSAFE_CALLS or (name.endswith("_") and not name.endswith("__")):
                return False
    return True


def _stated(kind: str, match: re.Match[str]) -> tuple[str, str]:
    """The claim's kind and value from a match, or ``("", "")`` when the value is no literal."""
    groups = match.groupdict()
    if groups.get("error"):
        return "raises", groups["error"]
    if groups.get("other"):
        other = groups["other"].strip()
        return ("same", other) if checkable_subject(other) and stated_value(other) != other else ("", "")
    if groups.get("number"):
        return kind, groups["number"].replace(",", "")
    if groups.get("size"):  # "a 2 x 3 tensor"
        return "shape", "(" + ", ".join(re.findall(r"\d+", groups["size"])) + ")"
    if groups.get("dtype"):
        return "dtype", groups["dtype"]
    code = (groups.get("code") or "").strip()
    if re.fullmatch(_DTYPE_NAME, code):
        return "dtype", code
    if kind == "dtype" or stated_value(code) != code:
        return "", ""
    if kind == "shape" and not code.startswith(("(", "torch.Size(")):
        return "", ""
    return kind, code


def _sentences(text: str) -> list[tuple[int, str]]:
    """A paragraph's sentences with their offsets; a full stop inside a code span does not end one."""
    found, start, in_code = [], 0, False
    for index, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif not in_code and char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
            found.append((start, text[start:index + 1]))
            start = index + 2
    if text[start:].strip():
        found.append((start, text[start:]))
    return found


def _paragraphs(markdown: str) -> list[tuple[str, list[int]]]:
    """The step's running text as paragraphs, each with the Markdown line of every character."""
    paragraphs: list[tuple[str, list[int]]] = []
    text, lines, fenced = "", [], False

    def close() -> None:
        nonlocal text, lines
        if text.strip():
            paragraphs.append((text, lines))
        text, lines = "", []

    for number, line in enumerate(markdown.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
            close()
            continue
        if fenced or not stripped or stripped.startswith(("#", "|")):
            close()
            continue
        if re.match(r"^(- |\* |\d+\. )", stripped):
            close()
        piece = (" " if text else "") + stripped
        text += piece
        lines += [number] * len(piece)
    close()
    return paragraphs


def step_claims(step: Prose, blocks_before: int, block_starts: list[int]) -> list[Claim]:
    """The claims of one prose step; ``block_starts`` are its code blocks' first Markdown lines."""
    claims, fallback = [], blocks_before + len(block_starts)
    for paragraph, lines in _paragraphs(step.markdown):
        for offset, sentence in _sentences(paragraph):
            found: dict[str, tuple[int, str, str]] = {}
            for kind, pattern in _PATTERNS:  # the first pattern that reads a subject's claim wins
                for match in pattern.finditer(sentence):
                    subject = match.group("subject").strip()
                    claimed, stated = _stated(kind, match)
                    if claimed and subject not in found and checkable_subject(subject):
                        found[subject] = (match.start("subject"), claimed, stated)
            for subject, (start, claimed, stated) in sorted(found.items(), key=lambda item: item[1][0]):
                line = lines[offset + start]
                after = blocks_before + sum(first < line for first in block_starts)
                claims.append(Claim(step, subject, claimed, stated, " ".join(sentence.split()),
                                    SourceLocation(step.where.file, step.where.line + line), after, fallback))
    return claims


def prose_claims(lesson: Lesson) -> list[Claim]:
    """Every claim the lesson's prose sentences make, in order."""
    claims, blocks = [], 0
    for step in lesson.steps:
        if not isinstance(step, Prose):
            continue
        starts = [line + 1 for line in _block_fences(step.markdown)]
        claims += step_claims(step, blocks, starts)
        blocks += len(starts)
    return claims


def _block_fences(markdown: str) -> list[int]:
    """Opening fences of the Python blocks that :func:`tui.core.lint.prose.prose_blocks` runs (closed ones)."""
    opened, found = None, []
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("```") and opened is None and line[3:].strip() in ("python", "py"):
            opened = number
        elif line.startswith("```") and opened is not None:
            found.append(opened)
            opened = None
    return found
