"""One learner per tab in ``tensordojo serve``: a roster's links, the name page, and each learner's
own data folder (progress, drafts, REPL history), kept across reconnects and server restarts.

With ``--roster FILE`` (a name a line) each learner gets a link carrying their own token, kept in
``CLASS_DIR/roster-tokens.json`` so links survive a restart. Without a roster, the page first asks
for a name: that is trust within the room (anyone may type anyone's name), and the page says so.
Either way the tab's app runs with ``TENSORDOJO_HOME=CLASS_DIR/<learner>``; the server's own
progress is never touched.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import secrets
from pathlib import Path

NAME_MAX = 40
LEARNER_FILE = "learner.json"
TOKENS_FILE = "roster-tokens.json"

NAME_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>tensordojo: who are you?</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>tensordojo</h1>
<form method="get" action="/">
<p><label for="name">Your name, so your progress, drafts and REPL history are kept for you:</label></p>
<p><input id="name" name="name" maxlength="{max}" autofocus required> <button type="submit">Start</button></p>
<p style="color: #a00">{error}</p>
</form>
<p><small>This works on trust: anyone in the room could type your name and see your progress. Use the same
name to come back to where you were.</small></p>
</body></html>
"""


class RosterError(ValueError):
    """A roster file that cannot be used; the message says why."""


def check_name(raw: str) -> str:
    """A learner's name, tidied; raises ValueError with a sentence for the learner when unusable."""
    name = " ".join(raw.split())
    if not name:
        raise ValueError("Type a name to start.")
    if len(name) > NAME_MAX:
        raise ValueError(f"Use at most {NAME_MAX} characters.")
    if not all(ch.isprintable() for ch in name):
        raise ValueError("Use letters, digits and spaces.")
    return name


def folder_name(name: str) -> str:
    """The learner's folder: a readable slug plus a short hash, so "Ana" and "ana" stay apart."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "learner"
    return f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def learner_home(class_dir: Path, name: str) -> Path:
    """The learner's own data folder, created with a note of their name (for the class view)."""
    home = class_dir / folder_name(name)
    home.mkdir(parents=True, exist_ok=True)
    note = home / LEARNER_FILE
    if not note.exists():
        note.write_text(json.dumps({"name": name}), encoding="utf-8")
    return home


def read_roster(path: Path) -> list[str]:
    """The names in a roster file, one a line; blank lines and ``#`` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RosterError(f"--roster {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"--roster {path}: cannot be read ({error})") from None
    names: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            name = check_name(line)
        except ValueError as why:
            raise RosterError(f"--roster {path}, line {number}: {why}") from None
        if name in names:
            raise RosterError(f"--roster {path}, line {number}: {name!r} is listed twice")
        names.append(name)
    if not names:
        raise RosterError(f"--roster {path}: no names in it (one learner's name a line)")
    return names


def roster_tokens(class_dir: Path, names: list[str]) -> dict[str, str]:
    """Each name's token: the one kept from an earlier start, else a new one; saved readable by you only."""
    store = class_dir / TOKENS_FILE
    try:
        kept = json.loads(store.read_text(encoding="utf-8"))
        kept = kept if isinstance(kept, dict) else {}
    except (OSError, ValueError):
        kept = {}
    tokens = {name: kept[name] if isinstance(kept.get(name), str) else secrets.token_urlsafe(24) for name in names}
    class_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(store, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({**kept, **tokens}, out)
    return tokens


def name_page(error: str = "") -> str:
    """The page that asks a tab's learner for a name."""
    return NAME_PAGE.format(max=NAME_MAX, error=html.escape(error))
