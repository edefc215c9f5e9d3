"""How a child process ended, in words: one table for the REPL kernel and the training process."""

from tui.core.processes.exit_status import describe_exit


def test_signals_and_statuses_are_named():
    assert describe_exit(-9) == "it was killed, often for lack of memory"
    assert describe_exit(-11) == "it crashed with a segmentation fault"
    assert describe_exit(-15) == "it ended with signal 15"
    assert describe_exit(1) == "it exited with status 1"
