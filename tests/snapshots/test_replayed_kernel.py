"""The replayed kernel must take every call the app makes of a real one: when KernelSession gains a
parameter the replay lacks, the app's run worker raises, the REPL stays busy and the snapshot tests
wait until their hang guard (this happened once: ``metadata`` for the log's width)."""

from __future__ import annotations

import inspect

import pytest

from tests.snapshots.replayed_kernel import ReplayedSession
from tui.kernel.session import KernelSession


def public_methods(cls) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(cls).items()
            if callable(member) and not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(public_methods(KernelSession)))
def test_the_replay_takes_the_same_parameters_as_the_real_session(name):
    real = public_methods(KernelSession)[name]
    replayed = public_methods(ReplayedSession).get(name)
    assert replayed is not None, f"ReplayedSession has no {name}(); the app may call it"
    assert list(replayed.parameters) == list(real.parameters), (
        f"ReplayedSession.{name}{replayed} differs from KernelSession.{name}{real}")
