"""Naming an op's operands by the learner's own expressions: ``pred`` and ``y`` rather than ``a``
and ``b``, read from the source line the op ran on."""

from __future__ import annotations

import ast
from functools import lru_cache

_BINARY = {"add": ast.Add, "sub": ast.Sub, "rsub": ast.Sub, "mul": ast.Mult, "div": ast.Div, "true_divide": ast.Div,
           "floor_divide": ast.FloorDiv, "remainder": ast.Mod, "pow": ast.Pow, "matmul": ast.MatMult}
_MAX_NAME = 24


def _parse(source: str) -> ast.AST | None:
    text = source.strip().rstrip(":")
    for candidate in (text, text.split(":", 1)[-1], text.split("=", 1)[-1]):
        try:
            return ast.parse(candidate.strip())
        except SyntaxError:
            continue
    return None


@lru_cache(maxsize=512)
def operand_names(source: str, op: str) -> tuple[str, str] | None:
    """The two operands' expressions when the line holds exactly one matching binary op or call."""
    tree = _parse(source)
    if tree is None:
        return None
    text = ast.unparse(tree)
    base = op.rstrip("_")
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and base in _BINARY and isinstance(node.op, _BINARY[base]):
            found.append((ast.unparse(node.left), ast.unparse(node.right)))
        elif isinstance(node, ast.AugAssign) and base.rstrip("_") in _BINARY and isinstance(node.op, _BINARY[base]):
            found.append((ast.unparse(node.target), ast.unparse(node.value)))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == base:
                found.append((ast.unparse(node.args[0]), ast.unparse(node.args[1])))
    if len(found) != 1 or not text:
        return None
    left, right = found[0]
    if base == "rsub":
        left, right = right, left
    if len(left) > _MAX_NAME or len(right) > _MAX_NAME or left == right:
        return None
    return left, right
