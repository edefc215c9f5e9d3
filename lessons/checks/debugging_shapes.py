"""Hidden tests of the ``debugging-shapes`` lesson's exercises."""

from __future__ import annotations

from tui.core.grading.cases import Draw, Submission, agrees, agrees_on_random, named
from tui.core.grading.checks import Fail, compare


def _column_and_vector(d: Draw) -> tuple:
    n = d.int(1, 8)
    return d.tensor(n, 1), d.tensor(n)


def _any_layout(d: Draw) -> tuple:
    n = d.int(1, 8)
    pred, y = d.tensor(n, 1), d.tensor(n)
    return (pred if d.choice([True, False]) else pred.reshape(n)), (y if d.choice([True, False]) else y.reshape(n, 1))


def _shapes(d: Draw) -> tuple:
    inner = d.int(1, 5)
    batch = tuple(d.int(1, 4) for _ in range(d.int(0, 2)))
    other = batch[d.int(0, len(batch)):] if batch and d.choice([True, False]) else batch
    if other and d.choice([True, False]):
        other = (1,) + other[1:]
    return batch + (d.int(1, 5), inner), other + (inner, d.int(1, 5))


@named("raises ValueError for shapes that cannot be multiplied")
def refuses_bad_shapes(sub: Submission, ref: Submission) -> None:
    for a, b in (((3, 2), (3, 4)), ((2, 3, 4), (5, 4, 2)), ((2, 2, 3), (3, 3, 1))):
        try:
            got = sub.matmul_shape(a, b)
        except ValueError:
            continue
        except Exception as error:  # the wrong kind of error is the mistake to name
            raise Fail(f"matmul_shape({a}, {b}) raised {type(error).__name__}; raise ValueError instead") from None
        raise Fail(f"matmul_shape({a}, {b}) returned {got!r}, but these shapes cannot be multiplied: raise ValueError")


@named("works on worked examples")
def known_shapes(sub: Submission, ref: Submission) -> None:
    for a, b, want in (((3, 2), (2, 4), (3, 4)), ((8, 3, 1), (8, 1, 5), (8, 3, 5)),
                       ((2, 5, 3), (3, 4), (2, 5, 4)), ((6, 1, 2, 3), (5, 3, 7), (6, 5, 2, 7))):
        compare(sub.matmul_shape(a, b), want, f"matmul_shape({a}, {b})")


RESIDUAL_TESTS = [
    agrees("residuals", lambda: [(__import__("torch").tensor([[1.0], [2.0], [3.0]]), __import__("torch").tensor([0.5, 2.0, 4.0]))],
           title="three predictions against three targets"),
    agrees_on_random("residuals", _column_and_vector, title="random batch sizes, 1 included"),
]
MSE_TESTS = [
    agrees("mse", lambda: [(__import__("torch").tensor([[1.0], [2.0]]), __import__("torch").tensor([0.0, 4.0]))],
           title="(2, 1) predictions against (2,) targets"),
    agrees_on_random("mse", _any_layout, title="every mix of (N,) and (N, 1)"),
]
MATMUL_SHAPE_TESTS = [
    known_shapes,
    agrees_on_random("matmul_shape", _shapes, title="random batched shapes", examples=40),
    refuses_bad_shapes,
]
