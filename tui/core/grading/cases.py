"""Building hidden tests: fixed cases and random (property-based) cases checked against the reference.

A hidden test is any callable ``test(sub, ref)`` that raises :class:`~tui.core.grading.checks.Fail`
(or ``AssertionError``) when the learner's code is wrong. It runs in the judge: ``ref`` is a
:class:`Submission` (the reference solution's names, run here), ``sub`` a
:class:`~tui.core.grading.learner.Learner` (the learner's functions, run in the learner's process;
see ``tui/core/grading/README.md``).

Most exercises are functions from tensors to tensors, so two builders cover them:
:func:`agrees` runs both on fixed inputs and :func:`agrees_on_random` on inputs that
``hypothesis`` draws (random shapes and values; a failure is shrunk to the smallest input
that shows it). Any formula that computes the same values passes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable

from tui.core.grading.checks import Fail, compare, snapshot, unchanged
from tui.core.grading.learner import Learner, LearnerGone, LearnerRaised

Test = Callable[["Submission", "Submission"], None]


@dataclass
class Submission:
    """The names one piece of code defined, and its source (for rules checked on the text)."""

    names: dict[str, Any]
    source: str = ""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["names"][name]
        except KeyError:
            raise AttributeError(name) from None

    def uses(self, *words: str) -> list[str]:
        """Which of these attribute or variable names the source mentions (``backward``, ``autograd``)."""
        try:
            tree = ast.parse(self.source)
        except SyntaxError:
            return []
        found = set()
        for node in ast.walk(tree):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if name in words:
                found.add(name)
            if isinstance(node, ast.alias) and node.name.split(".")[-1] in words:
                found.add(node.name.split(".")[-1])
        return sorted(found)


def named(title: str) -> Callable[[Test], Test]:
    """Decorator: give a hidden test the name the learner sees."""

    def mark(test: Test) -> Test:
        test.title = title  # type: ignore[attr-defined]
        return test

    return mark


def title_of(test: Test) -> str:
    """The name a hidden test is shown under."""
    return getattr(test, "title", None) or getattr(test, "__name__", "test").replace("_", " ")


def _call_text(name: str, args: tuple) -> str:
    from tui.core.grading.checks import describe

    shown = []
    for arg in args:
        text = describe(arg)
        shown.append(text.removeprefix("a tensor of ").replace("shape ", "").replace(" and dtype ", " ")
                     if text.startswith("a tensor") else (repr(arg) if len(repr(arg)) < 40 else text))
    return f"{name}({', '.join(shown)})"


def check_call(sub: Any, ref: Submission, name: str, args: tuple, *, autograd: bool | None = None,
               **tolerances: Any) -> None:
    """Call ``name`` from both with copies of ``args``; fail on any difference or a broken rule.

    The rules: the inputs (tensors, arrays, lists) come back unchanged, with the same
    ``requires_grad`` and no ``.grad``; grad mode is on after the call as before it; and with
    ``autograd=True`` a backward pass ran, with ``autograd=False`` none ran and no graph was recorded.
    """
    want = getattr(ref, name)(*snapshot(args))
    mine = snapshot(args)
    kept = snapshot(args)
    try:
        if isinstance(sub, Learner):
            call = sub.call(name, *mine, watch_graph=autograd is False)
            if call.error is not None:
                raise call.error
            got = call.result
        else:
            got = getattr(sub, name)(*mine)
    except Fail:
        raise
    except LearnerRaised as error:  # the learner's error is the verdict, not a crash of the grader
        raise Fail(f"{_call_text(name, args)} raised {error.describe()}") from None
    except Exception as error:  # noqa: BLE001  (the reference's side of a bad input)
        text = str(error).splitlines()[0] if str(error) else ""
        raise Fail(f"{_call_text(name, args)} raised {type(error).__name__}: {text}".rstrip(": ")) from None
    compare(got, want, _call_text(name, args), **tolerances)
    unchanged(kept, mine, name)
    obey_rules(sub, name, autograd)


def obey_rules(sub: Any, name: str, autograd: bool | None = None, model: Any = None) -> None:
    """Fail when the last call broke a rule: grad mode left off, autograd (not) used as asked, or
    (given the caller's ``model``) parameters whose ``requires_grad`` the call turned off."""
    if model is not None and not all(p.requires_grad for p in model.parameters()):
        raise Fail(f"{name} froze the caller's model (requires_grad=False on its parameters), so it cannot "
                   "train any more; use `with torch.no_grad():` instead")
    seen = getattr(sub, "last", None)
    if seen is None:
        return
    if not seen.grad_enabled_after:
        raise Fail(f"{name} left grad mode off (torch.set_grad_enabled(False) stays on for the caller); "
                   "use `with torch.no_grad():`, which restores it")
    if autograd is True and not seen.backward_runs:
        raise Fail(f"{name} did not use autograd: no backward pass ran. Compute the derivative with "
                   ".backward() (or torch.autograd.grad), not by a formula or finite differences")
    if autograd is False and (seen.backward_runs or seen.graph_ops):
        what = "ran a backward pass" if seen.backward_runs else "recorded an autograd graph (requires_grad)"
        raise Fail(f"{name} must work without autograd, but it {what}; compute it by hand")


def agrees(name: str, cases: Callable[[], list[tuple]], *, title: str = "", **tolerances: Any) -> Test:
    """A test: ``name`` gives the reference's result on each of the fixed cases.

    Args:
        name: the function to call.
        cases: returns the argument tuples (a callable, so torch is imported only when it runs).
        title: the test's name for the learner.
        tolerances: ``rtol``, ``atol`` and ``dtype`` (check the dtype; on by default), and
            ``autograd`` (True: must use autograd; False: must not; see :func:`check_call`).
    """

    def test(sub: Submission, ref: Submission) -> None:
        for args in cases():
            check_call(sub, ref, name, args, **tolerances)

    test.title = title or f"{name} on worked examples"  # type: ignore[attr-defined]
    return test


@dataclass
class Draw:
    """What a random case may draw: sizes and tensors, from one ``hypothesis`` data object.

    Tensor values come from a drawn seed, so hypothesis shrinks sizes and seeds rather than
    every element, which keeps a run to a few milliseconds per example.
    """

    data: Any
    drawn: list[str] = field(default_factory=list)

    def int(self, low: int, high: int) -> int:
        """A whole number from low to high, inclusive."""
        from hypothesis import strategies as st

        return self.data.draw(st.integers(low, high))

    def choice(self, options: list[Any]) -> Any:
        """One of the options."""
        from hypothesis import strategies as st

        return self.data.draw(st.sampled_from(options))

    def tensor(self, *shape: int, dtype: Any = None, low: float | None = None, high: float | None = None) -> Any:
        """A tensor of this shape: normal values, or uniform in [low, high)."""
        import torch

        seed = self.int(0, 2**16)
        generator = torch.Generator().manual_seed(seed)
        dtype = dtype or torch.float32
        if dtype in (torch.int64, torch.int32):
            return torch.randint(-9 if low is None else int(low), 10 if high is None else int(high), shape, generator=generator, dtype=dtype)
        if low is not None and high is not None:
            return (torch.rand(shape, generator=generator, dtype=torch.float64) * (high - low) + low).to(dtype)
        return torch.randn(shape, generator=generator, dtype=torch.float64).to(dtype)


def random_settings(examples: int) -> Any:
    """Hypothesis settings for hidden tests: the same examples every run, no database, no deadline,
    and only the first failure (shrunk, within :mod:`tui.core.grading.judge`'s caps) reported.

    Every phase runs but ``explain``: after shrinking, it re-runs the failing test dozens of times to
    write a note on which parts of the input mattered. The learner's message is the failure's first
    line, never that note, and the phase took about a second of every failed check."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(max_examples=examples, deadline=None, database=None, derandomize=True, print_blob=False,
                    report_multiple_bugs=False, suppress_health_check=list(HealthCheck),
                    phases=[phase for phase in Phase if phase.name != "explain"])


def agrees_on_random(name: str, draw: Callable[[Draw], tuple], *, title: str = "", examples: int = 40,
                     **tolerances: Any) -> Test:
    """A test: ``name`` gives the reference's result on random inputs that ``draw`` builds.

    A failure is shrunk to the smallest input hypothesis finds and reported with its shapes.
    """

    def test(sub: Submission, ref: Submission) -> None:
        from hypothesis import given
        from hypothesis import strategies as st

        gone: list[BaseException] = []

        @random_settings(examples)
        @given(st.data())
        def run(data: Any) -> None:
            if gone:
                raise gone[0]
            try:
                check_call(sub, ref, name, draw(Draw(data)), **tolerances)
            except LearnerGone as error:
                gone.append(error)
                raise

        try:
            run()
        finally:
            if gone:
                raise gone[0]

    test.title = title or f"{name} on random shapes and values"  # type: ignore[attr-defined]
    return test


def defines(sub: Any, names: list[str]) -> list[str]:
    """The names the submission should define but does not."""
    return [n for n in names if n not in sub.names]
