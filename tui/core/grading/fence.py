"""Fencing the learner's process off the course: no imports of it, no reads of its files.

Two layers, set up in the learner's process before its code runs:

- an import hook that refuses ``tui``, ``lessons`` and the course's own packages with a clear
  message (and those modules are dropped from ``sys.modules``, so ``import`` cannot find them
  already loaded);
- where the kernel offers Landlock (Linux 5.13 and later), the process and every child it starts
  lose the right to read files inside the course's folders: ``open('lessons/x.py')`` fails, so the
  reference solutions and the checks cannot be read from disk either. Landlock allows only what
  rules list, so the rules grant reading everything else: each sibling of the path that leads from
  ``/`` down to a fenced folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Any, Sequence

BLOCKED_MESSAGE = ("graded code cannot import {name!r}: the exercise's tests and solutions are not "
                   "available to it. Write the function yourself; only the standard library, torch and "
                   "numpy are there")


class BlockedImports:
    """A ``sys.meta_path`` finder that refuses the course's packages."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.split(".")[0] in self.names:
            raise ImportError(BLOCKED_MESSAGE.format(name=fullname))
        return None


def block_imports(names: Sequence[str]) -> None:
    """Refuse imports of these top-level packages from now on, loaded or not."""
    for loaded in [m for m in sys.modules if m.split(".")[0] in names]:
        del sys.modules[loaded]
    sys.meta_path.insert(0, BlockedImports(names))


# -- Landlock -----------------------------------------------------------------------------

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_READ_FILE = 1 << 2
_RULE_PATH_BENEATH = 1
_NO_NEW_PRIVS = 38


_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _allowed_roots(fenced: list[Path]) -> list[Path]:
    """Every path to grant: the siblings along the way from / to each fenced folder."""
    fenced_set = {p for p in fenced}
    on_the_way = {a for p in fenced for a in p.parents} | fenced_set
    allowed: list[Path] = []
    for folder in sorted({a for p in fenced for a in p.parents}):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        allowed += [e for e in entries if e not in on_the_way]
    return allowed


def hide_folders(folders: Sequence[str]) -> bool:
    """Forbid reading files inside these folders, for this process and its children.

    Returns whether the kernel applied it (False where Landlock is missing).
    """
    if sys.platform != "linux":
        return False
    fenced = [Path(os.path.realpath(f)) for f in folders if f and os.path.isdir(f)]
    if not fenced:
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    abi = libc.syscall(_CREATE_RULESET, None, 0, 1)
    # From ABI 6 a domain can also be kept from signalling processes outside it (the judge, the
    # runner) and from their abstract Unix sockets; Landlock always keeps it from ptrace-ing them,
    # so /proc/PID/mem of the judge is out of reach as well.
    scoped = _SCOPE_SIGNAL | _SCOPE_ABSTRACT_UNIX_SOCKET if abi >= 6 else 0
    attr = _RulesetAttr(_READ_FILE, 0, scoped)
    size = ctypes.sizeof(attr) if abi >= 6 else ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return False
    try:
        for path in _allowed_roots(fenced):
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            rule = _PathBeneath(_READ_FILE, fd)
            libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            os.close(fd)
        if libc.prctl(_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)


def landlock_available() -> bool:
    """Whether this kernel offers Landlock (so :func:`hide_folders` can work)."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return libc.syscall(_CREATE_RULESET, None, 0, 1) > 0  # flag 1: ask for the ABI version
