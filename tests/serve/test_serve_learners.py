"""One learner per tab: a roster's links each open that learner's own data folder; without a roster
the page asks a name (and says it is trust-based); a tab without a learner starts nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest

from tests.processes import descendants
from tests.serve.test_serve import Served, fetch, first_screen, free_port
from tests.waiting import wait_for
from tui.serve_learners import RosterError, check_name, folder_name, read_roster


def app_home(server_pid: int) -> str | None:
    """TENSORDOJO_HOME of the tab's app (the server's direct child)."""
    for pid in descendants(server_pid):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"tui.cli" in cmdline:
            for entry in environ:
                if entry.startswith(b"TENSORDOJO_HOME="):
                    return entry.split(b"=", 1)[1].decode()
    return None


def test_each_roster_link_opens_that_learners_own_folder(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("# class of 3\nAna\nBo Li\n\nana\n")
    class_dir = tmp_path / "class"
    served = Served("--port", str(free_port()), "--roster", str(roster), "--class-dir", str(class_dir))
    try:
        links = dict(line.strip().split(": ", 1) for line in served.banner.splitlines() if line.startswith("  "))
        assert set(links) == {"Ana", "Bo Li", "ana"} and len(set(links.values())) == 3
        tokens = {name: url.split("token=")[1] for name, url in links.items()}
        status, page, _ = asyncio.run(fetch(links["Bo Li"]))
        assert status == 200 and "Your name" not in page  # the link says who it is
        homes = {}
        for name in ("Ana", "Bo Li"):
            cookies = served.cookies(learner=None, token=tokens[name])
            asyncio.run(first_screen(served.base + "ws", cookies,
                                     until=lambda: homes.setdefault(name, app_home(served.process.pid))))
            wait_for(lambda: not descendants(served.process.pid), "the closed tab's app to end")
        assert homes == {"Ana": str(class_dir / folder_name("Ana")), "Bo Li": str(class_dir / folder_name("Bo Li"))}
        for name in ("Ana", "Bo Li"):
            assert json.loads((class_dir / folder_name(name) / "learner.json").read_text()) == {"name": name}
        assert not (class_dir / folder_name("ana")).exists()  # "ana" is someone else, and has not come yet
        assert asyncio.run(fetch(served.base + "?token=not-on-the-roster"))[0] == 403
    finally:
        assert served.stop() == 0
    again = Served("--port", str(free_port()), "--roster", str(roster), "--class-dir", str(class_dir))
    try:
        assert links["Ana"].split("token=")[1] in again.banner  # a restart keeps each learner's link
    finally:
        assert again.stop() == 0


def test_without_a_roster_the_page_asks_a_name_and_a_tab_without_one_starts_nothing():
    served = Served("--port", str(free_port()))
    try:
        status, page, _ = asyncio.run(fetch(served.url + "&name=%20%20"))
        assert status == 200 and "Type a name" in page
        status, page, cookies = asyncio.run(fetch(served.url + "&name=Ana%20%20Lee"))
        assert cookies[f"tensordojo_learner_{served.port}"] == "Ana%20Lee"

        async def nameless() -> bytes:
            async with aiohttp.ClientSession(cookies=served.cookies(learner=None)) as session:
                async with session.ws_connect(served.base + "ws") as ws:
                    message = await ws.receive()
                    return message.data
        assert b"give your name" in asyncio.run(nameless())
        assert not descendants(served.process.pid)
    finally:
        assert served.stop() == 0


def test_roster_files_are_checked_line_by_line(tmp_path):
    bad = tmp_path / "r.txt"
    bad.write_text("Ana\n\x07bell\n")
    with pytest.raises(RosterError, match="line 2"):
        read_roster(bad)
    bad.write_text("\n# nobody\n")
    with pytest.raises(RosterError, match="no names"):
        read_roster(bad)
    with pytest.raises(RosterError, match="no such file"):
        read_roster(tmp_path / "missing.txt")
    assert check_name("  Ana   Lee ") == "Ana Lee" and folder_name("Ana") != folder_name("ana")
