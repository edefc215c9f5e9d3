"""Normalising typed quiz answers so that equivalent spellings compare equal.

A learner may write a shape as ``(3, 4)``, ``3,4``, ``[3, 4]``, ``3x4`` or
``torch.Size([3, 4])``; a dtype as ``torch.float32``, ``float32`` or ``torch.float``.
Each *answer form* turns raw text into a canonical value, or raises
:class:`UnreadableAnswer` with a message that says how to write it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable


class UnreadableAnswer(ValueError):
    """The learner's text cannot be read in the expected form."""


_SIZE_WRAPPER = re.compile(r"^(?:torch\.)?size\s*\((.*)\)$", re.IGNORECASE | re.DOTALL)


def _strip_decoration(text: str) -> str:
    """Remove surrounding whitespace, backticks and quotes."""
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "`'\"":
        text = text[1:-1].strip()
    return text


def normalise_shape(text: str) -> tuple[int, ...]:
    """Read a tensor shape written in any common way.

    Args:
        text: e.g. ``"(3, 4)"``, ``"3,4"``, ``"3 x 4"``, ``"torch.Size([3, 4])"``, ``"(5,)"``, ``"()"``.

    Returns:
        The shape as a tuple of non-negative ints.

    Raises:
        UnreadableAnswer: when the text is not a shape.
    """
    body = _strip_decoration(text)
    wrapped = _SIZE_WRAPPER.match(body)
    if wrapped:
        body = wrapped.group(1).strip()
    while body and body[0] in "([" and body[-1] in ")]":
        body = body[1:-1].strip()
    if body == "":
        return ()
    parts = re.split(r"\s*[,x×*]\s*|\s+", body.lower())
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing comma, as in "(5,)"
    if not all(p.isdigit() for p in parts):
        raise UnreadableAnswer(
            f"'{text.strip()}' is not a shape; write the sizes in order, like (3, 4) or (5,)"
        )
    return tuple(int(p) for p in parts)


_DTYPE_ALIASES = {
    "float": "float32", "float32": "float32", "half": "float16", "float16": "float16",
    "bfloat16": "bfloat16", "double": "float64", "float64": "float64",
    "int": "int32", "int32": "int32", "long": "int64", "int64": "int64",
    "short": "int16", "int16": "int16", "int8": "int8", "uint8": "uint8",
    "bool": "bool", "complex64": "complex64", "cfloat": "complex64",
    "complex128": "complex128", "cdouble": "complex128",
}


def normalise_dtype(text: str) -> str:
    """Read a dtype name, with or without ``torch.``, aliases resolved (``long`` is ``int64``).

    Raises:
        UnreadableAnswer: when the text names no dtype.
    """
    name = _strip_decoration(text).lower()
    name = re.sub(r"^(torch|np|numpy)\.", "", name)
    if name not in _DTYPE_ALIASES:
        raise UnreadableAnswer(
            f"'{text.strip()}' is not a dtype; write one like torch.float32 or int64"
        )
    return _DTYPE_ALIASES[name]


def normalise_number(text: str) -> float:
    """Read a number, allowing ``1_000``, ``1,000``, ``1e-3`` and a wrapping ``tensor(...)``.

    Raises:
        UnreadableAnswer: when the text is not a number.
    """
    body = _strip_decoration(text)
    wrapped = re.match(r"^(?:torch\.)?tensor\((.*)\)$", body)
    if wrapped:
        body = wrapped.group(1).strip()
    body = body.strip("[]").replace("_", "")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d*)?", body):
        body = body.replace(",", "")
    try:
        value = float(body)
    except ValueError:
        raise UnreadableAnswer(f"'{text.strip()}' is not a number; write it like 12 or 0.5") from None
    if math.isnan(value):
        raise UnreadableAnswer("NaN is never the answer here; write a number like 12 or 0.5")
    return value


def normalise_text(text: str) -> str:
    """Fold case and whitespace, drop quotes, backticks and a trailing full stop."""
    body = _strip_decoration(text).rstrip(".").strip()
    return " ".join(body.casefold().split())


def normalise_code(text: str) -> str:
    """Drop all whitespace and quotes' kind, so ``x.view(5,3)`` equals ``x.view(5, 3)``."""
    body = _strip_decoration(text).replace('"', "'")
    return re.sub(r"\s+", "", body)


@dataclass(frozen=True)
class AnswerForm:
    """How one kind of typed answer is read and compared.

    Attributes:
        name: the form's name, used by lesson authors (``form="shape"``).
        normalise: turns text into a comparable value; raises :class:`UnreadableAnswer`.
        example: a sample answer shown as a placeholder.
        equal: compares two normalised values.
    """

    name: str
    normalise: Callable[[str], object]
    example: str
    equal: Callable[[object, object], bool] = lambda a, b: a == b


def _close(a: object, b: object) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)  # type: ignore[arg-type]


ANSWER_FORMS: dict[str, AnswerForm] = {
    form.name: form
    for form in (
        AnswerForm("shape", normalise_shape, "(3, 4)"),
        AnswerForm("dtype", normalise_dtype, "torch.float32"),
        AnswerForm("number", normalise_number, "12", _close),
        AnswerForm("text", normalise_text, "your answer"),
        AnswerForm("code", normalise_code, "x.view(5, 3)"),
    )
}
