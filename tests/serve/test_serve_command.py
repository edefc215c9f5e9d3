"""The command each served tab runs: the server's own --lessons and --watch reach every tab's app."""

from __future__ import annotations

import shlex
import sys

from tui.cli import build_parser, main


def test_serve_passes_its_lessons_and_watch_to_each_tab(tmp_path, monkeypatch, capsys):
    import tui.core.processes.parent_death as parent_death
    import tui.serve as serve

    commands = []

    class FakeServer:
        def serve(self):
            return None

    def fake_make_server(command, *args):
        commands.append(command)
        return FakeServer()

    monkeypatch.setattr(serve, "make_server", fake_make_server)
    monkeypatch.setattr(parent_death, "mark_child_environment", lambda environ: None)
    folder = tmp_path / "my lessons"  # a space, to prove the command is quoted
    folder.mkdir()
    monkeypatch.setenv("TENSORDOJO_HOME", str(tmp_path / "home"))
    assert main(["--lessons", str(folder), "--watch", "serve", "--class-dir", str(tmp_path / "class")]) == 0
    [command] = commands
    words = shlex.split(command)
    assert words[:4] == ["exec", sys.executable, "-m", "tui.cli"]
    args = build_parser().parse_args(words[4:])
    assert [str(p) for p in args.lessons] == [str(folder)] and args.watch
    assert "served at" in capsys.readouterr().out
