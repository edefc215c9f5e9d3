"""The file ``tensordojo start`` writes for an exercise: its id, the task, the code, the hints.

The task and the hints are comments, so the file runs and grades as it is; the first line names
the exercise, so ``tensordojo check --watch FILE`` knows which one to grade it against.
"""

from __future__ import annotations

import re
import textwrap

from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson

HEADER = "# tensordojo exercise: "
_HEADER_LINE = re.compile(r"^#\s*tensordojo exercise:\s*(\S+)\s*$", re.M)
WIDTH = 78


def _paragraphs(text: str) -> list[str]:
    """Markdown's paragraphs as single lines; list items, code and fences stay lines of their own."""
    out: list[str] = []
    joinable = False
    for line in text.strip().splitlines():
        plain = line.strip()
        own_line = not plain or plain.startswith(("- ", "* ", "```", "|")) or line.startswith("    ") or plain[:2].rstrip(".").isdigit()
        if joinable and not own_line:
            out[-1] += " " + plain
        else:
            out.append(line.rstrip())
        joinable = bool(plain) and not plain.startswith(("```", "|")) and not line.startswith("    ")
    return out


def _comment(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in _paragraphs(text):
        if paragraph.startswith("    ") or paragraph.lstrip().startswith("```"):
            lines.append(f"# {paragraph}".rstrip())  # code: never wrapped
            continue
        hanging = "  " if paragraph.lstrip().startswith(("- ", "* ")) else ""
        wrapped = textwrap.wrap(paragraph.strip(), WIDTH - 2, subsequent_indent=hanging) or [""]
        lines += [f"# {line}".rstrip() for line in wrapped]
    return lines


def exercise_file(lesson: Lesson, exercise: Exercise, code: str, file_name: str = "FILE") -> str:
    """The text of the file: header, the task as comments, ``code``, then the hints as comments.

    ``code`` that is already such a file (a draft saved by ``check``) is returned as it is.
    """
    if exercise_id_in(code) == f"{lesson.id}.{exercise.id}":
        return code
    full_id = f"{lesson.id}.{exercise.id}"
    lines = [f"{HEADER}{full_id}", f"# {exercise.title} (lesson: {lesson.title})", "#"]
    lines += _comment(exercise.prompt)
    lines += ["#", f"# Define: {', '.join(exercise.names)}.",
              f"# Check it on every save:  tensordojo check --watch {file_name}",
              "# (each failed check prints the next hint; they are also at the end of this file)", ""]
    lines += [code.rstrip("\n"), "", ""]
    lines += ["# " + "-" * (WIDTH - 2), "# Hints, from a nudge to nearly the answer (read one at a time):"]
    for number, hint in enumerate(exercise.hints, 1):
        lines += _comment(f"{number}. {hint}")
    return "\n".join(lines) + "\n"


def exercise_id_in(text: str) -> str | None:
    """The exercise id a file names in its header line (the first 20 lines are searched), or None."""
    match = _HEADER_LINE.search("\n".join(text.splitlines()[:20]))
    return match.group(1) if match else None


def default_file_name(full_id: str) -> str:
    """``reductions.row-means`` -> ``reductions_row_means.py``: a name Python can import too."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", full_id).strip("_") + ".py"
