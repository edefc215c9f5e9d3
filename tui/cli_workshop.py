"""The ``tensordojo`` commands for workshops: serve to browsers, and export or merge class progress."""

from __future__ import annotations

import argparse
import json
import os
import shlex
from pathlib import Path
import sys
from typing import Any

from tui.cli_shared import UsageError, load_lessons, open_store


def add_serve_parser(commands: Any) -> None:
    """The ``serve`` command's arguments."""
    serve = commands.add_parser("serve", help="serve the app to web browsers (each tab its own app and kernel)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a non-loopback --host (whoever has the printed URL gets a REPL as you)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also accept this name in the Host header (a proxy's or this machine's DNS name)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="also accept pages from this origin, like https://proxy.example (default: same origin)")
    serve.add_argument("--max-sessions", type=int, metavar="N",
                       help="most tabs served at once (default: what this machine's memory holds, about 400 MB each)")
    serve.add_argument("--idle-timeout", default="2h", metavar="TIME",
                       help="end a tab's session after this long without input, like 90m or 2h; 0 never (default 2h)")
    serve.add_argument("--roster", type=Path, metavar="FILE",
                       help="one learner's name a line: prints a link per learner, each with its own token")
    serve.add_argument("--class", dest="class_view", action="store_true",
                       help="show the class's live table here (instead of the access log)")
    serve.add_argument("--class-dir", type=Path, metavar="DIR",
                       help="where each learner's progress is kept (default: class/ in your tensordojo data folder)")


def serve(args: argparse.Namespace, folders: list[str]) -> int:
    """Serve the app with textual-serve until ctrl+c."""
    from tui.serve import ServeError, app_command, make_server, plan

    from tui.serve_sessions import Sessions, default_max_sessions, describe_duration, machine_memory, parse_duration

    try:
        idle_s = parse_duration(args.idle_timeout)
    except ValueError as error:
        raise UsageError(f"--idle-timeout: {error}") from None
    if args.max_sessions is not None and args.max_sessions < 1:
        raise UsageError("--max-sessions must be at least 1")
    from tui.core.paths import data_dir
    from tui.serve_learners import RosterError, read_roster, roster_tokens

    class_dir = (args.class_dir or data_dir() / "class").expanduser()
    try:
        names = read_roster(args.roster) if args.roster else []
        class_dir.mkdir(parents=True, exist_ok=True)
        roster = roster_tokens(class_dir, names) if names else None
        guard, urls = plan(args.host, args.port, args.allow_remote, args.allow_host, args.allow_origin, roster)
    except (ServeError, RosterError) as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot use {class_dir} for the class's progress ({error.strerror or error}); "
                         "pick another folder with --class-dir") from None
    memory = machine_memory()
    sessions = Sessions(args.max_sessions or default_max_sessions(memory), idle_s)
    if not guard.loopback:
        print("WARNING: anyone who can reach this address and has the token below gets a Python REPL running as "
              f"{__import__('getpass').getuser()} on this machine. Share the URL only with your class.", file=sys.stderr)
    if roster:
        print(f"tensordojo is served at {urls[0][1].split('?')[0]} with one link per learner (each carries that "
              "learner's own token; give each learner theirs only):", flush=True)
        for learner, url in urls:
            print(f"  {learner}: {url}")
    else:
        print(f"tensordojo is served at {urls[0][1]}\nEach tab asks for a name and gets its own app, kernel and "
              "progress; the URL carries the access token, so share it only with your class.", flush=True)
    print(f"Progress is kept per learner in {class_dir}; watch the class with: tensordojo progress --class "
          f"{shlex.quote(str(class_dir))}")
    why = "--max-sessions" if args.max_sessions else (
        f"what {memory / 2**30:.0f} GB of memory holds; change it with --max-sessions" if memory else "--max-sessions")
    idle = f"after {describe_duration(idle_s)} without input" if idle_s else "never (--idle-timeout 0)"
    print(f"Up to {sessions.limit} sessions at once ({why}); an idle session ends {idle}. ctrl+c stops the server.",
          flush=True)
    from tui.core.processes.parent_death import mark_child_environment

    mark_child_environment(os.environ)  # each tab's app ends with this server, even a SIGKILLed one
    if args.class_view:
        import logging
        import threading

        logging.getLogger("aiohttp.access").disabled = True  # the table takes the terminal
        threading.Thread(target=watch_class, args=(class_dir, False), name="class-view", daemon=True).start()
    make_server(app_command(folders, args.watch), args.host, args.port, guard, sessions, class_dir).serve()
    return 0


def watch_class(class_dir: Path, once: bool, every: float = 2.0) -> int:
    """The class's live table (see tui/core/store/class_view.py), redrawn every ``every`` seconds until ctrl+c."""
    import time

    from rich.console import Console
    from rich.live import Live

    from tui.core.store.class_view import class_rows, class_table

    if not class_dir.is_dir():
        raise UsageError(f"--class {class_dir}: no such folder (tensordojo serve prints its class folder)")
    catalogue = load_lessons()
    title = f"Class in {class_dir} (stuck: several failed tries at one step, or idle in an open lesson)"
    if once:
        # A pipe or a file gets whole lines, not a table squeezed to 80 columns.
        Console(width=None if sys.stdout.isatty() else 160).print(class_table(class_rows(class_dir, catalogue), title=title))
        return 0
    try:
        with Live(class_table(class_rows(class_dir, catalogue), title=title), auto_refresh=False) as live:
            while True:
                time.sleep(every)
                live.update(class_table(class_rows(class_dir, catalogue), title=title), refresh=True)
    except KeyboardInterrupt:
        return 0


def progress(args: argparse.Namespace) -> int:
    """Export this learner's progress, or merge a class's exports; see tui/core/store/class_progress.py."""
    from tui.core.store import class_progress as cp

    if args.class_dir:
        return watch_class(args.class_dir, args.once)
    if args.merge:
        if args.json or args.name:
            raise UsageError("--merge takes files; --json and --name are for exporting your own progress")
        folders = any(path.is_dir() for path in args.merge)
        table = cp.merge_exports(args.merge, load_lessons() if folders else None)
        for why in table.skipped:
            print(f"tensordojo: skipped {why}", file=sys.stderr)
        if not table.rows:
            raise UsageError("none of the files could be merged")
        print(table.to_csv() if args.csv else table.to_text(), end="" if args.csv else "\n")
        return 0
    import getpass

    name = (args.name or getpass.getuser() or "learner").strip()
    if not name:
        raise UsageError("--name must not be empty")
    export = cp.export_progress(open_store(), load_lessons(), name)
    if args.json:
        print(json.dumps(export, indent=2))
    elif args.csv:
        print(cp.export_csv(export), end="")
    else:
        print(cp.export_text(export))
        print(f"Hand in: tensordojo progress --json --name {json.dumps(name)} > {name.replace(' ', '_')}.json")
    return 0
