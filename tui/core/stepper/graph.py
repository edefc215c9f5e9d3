"""The autograd graph behind an output, as indented text lines (a tree of grad_fn nodes)."""

from __future__ import annotations

from typing import Any

MAX_NODES = 40


def graph_lines(output: Any, names: dict[int, str]) -> list[str]:
    """Walk ``output.grad_fn`` and its inputs; leaves show their name, shape and gradient state.

    Args:
        output: the tensor whose graph to show (a loss, say).
        names: ``id(tensor)`` to a name, for the leaves.
    """
    if output is None:
        return ["(no output yet: run forward)"]
    if output.grad_fn is None:
        return [f"{names.get(id(output), 'output')} is a leaf: no graph behind it"]
    lines: list[str] = []
    seen: set[int] = set()

    def walk(node: Any, depth: int) -> None:
        if len(lines) >= MAX_NODES:
            return
        indent = "  " * depth + ("└ " if depth else "")
        variable = getattr(node, "variable", None)
        if variable is not None:
            name = names.get(id(variable), "tensor")
            shape = tuple(variable.shape)
            has_grad = "has .grad" if variable.grad is not None else ".grad is None"
            lines.append(f"{indent}{name} {shape} leaf · requires_grad · {has_grad}")
            return
        label = type(node).__name__
        repeat = " (shared, shown above)" if id(node) in seen else ""
        lines.append(f"{indent}{label}{repeat}")
        if repeat:
            return
        seen.add(id(node))
        for child, _ in node.next_functions:
            if child is not None:
                walk(child, depth + 1)

    walk(output.grad_fn, 0)
    if len(lines) >= MAX_NODES:
        lines.append("… (graph cut at 40 nodes)")
    return lines
