"""What grading a submission found: a status, a result per hidden test, and the code's output.

Statuses: ``passed`` (every test), ``failed`` (some test), ``error`` (the code did not run:
a syntax error, an exception at import), ``missing`` (it runs but lacks a required name),
``timeout`` and ``crashed`` (the process was killed or died).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TIMED_OUT = "timeout"
STATUSES = ("passed", "failed", "error", "missing", TIMED_OUT, "crashed")


@dataclass(frozen=True)
class TestResult:
    """One hidden test's verdict."""

    __test__ = False  # not a pytest test class, despite the name
    name: str
    passed: bool
    message: str = ""


@dataclass
class Report:
    """The verdict on one submission."""

    status: str
    message: str = ""
    results: list[TestResult] = field(default_factory=list)
    output: str = ""
    elapsed_s: float = 0.0
    value: str | None = None
    """For a try step's run: the repr of its check expression."""

    @property
    def passed(self) -> bool:
        """Whether every hidden test passed."""
        return self.status == "passed"

    @property
    def earns_a_hint(self) -> bool:
        """Whether this verdict counts as a failed attempt: one more hint, one more attempt recorded.

        Tests that failed, ran too long or crashed count, as does code that raised as it ran; a
        syntax error, a missing name or a grader that could not start do not (a typo is not a try).
        """
        if self.status in ("failed", TIMED_OUT, "crashed"):
            return True
        return self.status == "error" and self.message.startswith("Your code did not run") and "SyntaxError" not in self.message

    def summary(self) -> str:
        """One line: how many tests passed, or why none ran."""
        if self.passed:
            return f"All {len(self.results)} test{'s' * (len(self.results) != 1)} passed."
        if self.status == "failed":
            bad = sum(not r.passed for r in self.results)
            return f"{bad} of {len(self.results)} test{'s' * (len(self.results) != 1)} failed."
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; ``results`` holds ``name``, ``passed`` and ``message``."""
        return {
            "status": self.status,
            "passed": self.passed,
            "message": self.message,
            "results": [{"name": r.name, "passed": r.passed, "message": r.message} for r in self.results],
            "output": self.output,
            "elapsed_s": self.elapsed_s,
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Read the form :meth:`to_dict` writes."""
        return cls(
            status=data["status"],
            message=data.get("message", ""),
            results=[TestResult(r["name"], bool(r["passed"]), r.get("message", "")) for r in data.get("results", [])],
            output=data.get("output", ""),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            value=data.get("value"),
        )
