"""The course's toy data: 3 features, 2 binary targets, just barely fittable by a 3-4-2 network.

``torch.manual_seed(seed)`` then ``X = torch.randn(n, 3)``; ``a`` is ``x0 + x1`` where ``x2 > 0``
and ``x0 - x1`` where ``x2 < 0``; the targets say whether ``|a|`` and the length of ``x`` pass
1.33. Lessons 8 and 10, the ``fit`` exercise and the ``toy`` training dataset all use it. A
private generator gives the same numbers as the global seed without disturbing it.
"""

from __future__ import annotations

from typing import Any

THRESHOLD = 1.33


def toy_targets(x: Any) -> Any:
    """The two 0/1 targets for inputs of shape (N, 3)."""
    import torch

    a = (x[:, 0] + x[:, 1]) * (x[:, 2] > 0) + (x[:, 0] - x[:, 1]) * (x[:, 2] < 0)
    return (torch.stack([a, x.norm(dim=1)], dim=1).abs() > THRESHOLD).float()


def toy_data(n: int = 20, seed: int = 0) -> tuple[Any, Any]:
    """``(X, Y)``: X of shape (n, 3), Y of shape (n, 2), float32."""
    import torch

    x = torch.randn(n, 3, generator=torch.Generator().manual_seed(seed))
    return x, toy_targets(x)
