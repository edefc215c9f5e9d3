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

    def walk(node: Any, prefix: str, last: bool, depth: int) -> None:
        # A node's siblings hang from a │ running down to the last one, which gets └ (as `tree` draws).
        if len(lines) >= MAX_NODES:
            return
        head = prefix + (("└ " if last else "├ ") if depth else "")
        variable = getattr(node, "variable", None)
        if variable is not None:
            name = names.get(id(variable), "tensor")
            shape = tuple(variable.shape)
            has_grad = "has .grad" if variable.grad is not None else ".grad is None"
            lines.append(f"{head}{name} {shape} leaf · requires_grad · {has_grad}")
            return
        label = type(node).__name__
        repeat = " (shared, shown above)" if id(node) in seen else ""
        lines.append(f"{head}{label}{repeat}")
        if repeat:
            return
        seen.add(id(node))
        below = prefix + (("  " if last else "│ ") if depth else "")
        children = [child for child, _ in node.next_functions if child is not None]
        for number, child in enumerate(children):
            walk(child, below, number == len(children) - 1, depth + 1)

    walk(output.grad_fn, "", True, 0)
    if len(lines) >= MAX_NODES:
        lines.append("… (graph cut at 40 nodes)")
    return lines
