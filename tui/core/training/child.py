"""The training process: runs :class:`~tui.core.training.engine.Trainer` for the app, in an interpreter of its own.

Started by :class:`tui.core.training.process.TrainingProcess` as ``python -m tui.core.training.child FD``,
where ``FD`` is its end of a socket pair. Why a process and not only a thread: the training loop is
mostly Python dispatch between small ops, so in the app's interpreter every millisecond the UI held
the GIL (frames, progress messages) came out of training, and on a shared two-core machine each
hand-over of the GIL cost more than the UI's own time (benchmarks/RESULTS.md). Here the loop has a
GIL to itself.

Messages are pickled tuples over :class:`multiprocessing.connection.Connection`:

* from the app: ``("run", TrainConfig)``, ``("pause",)``, ``("resume",)``, ``("stop",)``,
  ``("lr", value)``, ``("save", path)`` (a checkpoint of the last run); the app closing its end ends this process;
* to the app: ``("ready",)`` once torch is loaded, ``("started", device_name)``, ``("report", Report)`` (about 20 a second), and
  ``("saved", path, error)`` after a save (``error`` is empty when it worked).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

from tui.core.training.config import ConfigError, TrainConfig
from tui.core.training.engine import Report, RunControl


class _Host:
    """One connection's state: the run queued or going, its control, and the last trainer (for saves)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.runs: queue.Queue[tuple[TrainConfig, RunControl]] = queue.Queue()
        self.control: RunControl | None = None
        self.trainer: Any = None
        self._send_lock = threading.Lock()  # reports (main thread) and save replies (listener) share the socket

    def send(self, message: tuple) -> None:
        """Send one message to the app; a closed connection is ignored (the app is gone)."""
        with self._send_lock:
            try:
                self.conn.send(message)
            except OSError:
                pass

    def listen(self) -> None:
        """Read the app's messages until it closes the connection, then end this process at once.

        Nothing here is the learner's to lose (every loss is already in the app), and waiting for a
        step or for torch's import to finish would hold up the app's quitting."""
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                if self.ranked_checkpoint:  # the last data-parallel run's temporary checkpoint
                    try:
                        os.unlink(self.ranked_checkpoint)
                    except OSError:
                        pass
                os._exit(0)
            self.handle(message)

    def handle(self, message: tuple) -> None:
        """Act on one message from the app."""
        kind = message[0]
        if kind == "run":
            # The control exists as soon as the run is asked for, so a pause or stop sent right
            # after it is not lost while the trainer is still being built.
            if message[1].nproc > 1:
                from tui.core.training.distributed import SharedControl

                self.control = SharedControl()  # read by rank 0, a process of its own
            else:
                self.control = RunControl()
            self.runs.put((message[1], self.control))
        elif kind in ("pause", "resume", "stop") and self.control is not None:
            getattr(self.control, kind)()
        elif kind == "lr" and self.control is not None:
            self.control.new_lr = float(message[1])
        elif kind == "save":
            self.send(("saved", message[1], self.save(message[1])))

    ranked_checkpoint = ""
    """Where rank 0 of the last data-parallel run wrote its checkpoint at the end ('' if none)."""
    ranks_running = False

    def save(self, path: str) -> str:
        """Write the last run's checkpoint (:mod:`tui.core.training.checkpoint`) to ``path``; return an
        error message, or '' when it worked."""
        if self.ranks_running:
            return "a run on several processes is saved when it ends: stop it (x), then export (e)"
        if self.trainer is None and self.ranked_checkpoint:
            import shutil

            try:
                shutil.copyfile(self.ranked_checkpoint, path)
            except OSError as error:
                return f"could not write {path}: {error}"
            return ""
        if self.trainer is None:
            return "no run has been trained yet"
        from tui.core.training.checkpoint import CheckpointError, save

        try:
            save(self.trainer, path)
        except CheckpointError as error:
            return str(error)
        except Exception as error:  # anything else torch raises while saving
            return f"{type(error).__name__}: {error}"
        return ""

    def serve(self) -> None:
        """Run each requested run to its end, reporting as it goes (the listener ends the process)."""
        from tui.core.training.device import DeviceUnavailable
        from tui.core.training.engine import Trainer

        while True:
            config, control = self.runs.get()
            self.trainer = None  # a run that fails to build leaves nothing to save
            if config.nproc > 1:
                self.serve_ranks(config, control)
                continue
            try:
                self.trainer = Trainer(config)
            except Exception as error:  # a bad setting, a missing device, CUDA failing to start
                known = isinstance(error, (ConfigError, DeviceUnavailable))
                message = str(error) if known else f"The run could not be built: {type(error).__name__}: {error}"
                self.send(("report", Report.ended(config.lr, message)))
                continue
            self.send(("started", self.trainer.device_name))
            self.trainer.run(lambda report: self.send(("report", report)), control)


    def serve_ranks(self, config: TrainConfig, control: Any) -> None:
        """A data-parallel run: ``config.nproc`` ranks forked from here; rank 0 sends the reports on
        this process's connection (nothing else is sent while it runs: saves are refused meanwhile)."""
        import tempfile

        from tui.core.training.distributed import LaunchError, Plan, launch

        if self.ranked_checkpoint:  # one temporary checkpoint at a time: the last run's
            try:
                os.unlink(self.ranked_checkpoint)
            except OSError:
                pass
        handle, checkpoint = tempfile.mkstemp(prefix="tensordojo-ranks-", suffix=".pt")
        os.close(handle)
        self.ranked_checkpoint, self.ranks_running = checkpoint, True
        try:
            launch(config, Plan(nproc=config.nproc), _AppSink(self), save_to=checkpoint, control=control)
        except LaunchError as error:
            self.ranked_checkpoint = ""
            os.unlink(checkpoint)
            self.send(("report", Report.ended(config.lr, f"The run on {config.nproc} processes ended: {error}.")))
        except Exception as error:  # no free port, a backend that cannot start here
            self.ranked_checkpoint = ""
            os.unlink(checkpoint)
            self.send(("report", Report.ended(config.lr, f"The run on {config.nproc} processes could not start: "
                                                         f"{type(error).__name__}: {error}")))
        finally:
            self.ranks_running = False


class _AppSink:
    """Rank 0's reports, sent to the app on the training process's connection (inherited by the fork)."""

    def __init__(self, host: _Host) -> None:
        self.host = host

    def started(self, trainer: Any) -> None:
        """Rank 0 built its model: say where the run trains."""
        self.host.send(("started", f"{trainer.device_name} · {trainer.world} processes"))

    def report(self, report: Report) -> None:
        """One report, as a one-process run sends it."""
        self.host.send(("report", report))

    def finish(self, trainer: Any, final: Report) -> None:
        """The last report was already sent by the loop."""


def warm_up() -> None:
    """Import torch and build one Adam step now, so the first run does not wait for them (about 1 s of
    ``torch._dynamo`` imports come with the first optimizer)."""
    import torch

    from tui.core.training.device import set_training_threads

    set_training_threads()  # as in the benchmark's bare loop; the app's UI keeps the other core
    layer = torch.nn.Linear(2, 2)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 2)).sum().backward()
    optimizer.step()


def main(argv: list[str]) -> None:
    """``python -m tui.core.training.child FD``."""
    from tui.core.processes.parent_death import die_with_parent

    die_with_parent()
    conn = Connection(int(argv[0]))
    host = _Host(conn)
    listener = threading.Thread(target=host.listen, name="training-commands", daemon=True)
    listener.start()
    warm_up()
    host.send(("ready",))
    host.serve()


if __name__ == "__main__":
    main(sys.argv[1:])
