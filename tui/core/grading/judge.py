"""The judge: runs an exercise's hidden tests against the learner's process, in a process of its own.

It is forked by the runner for each submission and never runs the learner's code: it loads the
reference solution, computes every expected value and makes every comparison here, and reaches the
learner's code only through a :class:`~tui.core.grading.learner.Learner` (a socket to the learner's
process). It sends the runner one event per test through a pipe the learner's process never had.
The first event lists every test, so a verdict needs a result for each (see the runner).
"""

from __future__ import annotations

import socket
from typing import Any, Callable

from tui.core.grading.learner import Learner, LearnerGone, LearnerRaised

Emit = Callable[[dict[str, Any]], None]

SHRINKS = 30
"""Most shrinking steps hypothesis takes on a failure: a wrong answer waits little for its message."""
SHRINKING_S = 1
"""Most seconds hypothesis spends shrinking a failure."""


def cap_shrinking() -> None:
    """Bound hypothesis's shrinking (its defaults are 500 steps and 300 s, past any time limit)."""
    try:
        from hypothesis.internal.conjecture import engine
    except ImportError:
        return
    if hasattr(engine, "MAX_SHRINKS"):
        engine.MAX_SHRINKS = SHRINKS
    if hasattr(engine, "MAX_SHRINKING_SECONDS"):
        engine.MAX_SHRINKING_SECONDS = SHRINKING_S


def load_code(code: str, file: str) -> dict[str, Any]:
    """Run trusted source (the reference solution) in a fresh namespace and return the namespace."""
    namespace: dict[str, Any] = {"__name__": file.removesuffix(".py"), "__file__": file}
    exec(compile(code, file, "exec"), namespace)  # noqa: S102  (the course's own reference)
    return namespace


def _setup_message(answer: dict[str, Any], names: list[str]) -> dict[str, Any] | None:
    if answer.get("error"):
        from tui.core.grading.learner import learner_error

        return {"event": "setup", "status": "error",
                "message": f"Your code did not run: {learner_error(answer['error']).describe()}"}
    missing = [n for n in names if n not in answer.get("defined", [])]
    if missing:
        return {"event": "setup", "status": "missing",
                "message": f"Your code does not define {', '.join(missing)}; the tests need {', '.join(names)}."}
    return None


def judge(exercise: Any, code: str, sock: socket.socket, emit: Emit) -> None:
    """Grade ``code`` on ``exercise`` through the learner's process at the other end of ``sock``."""
    from tui.core.grading.cases import Submission, title_of

    cap_shrinking()
    titles = [title_of(t) for t in exercise.tests]
    emit({"event": "plan", "tests": titles})
    learner = Learner(sock)
    try:
        setup = _setup_message(learner.load(code, exercise.names), exercise.names)
    except LearnerGone as gone:
        emit({"event": "gone", "why": str(gone)})
        return
    if setup:
        emit(setup)
        return
    ref = Submission(load_code(exercise.reference, "reference.py"), exercise.reference)
    for test, name in zip(exercise.tests, titles):
        emit({"event": "start", "name": name})
        try:
            test(learner, ref)
        except LearnerGone as gone:
            emit({"event": "gone", "why": str(gone)})
            return
        except AssertionError as failure:
            emit({"event": "result", "name": name, "passed": False, "message": _failure_text(failure)})
        except LearnerRaised as error:
            emit({"event": "result", "name": name, "passed": False, "message": f"Your code raised {error.describe()}"})
        except Exception as error:  # noqa: BLE001  (a result the checks could not use: the learner's to fix)
            emit({"event": "result", "name": name, "passed": False,
                  "message": f"the checks could not use what your code returned ({type(error).__name__}: {error})"})
        else:
            emit({"event": "result", "name": name, "passed": True, "message": ""})


def _failure_text(failure: AssertionError) -> str:
    text = str(failure).strip()
    return text.splitlines()[0] if text else "a check failed"
