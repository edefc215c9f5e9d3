"""Checking prose sentences' claims against the code, inside the prose runner's child process.

:mod:`tui.core.lint.prose_claims` finds the claims; here each is evaluated in the namespace the
lesson's code blocks leave at its place (:class:`ClaimChecker` schedules them as the blocks run)
and compared with what its sentence states (:func:`claim_mismatch`). Only the child process,
which has torch loaded, imports torch through these functions.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

from tui.core.lint.prose_child import value_disagrees

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _shape_of(value: object) -> tuple | None:
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, tuple):
        return tuple(shape)
    if isinstance(value, (tuple, list)) and all(isinstance(n, int) for n in value):
        return tuple(value)
    return None


def _dtype_mismatch(value: object, stated: str) -> tuple[bool | None, str]:
    import numpy as np
    import torch

    name = stated.removeprefix("torch.")
    got = value.dtype if isinstance(value, (torch.Tensor, np.ndarray, np.generic)) else value
    if isinstance(got, torch.dtype):
        expected = getattr(torch, name, None)
        return (None, "") if not isinstance(expected, torch.dtype) else (got != expected, str(got))
    if isinstance(got, np.dtype):
        try:
            return got != np.dtype(name), str(got)
        except TypeError:
            return None, ""
    return None, ""


def claim_mismatch(value: object, kind: str, stated: str) -> tuple[bool | None, str]:
    """Whether ``value`` disagrees with a claim (``None``: the kinds do not fit, not checked), and what it is."""
    if kind == "dtype":
        return _dtype_mismatch(value, stated)
    if kind in ("parameters", "elements"):
        if kind == "parameters" and callable(getattr(value, "parameters", None)):
            got = sum(p.numel() for p in value.parameters())
        elif kind == "elements" and callable(getattr(value, "numel", None)):
            got = value.numel()
        else:
            return None, ""
        return got != int(stated), f"{got:,}"
    if kind == "shape" or stated.startswith(("(", "torch.Size(")):
        shape = _shape_of(value)
        if shape is None:
            return None, ""
        text = stated.removeprefix("torch.Size(").removesuffix(")") if stated.startswith("torch.Size(") else stated
        shown = f"torch.Size({list(shape)})" if stated.startswith("torch.Size(") else str(shape)
        return shape != tuple(ast.literal_eval(text)), shown
    if _NUMBER.fullmatch(stated):
        number = value.item() if _one_number(value) else value
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return None, ""
    return value_disagrees(value, stated), " ".join(repr(value).split())[:80]


def _one_number(value: object) -> bool:
    """Whether ``value`` is a tensor or NumPy value holding exactly one number."""
    size = getattr(value, "size", None)
    count = value.numel() if callable(getattr(value, "numel", None)) else size if isinstance(size, int) else None
    return count == 1 and callable(getattr(value, "item", None))


def _evaluate(expression: str, namespace: dict) -> tuple[str, object]:
    """``("value", v)``, ``("unnamed", None)`` when it uses a name not defined here, or ``("error", exc)``."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return "value", eval(compile(expression, "<prose sentence>", "eval"), namespace)
    except NameError:
        return "unnamed", None
    except Exception as error:  # noqa: BLE001 - the claim is about what the subject gives, an error included
        return "error", error


def _same(left: object, right: object) -> bool | None:
    """Whether two values agree (tensors: same shape, close values); ``None`` for kinds not compared."""
    import numpy as np
    import torch

    left, right = (torch.as_tensor(v) if isinstance(v, np.ndarray) else v for v in (left, right))
    if isinstance(left, torch.Tensor) and isinstance(right, torch.Tensor):
        return left.shape == right.shape and bool(torch.allclose(left.double(), right.double()))
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers):
        return abs(left - right) <= 1e-6 * max(1.0, abs(right))
    return None


def check_claim(claim: dict, namespace: dict) -> tuple[str, str]:
    """Evaluate one claim here: ``unnamed``, ``skipped``, ``ok`` or ``wrong``, and what the code gives."""
    outcome, value = _evaluate(claim["subject"], namespace)
    if outcome == "unnamed":
        return "unnamed", ""
    if outcome == "error":
        names = [kind.__name__ for kind in type(value).__mro__]
        if claim["kind"] == "raises":
            return ("ok" if claim["stated"] in names else "wrong"), f"raises {type(value).__name__}"
        if isinstance(value, (TypeError, AttributeError)):
            return "skipped", ""  # prose that only looks like code, such as ``(3, 1) @ (1, 5)``
        first = str(value).splitlines()[0] if str(value) else ""
        return "wrong", f"raises {type(value).__name__}: {first}"[:120]
    shown = " ".join(repr(value).split())[:60]
    if claim["kind"] == "raises":
        return "wrong", f"runs without error and gives {shown}"
    if claim["kind"] == "same":
        other_outcome, other = _evaluate(claim["stated"], namespace)
        agree = _same(value, other) if other_outcome == "value" else None
        if agree is None:
            return ("unnamed" if other_outcome == "unnamed" else "skipped"), ""
        return ("ok" if agree else "wrong"), f"is {shown} while `{claim['stated']}` is {' '.join(repr(other).split())[:60]}"
    wrong, shown = claim_mismatch(value, claim["kind"], claim["stated"])
    verb = {"shape": "has shape", "parameters": "has", "elements": "has"}.get(claim["kind"], "is")
    return ("skipped" if wrong is None else "wrong" if wrong else "ok"), f"{verb} {shown}"


class ClaimChecker:
    """Checks a lesson's claims while its blocks run, in the prose runner's child process.

    Each claim is checked at its place (after the blocks above its sentence) and, unless it holds
    there, again at its step's end: a sentence may describe the block below it. It is reported
    only when it is wrong where it could be evaluated, never on a name that is merely not defined
    yet.
    """

    def __init__(self, claims: list[dict]) -> None:
        self.claims = claims
        self.first: dict[int, tuple[str, str]] = {}
        self.findings: list[dict] = []
        self.checked = 0

    def check_due(self, blocks_run: int, namespace: dict) -> None:
        """Check the claims due once ``blocks_run`` blocks have run."""
        for number, claim in enumerate(self.claims):
            if claim["after"] == blocks_run:
                outcome = check_claim(claim, namespace)
                if outcome[0] == "ok" or claim["fallback"] <= blocks_run:
                    self._settle(number, outcome)
                else:
                    self.first[number] = outcome
            elif number in self.first and claim["fallback"] == blocks_run:
                outcome = check_claim(claim, namespace)
                first = self.first.pop(number)
                self._settle(number, outcome if outcome[0] in ("ok", "wrong") else first)

    def _settle(self, number: int, outcome: tuple[str, str]) -> None:
        self.checked += outcome[0] in ("ok", "wrong")
        if outcome[0] == "wrong":
            self.findings.append({"claim": number, "message": outcome[1]})
