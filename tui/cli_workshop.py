"""The ``tensordojo`` commands for workshops: serve to browsers, and export or merge class progress."""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli_shared import UsageError, load_lessons, open_store


def serve(host: str, port: int, allow_remote: bool, folders: list[str], watch: bool) -> int:
    """Serve the app with textual-serve until ctrl+c."""
    from tui.serve import ServeError, app_command, make_server, plan

    try:
        token, url = plan(host, port, allow_remote)
    except ServeError as error:
        raise UsageError(str(error)) from None
    if token:
        print("WARNING: anyone who can reach this address and has the token below gets a Python REPL running as "
              f"{__import__('getpass').getuser()} on this machine. Share the URL only with your class.", file=sys.stderr)
    print(f"tensordojo is served at {url}\nEach browser tab gets its own app and kernel. ctrl+c stops the server.",
          flush=True)
    make_server(app_command(folders, watch), host, port, token).serve()
    return 0


def progress(args: argparse.Namespace) -> int:
    """Export this learner's progress, or merge a class's exports; see tui/core/class_progress.py."""
    from tui.core import class_progress as cp

    if args.merge:
        if args.json or args.name:
            raise UsageError("--merge takes files; --json and --name are for exporting your own progress")
        table = cp.merge_exports(args.merge)
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
