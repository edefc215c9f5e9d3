"""The broadcasting rule, and the diagram that shows it: shapes right-aligned, stretched sizes marked.

``broadcast((5, 1, 4), (3, 1))`` gives ``(5, 3, 4)``; ``broadcast((4, 3), (4,))`` fails at the last
dimension, 3 against 4. Pure Python: used by the inspector, the error explainer and the trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.tracing.shapes import format_shape


@dataclass(frozen=True)
class Broadcast:
    """The outcome of broadcasting two shapes.

    Attributes:
        a, b: the two shapes.
        result: the broadcast shape, or None when the rule fails.
        failing_dim: the dimension (counted from the left of the result, negative from the right
            is ``failing_dim - ndim``) where neither size is 1 and they differ; when several do,
            the rightmost, the one PyTorch's own message names (it compares from the right).
        stretched_a, stretched_b: result dimensions (from the left) where that operand is stretched,
            including the 1s it was padded with.
    """

    a: tuple[int, ...]
    b: tuple[int, ...]
    result: tuple[int, ...] | None
    failing_dim: int | None
    stretched_a: frozenset[int]
    stretched_b: frozenset[int]

    @property
    def ok(self) -> bool:
        """Whether the shapes broadcast."""
        return self.result is not None


def broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> Broadcast:
    """Apply the rule: right-align, pad with 1s, each pair equal or one of them 1."""
    ndim = max(len(a), len(b))
    pa = (1,) * (ndim - len(a)) + tuple(a)
    pb = (1,) * (ndim - len(b)) + tuple(b)
    result, stretched_a, stretched_b = [], set(), set()
    failing = None
    for dim, (x, y) in enumerate(zip(pa, pb)):
        if x == y:
            result.append(x)
        elif x == 1:
            result.append(y)
            stretched_a.add(dim)
        elif y == 1:
            result.append(x)
            stretched_b.add(dim)
        else:
            failing = dim  # the rightmost one wins: PyTorch checks from the last dimension
            result.append(max(x, y))
    return Broadcast(tuple(a), tuple(b), None if failing is not None else tuple(result), failing,
                     frozenset(stretched_a), frozenset(stretched_b))


def diagram(a: tuple[int, ...], b: tuple[int, ...], names: tuple[str, str] = ("a", "b")) -> list[str]:
    """The broadcast as text lines: the shapes right-aligned, ``^`` under stretched sizes, the result.

    Example for ``(5, 1, 4)`` and ``(3, 1)``::

        a       (5, 1, 4)
        b       (   3, 1)
        stretch     ^  ^     a: dim 1    b: dims 0, 2
        result  (5, 3, 4)
    """
    outcome = broadcast(a, b)
    ndim = max(len(a), len(b), 1)
    width = max([len(str(x)) for x in (*a, *b, *(outcome.result or ()))] + [1])

    def row(shape: tuple[int, ...]) -> str:
        pad = ndim - len(shape)
        cells = [" " * width + "  " for _ in range(pad)]
        cells += [str(x).rjust(width) + (", " if i < len(shape) - 1 else "") for i, x in enumerate(shape)]
        return "(" + "".join(cells) + ")"

    def marks(dims: frozenset[int], mark: str = "^") -> str:
        return " " + "  ".join(mark.rjust(width) if d in dims else " " * width for d in range(ndim))

    label = max(len(names[0]), len(names[1]), len("result"))
    lines = [f"{names[0]:<{label}}  {row(a)}", f"{names[1]:<{label}}  {row(b)}"]
    if outcome.ok:
        if outcome.stretched_a:
            lines.append(f"{'':<{label}}  {marks(outcome.stretched_a)}  {names[0]} stretched")
        if outcome.stretched_b:
            lines.append(f"{'':<{label}}  {marks(outcome.stretched_b)}  {names[1]} stretched")
        lines.append(f"{'result':<{label}}  {row(outcome.result or ())}")
    else:
        dim = outcome.failing_dim or 0
        lines.append(f"{'':<{label}}  {marks(frozenset({dim}), 'x')}  {_failure(outcome)}")
    return lines


def _failure(outcome: Broadcast) -> str:
    ndim = max(len(outcome.a), len(outcome.b))
    dim = outcome.failing_dim or 0
    x = ((1,) * (ndim - len(outcome.a)) + outcome.a)[dim]
    y = ((1,) * (ndim - len(outcome.b)) + outcome.b)[dim]
    return f"dim {dim}: {x} vs {y}, neither is 1"


def explain_failure(a: tuple[int, ...], b: tuple[int, ...]) -> str:
    """One sentence on why two shapes do not broadcast (empty when they do)."""
    outcome = broadcast(a, b)
    if outcome.ok:
        return ""
    ndim = max(len(a), len(b))
    dim = outcome.failing_dim or 0
    return (f"{format_shape(a)} and {format_shape(b)} do not broadcast: right-aligned, dimension {dim} "
            f"(dim {dim - ndim} from the right) is {_failure(outcome).split(': ', 1)[1]}.")
