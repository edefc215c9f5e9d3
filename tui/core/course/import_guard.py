"""Trying a lesson pack's modules in a child process first, so one that exits or hangs at import cannot take
the app (or any command) with it.

A module that calls ``sys.exit()``, ends the process (``os._exit``, a crash) or does not finish importing
within :data:`IMPORT_LIMIT` seconds is refused with the file, the line and why; the others are imported
as usual. Verdicts are kept in ``import-checks.json`` in the data folder, keyed by each file's
modification time and size, so only new or changed files cost a child process (about 0.2 s for a
pack, plus the time limit for a module that hangs).

Run as ``python -m tui.core.course.import_guard``, this module is that child: it reads the modules to try as
JSON on stdin and writes one line per module on stdout.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

IMPORT_LIMIT = 15.0
"""Seconds a lesson module may take to import before it is taken for a hang. Generous: on a loaded
machine (a class on one server, a busy CI runner) a healthy module's first import can take seconds,
and refusing it is worse than waiting once for a module that loops (the verdict is kept)."""
CACHE_FILE = "import-checks.json"
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class Refusal:
    """Why a module was not imported, and the line in it where that happened (0 when unknown)."""

    line: int
    why: str


@dataclass(frozen=True)
class Item:
    """A module to try: its file, and its dotted name when it belongs to a package (else loaded by path)."""

    file: str
    module: str = ""


def check_imports(items: list[Item], limit: float | None = None, cache: Path | None = None) -> dict[str, Refusal]:
    """Try each module in a child process; return the refused ones by file.

    Args:
        items: the modules, in the order they would be imported.
        limit: seconds each may take (None: :data:`IMPORT_LIMIT`).
        cache: the verdicts file (None: the data folder's; a file that cannot be read or written is ignored).
    """
    limit = IMPORT_LIMIT if limit is None else limit
    cache = cache if cache is not None else _default_cache()
    known = _read_cache(cache)
    stamps = {item.file: _stamp(item.file) for item in items}
    unknown = [item for item in items if known.get(item.file, {}).get("stamp") != stamps[item.file]]
    if unknown:
        try:
            fresh = _try_in_child(unknown, limit)
        except OSError:  # no child process possible here (limits, a sandbox): import as before, unguarded
            return {}
        for item in unknown:
            refusal = fresh.get(item.file)
            known[item.file] = {"stamp": stamps[item.file],
                                "refused": [refusal.line, refusal.why] if refusal else None}
        _write_cache(cache, known)
    refused = {}
    for item in items:
        verdict = known.get(item.file, {}).get("refused")
        if verdict:
            refused[item.file] = Refusal(int(verdict[0]), str(verdict[1]))
    return refused


def _stamp(file: str) -> list[int]:
    try:
        status = os.stat(file)
    except OSError:
        return [0, 0]
    return [status.st_mtime_ns, status.st_size]


def _default_cache() -> Path:
    from tui.core.paths import data_dir

    return data_dir() / CACHE_FILE


def _read_cache(cache: Path) -> dict:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache: Path, data: dict) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".import-checks-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, cache)
    except OSError:
        pass  # a read-only data folder costs the next launch a check, nothing more


def _try_in_child(items: list[Item], limit: float) -> dict[str, Refusal]:
    """Import the modules one by one in child processes; a new child takes over after one that ends."""
    refused: dict[str, Refusal] = {}
    remaining = list(items)
    while remaining:
        done, failed = _one_child(remaining, limit)
        if failed is not None:
            refused[remaining[done].file] = failed
            done += 1
        remaining = remaining[done:]
    return refused


def _one_child(items: list[Item], limit: float) -> tuple[int, Refusal | None]:
    """Run one child over ``items``; return how many it finished, and why the next one failed (if one did)."""
    from tui.core.paths import child_environment

    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", "tui.core.course.import_guard", str(limit)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=errors, env=child_environment(),
                                 cwd=tempfile.gettempdir())
        request = {"path": sys.path, "items": [[item.file, item.module] for item in items]}
        child.stdin.write(json.dumps(request).encode())
        child.stdin.close()
        done, refusal, timed_out = _read_child(child, items, limit)
        if timed_out:
            child.kill()
        code = child.wait()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if refusal is not None or done == len(items):
        return done, refusal
    file = items[done].file
    line = _last_line_in(stderr, file)
    if timed_out or "Timeout" in stderr:
        return done, Refusal(line, f"importing it did not finish within {limit:g} s (a loop at import?); "
                                   "put long work inside a function")
    return done, Refusal(line, f"importing it ended the process ({_exit_words(code)}); a lesson module must not exit")


def _read_child(child: subprocess.Popen, items: list[Item], limit: float) -> tuple[int, Refusal | None, bool]:
    """Follow the child's lines until it ends; the deadline restarts with each module it begins."""
    done, buffer = 0, b""
    deadline = time.monotonic() + limit + 10  # the child's own start-up (imports) comes first
    stdout = child.stdout
    while True:
        wait = deadline - time.monotonic()
        if wait <= 0:
            return done, None, True
        ready, _, _ = select.select([stdout], [], [], wait)
        if not ready:
            continue
        chunk = os.read(stdout.fileno(), 4096)
        if not chunk:
            return done, None, False
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            word, _, rest = line.decode(errors="replace").partition(" ")
            if word == "begin":
                deadline = time.monotonic() + limit + 2  # the child dumps its stack at the limit itself
            elif word == "ok":
                done += 1
            elif word == "exit":
                number, _, why = rest.partition(" ")
                return done, Refusal(int(number), why), False


def _last_line_in(stderr: str, file: str) -> int:
    """The deepest line of ``file`` in a dumped stack (0 when it is not there)."""
    lines = [int(m["line"]) for m in _FRAME.finditer(stderr) if os.path.realpath(m["file"]) == os.path.realpath(file)]
    # faulthandler prints the innermost frame first; a Python traceback prints it last.
    return lines[0] if lines and "Timeout" in stderr else (lines[-1] if lines else 0)


def _exit_words(code: int) -> str:
    from tui.core.processes.exit_status import describe_exit

    return describe_exit(code)


def _child_main(limit: float) -> None:
    """In the child: import each module, saying ``begin``, then ``ok`` or ``exit LINE WHY`` on stdout."""
    import faulthandler
    import importlib
    import importlib.util
    import traceback

    request = json.loads(sys.stdin.read())
    sys.path.extend(p for p in request["path"] if p not in sys.path)  # the app's packages, pack folders
    # The protocol has stdout to itself: what a module prints at import goes to stderr.
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for file, module in request["items"]:
        print("begin", file=protocol, flush=True)
        folder = str(Path(file).parent)
        if not module and folder not in sys.path:
            sys.path.append(folder)  # lesson modules may import helpers beside them, as in the app
        faulthandler.dump_traceback_later(limit, exit=True)
        try:
            if module:
                importlib.import_module(module)
            else:
                spec = importlib.util.spec_from_file_location(f"tensordojo_import_check_{len(sys.modules)}", file)
                spec.loader.exec_module(importlib.util.module_from_spec(spec))
        except SystemExit as error:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if os.path.realpath(f.filename) == os.path.realpath(file)]
            line = frames[-1].lineno if frames else 0
            print("exit", line, f"it calls sys.exit({error.code!r}) at import; a lesson module must not exit",
                  file=protocol, flush=True)
            return
        except BaseException:  # other errors are the loader's to report, in the app's own words
            pass
        finally:
            faulthandler.cancel_dump_traceback_later()
        print("ok", file=protocol, flush=True)


if __name__ == "__main__":
    _child_main(float(sys.argv[1]) if len(sys.argv) > 1 else IMPORT_LIMIT)
