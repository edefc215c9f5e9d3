"""Private temporary folders named after the process that owns them, and sweeping up abandoned ones.

The REPL kernel's sockets live in such a folder. Its owner removes it when it shuts the kernel down;
an owner that never got to (killed, crashed, a test that did not close its app) leaves it behind, so
each new one first removes the folders whose owner process no longer exists.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def owner_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_abandoned(prefix: str, folder: Path | None = None) -> list[Path]:
    """Remove the ``{prefix}{pid}-*`` folders in the temp folder whose owner ``pid`` has ended; return them."""
    removed = []
    for path in (folder or Path(tempfile.gettempdir())).glob(f"{prefix}*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and not owner_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def owned_temp_folder(prefix: str) -> Path:
    """A new private temp folder named ``{prefix}{this pid}-...``, after sweeping up abandoned ones."""
    sweep_abandoned(prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
