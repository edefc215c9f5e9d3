"""The ``tensordojo`` command: the parser, the app, lessons, reset, trace, train and bench.

Authoring commands live in ``tui/cli_authoring.py``, the exercise loop (exercises, start, check) in
``tui/cli_practice.py``, workshop commands in ``tui/cli_workshop.py``, what they share in
``tui/cli_shared.py``.

Every user error is one line on stderr and exit status 2; no traceback reaches the user.
The heavy imports (Textual, the app) happen only in the subcommands that need them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from tui import __version__
from tui.cli_authoring import lint, new_lesson
from tui.cli_practice import check, list_exercises, start
from tui.cli_shared import UsageError, course, load_lessons, open_store, set_course
from tui.cli_workshop import add_serve_parser, progress, serve


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = _Parser(prog="tensordojo", description="Learn PyTorch by doing, in your terminal.")
    parser.add_argument("--version", action="version", version=f"tensordojo {__version__}")
    parser.add_argument("--lesson", metavar="ID", help="open this lesson at once")
    parser.add_argument("--lessons", metavar="DIR", action="append", default=[],
                        help="add a folder of lesson modules as a pack (repeatable; also $TENSORDOJO_LESSONS)")
    parser.add_argument("--watch", action="store_true", help="reload an open lesson when its file is saved (authors)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser("app", help="launch the app (the default)")
    listing = commands.add_parser("lessons", help="list the lessons with your progress")
    listing.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    new = commands.add_parser("new-lesson", help="write a lesson module with one step of each kind, to edit")
    new.add_argument("lesson_id", metavar="ID", help="the lesson id: lower-case words joined by '-'")
    new.add_argument("--dir", type=Path, default=Path("."), help="the folder to write it in (default: here)")
    add_serve_parser(commands)
    progress = commands.add_parser("progress", help="export your progress, or merge a class's exported files")
    shape = progress.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the export as JSON (the file to hand in)")
    shape.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    progress.add_argument("--name", help="the learner's name in the export (default: your user name)")
    progress.add_argument("--merge", nargs="+", type=Path, metavar="FILE",
                          help="merge exported JSON files (or a served class's folder) into one table")
    progress.add_argument("--class", dest="class_dir", type=Path, metavar="DIR",
                          help="watch a served class live: learner by lesson, step, passed, attempts, who is stuck")
    progress.add_argument("--once", action="store_true", help="with --class: print the table once and exit")
    commands.add_parser("exercises", help="list the graded exercises: what each file defines, and which you passed")
    begin = commands.add_parser("start", help="write an exercise's task, starter code and hints to a file, to edit")
    begin.add_argument("exercise", metavar="EXERCISE_ID", help="lesson.exercise, like reductions.row-means")
    begin.add_argument("file", nargs="?", type=Path, metavar="FILE", help="where (default: reductions_row_means.py here)")
    begin.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    check = commands.add_parser("check", help="grade a file against an exercise's hidden tests (and record it)")
    check.add_argument("exercise", metavar="EXERCISE_ID", help="lesson.exercise, like reductions.row-means "
                       "(leave it out for a file written by 'start': its first line names it)")
    check.add_argument("file", nargs="?", type=Path, metavar="FILE", help="your Python file")
    check.add_argument("--watch", action="store_true", help="check again on every save, with the next hint after "
                       "each failure; ctrl+c stops")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument("--timeout", type=float, metavar="S", help="seconds the tests may take (default: the exercise's)")
    lint = commands.add_parser("lint", help="check lesson modules and report every problem")
    lint.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="lesson files or folders (default: the built-in lessons)")
    lint.add_argument("--quick", action="store_true", help="skip running exercises and try steps")
    reset = commands.add_parser("reset", help="forget your progress in one lesson or all of them")
    reset.add_argument("lesson", nargs="?", metavar="ID", help="the lesson to reset")
    reset.add_argument("--all", action="store_true", help="reset every lesson")
    trace = commands.add_parser("trace", help="run Python code and print every torch op with its shapes; explain shape errors")
    trace.add_argument("file", nargs="?", type=Path, help="a Python script")
    trace.add_argument("-c", dest="code", metavar="CODE", help="code to run instead of a file")
    trace.add_argument("script_args", nargs=argparse.REMAINDER, metavar="ARGS", help="arguments the script gets in sys.argv")
    train = commands.add_parser("train", help="train an MLP on a synthetic dataset, without the app")
    train.add_argument("--dataset", default="spirals", help="toy, spirals, moons, circles or xor (default spirals)")
    train.add_argument("--hidden", default="64,64", help="hidden layer sizes, like 64,64 (default)")
    train.add_argument("--activation", default="relu", help="relu, tanh, sigmoid, gelu or leaky_relu")
    train.add_argument("--optimizer", default="adam", help="sgd, momentum, adam or adamw (default adam)")
    train.add_argument("--lr", type=float, default=0.01, help="learning rate (default 0.01)")
    train.add_argument("--batch-size", type=int, default=256, help="samples per step (default 256)")
    train.add_argument("--accum", type=int, default=1, help="micro-batches per step (gradient accumulation)")
    train.add_argument("--steps", type=int, default=None, help="optimizer steps (default 2000; with --resume, the "
                       "step to train up to, default the saved run's)")
    train.add_argument("--device", default=None, help="auto (CUDA, then MPS, then CPU; the default), cpu, cuda or mps")
    train.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    train.add_argument("--gpu-memory-fraction", type=float, default=None, metavar="F",
                       help="use at most this share of the GPU's memory, like 0.25 (default: $TENSORDOJO_GPU_FRACTION or 1)")
    train.add_argument("--jsonl", action="store_true", help="print one JSON object per step, then a summary")
    ranks = train.add_argument_group("data-parallel (torch.distributed; torchrun's meanings)")
    ranks.add_argument("--nproc", default="1", metavar="N", help="ranks on this machine: a number, or auto (one per "
                       "GPU, else 1); --batch-size is per rank, the global batch is that x all ranks, the lr is as set")
    ranks.add_argument("--nnodes", type=int, default=1, help="machines taking part (default 1)")
    ranks.add_argument("--node-rank", type=int, default=0, help="this machine's number, 0 to nnodes-1 (default 0)")
    ranks.add_argument("--master-addr", default="127.0.0.1", help="node 0's address, the same on every node")
    ranks.add_argument("--master-port", type=int, default=None, help="node 0's rendezvous port (default: a free one "
                       "on one node, 29500 on several)")
    ranks.add_argument("--check-equivalence", action="store_true", help="train the ranks and one process on the "
                       "global batch in float64 and print how far their parameters are apart")
    train.add_argument("--resume", type=Path, metavar="FILE", help="go on training a run exported from the training "
                       "view (its checkpoint.pt): its settings, weights, optimizer state and step come from the file")
    bench = commands.add_parser("bench", help="measure first paint, the REPL's latencies and the inspector's cost")
    bench.add_argument("--runs", type=int, default=7, help="how many launches to time (default 7)")
    bench.add_argument("--round-trips", type=int, default=50, help="REPL runs of 1 + 1 to time (default 50)")
    bench.add_argument("--json", action="store_true", help="only the training figures, as one JSON object")
    bench.add_argument("--device", default="cpu", help="device for the training figures (default cpu)")
    return parser


def _check_lesson_id(catalogue, lesson_id: str) -> None:
    from tui.core.lesson import BrokenLesson

    entry = catalogue.get(lesson_id)
    if entry is None:
        raise UsageError(f"unknown lesson '{lesson_id}'; the lessons are: {', '.join(catalogue.ids)}")
    if isinstance(entry, BrokenLesson):
        raise UsageError(f"lesson '{lesson_id}' is broken: {entry.where}: {entry.error}")


def run_app(lesson: str | None, watch: bool = False) -> int:
    """Launch the app, optionally at a lesson."""
    if lesson:
        _check_lesson_id(load_lessons(), lesson)
    from tui.app import make_app

    make_app(start_lesson=lesson, course=course(), watch=watch).run()
    return 0


def list_lessons(as_json: bool) -> int:
    """Print the lessons with the learner's progress."""
    from tui.core.lesson import BrokenLesson

    catalogue, store = load_lessons(say_broken=False), open_store()  # listed below, with why
    statuses = store.statuses()
    rows = []
    for entry in catalogue.entries:
        row = entry.to_dict()
        row["status"] = "broken" if isinstance(entry, BrokenLesson) else statuses.get(entry.id, "not started")
        rows.append(row)
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r["id"]) for r in rows), default=2)
    for row in rows:
        detail = row.get("error") or f"{row['steps']} steps, {row['minutes']} min"
        pack = f"  [pack {row['pack']}]" if row.get("pack") not in ("", "tensordojo") else ""
        print(f"{row['id']:<{width}}  {row['status']:<12} {row['title']}  ({detail}){pack}")
    return 0


def reset(lesson: str | None, everything: bool) -> int:
    """Forget progress in one lesson or in all."""
    if bool(lesson) == everything:
        raise UsageError("say which lesson to reset, or --all (not both)")
    if lesson:
        _check_lesson_id(load_lessons(), lesson)
    open_store().reset(lesson)
    print(f"Reset the progress of {'every lesson' if everything else repr(lesson)}.")
    return 0


def trace(file: Path | None, code: str | None, script_args: list[str] | None = None) -> int:
    """Run a script under the shape tracer: exit 0 when it ran (or the script's own sys.exit status),
    1 when it raised (a shape error explained)."""
    if (file is None) == (code is None):
        raise UsageError("give a script file or -c CODE (one of them)")
    if file is not None:
        if not file.is_file():
            raise UsageError(f"no such file: {file}")
        try:
            code, name = file.read_text(encoding="utf-8"), str(file)
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {file}: {error}") from None
    else:
        name = "<-c>"
    from tui.core.tracing.report import run_traced, trace_lines

    run = run_traced(code, name, list(script_args or []))  # type: ignore[arg-type]
    print("\n".join(trace_lines(run.tracer.ops, run.tracer.dropped, run.tracer.late_notes, run.tracer.sampled)))
    if run.error is None:
        return run.exit_code or 0
    print()
    print("\n".join(run.error_text))
    if run.explanation is not None:
        print("\n".join(run.explanation.lines()))
    return 1


def train(args: argparse.Namespace) -> int:
    """Train headless: exit 0 when the run finished, 1 when it stopped (NaN, out of memory)."""
    from tui.core.training.checkpoint import CheckpointError
    from tui.core.training.config import ConfigError, TrainConfig, parse_hidden
    from tui.core.training.device import DeviceUnavailable

    try:
        if args.resume is not None:
            config, saved = _resumed_config(args)
        else:
            saved = None
            config = TrainConfig(dataset=args.dataset, hidden=parse_hidden(args.hidden), activation=args.activation,
                                 optimizer=args.optimizer, lr=args.lr, batch_size=args.batch_size, accum=args.accum,
                                 steps=2000 if args.steps is None else args.steps, device=args.device or "auto",
                                 seed=args.seed,
                                 **({"gpu_fraction": args.gpu_memory_fraction} if args.gpu_memory_fraction is not None else {})
                                 ).validate()
        plan = _rank_plan(args)
        if plan.world > 1 or args.check_equivalence:
            if saved is not None:
                raise UsageError("--resume trains in one process; leave out --nproc and --nnodes")
            return _train_ranks(config, plan, args)
        from tui.core.training.headless import run_jsonl, run_with_progress

        final = run_jsonl(config, resume=saved) if args.jsonl else run_with_progress(config, resume=saved)
    except (ConfigError, DeviceUnavailable, CheckpointError) as error:
        raise UsageError(str(error)) from None
    return 0 if final.reason == "finished" else 1


def _rank_plan(args: argparse.Namespace):
    """The data-parallel settings, checked; every problem named."""
    from tui.core.training.distributed import DEFAULT_PORT, Plan, auto_nproc

    if args.nproc == "auto":
        nproc = auto_nproc()
    elif str(args.nproc).isdigit():
        nproc = int(args.nproc)
    else:
        raise UsageError(f"--nproc {args.nproc!r}: give a number of processes, like 2, or auto")
    port = args.master_port if args.master_port is not None else (DEFAULT_PORT if args.nnodes > 1 else 0)
    plan = Plan(nproc, args.nnodes, args.node_rank, args.master_addr, port)
    problems = plan.problems()
    if problems:
        raise UsageError("; ".join(problems))
    return plan


def _train_ranks(config, plan, args: argparse.Namespace) -> int:
    """``--nproc N`` (or several nodes): exit 0 when the run finished, 1 when it stopped or a rank failed."""
    from tui.core.training.distributed import LaunchError
    from tui.core.training.headless_ranks import check_equivalence, run_ranks

    try:
        if args.check_equivalence:
            if plan.nnodes > 1 or plan.world < 2:
                raise UsageError("--check-equivalence compares 2 or more ranks on this machine with one process: "
                                 "give --nproc 2 (or more) and one node")
            from dataclasses import replace

            same, lines = check_equivalence(config if args.steps is not None else replace(config, steps=200), plan)
            print("\n".join(lines))
            return 0 if same else 1
        outcome = run_ranks(config, plan, args.jsonl)
    except LaunchError as error:
        print(f"tensordojo: {error}", file=sys.stderr)
        return 1
    return 0 if outcome is None or outcome.get("reason") == "finished" else 1


def _resumed_config(args: argparse.Namespace):
    """The saved run's config (with ``--steps`` and ``--device`` when given) and the checkpoint."""
    from dataclasses import replace

    from tui.core.training.checkpoint import load

    saved = load(args.resume)
    config = replace(saved.config, steps=args.steps if args.steps is not None else saved.config.steps,
                     device=args.device or saved.config.device)
    if args.gpu_memory_fraction is not None:
        config = replace(config, gpu_fraction=args.gpu_memory_fraction)
    config.validate()
    if config.steps <= saved.step:
        raise UsageError(f"{args.resume} is already at step {saved.step:,} of {config.steps:,}: give --steps above "
                         f"{saved.step:,} to train further")
    return config, saved


def bench(runs: int, round_trips: int, as_json: bool = False, device: str = "cpu") -> int:
    """Time the first paint, the REPL, the inspector and training, and print the figures."""
    if runs < 1 or round_trips < 1:
        raise UsageError("--runs and --round-trips must be at least 1")
    from tui.bench.training import measure_training
    from tui.core.training.device import DeviceUnavailable, pick_device

    try:
        pick_device(device)
    except DeviceUnavailable as error:
        raise UsageError(str(error)) from None
    if as_json:
        figures = measure_training(device)
        print(json.dumps({**figures.summary(), "bare_runs": figures.bare_steps_per_s,
                          "cli_runs": figures.cli_steps_per_s, "app_runs": figures.app_steps_per_s}))
        return 0
    from tui.bench.first_paint import measure_first_paint
    from tui.bench.inspector import measure_inspector
    from tui.bench.repl import measure_repl

    if importlib.util.find_spec("pyte") is None:
        raise UsageError("the REPL figures read the app's screen through pyte, a terminal emulator: "
                         "install it with pip install pyte (or the test extras: pip install -e '.[test]')")
    print(measure_first_paint(runs).report(), flush=True)
    print(measure_repl(round_trips).report(), flush=True)
    print(measure_inspector(round_trips).report(), flush=True)
    print(measure_training(device).report())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tensordojo`` console script."""
    from tui.core.processes.parent_death import die_with_parent

    die_with_parent()  # a served tab's app ends with its server (a no-op unless the server asked)
    try:
        args = build_parser().parse_args(argv)
        set_course(args.lessons)
        if args.command == "lessons":
            return list_lessons(args.json)
        if args.command == "lint":
            return lint(args.paths, args.quick)
        if args.command == "serve":
            return serve(args, list(course().folders))
        if args.command == "progress":
            return progress(args)
        if args.command == "new-lesson":
            return new_lesson(args.lesson_id, args.dir)
        if args.command == "exercises":
            return list_exercises()
        if args.command == "check":
            exercise, file = (args.exercise, args.file) if args.file else (None, Path(args.exercise))
            return check(exercise, file, args.json, args.timeout, args.watch)
        if args.command == "start":
            return start(args.exercise, args.file, args.force)
        if args.command == "reset":
            return reset(args.lesson, args.all)
        if args.command == "trace":
            return trace(args.file, args.code, args.script_args)
        if args.command == "train":
            return train(args)
        if args.command == "bench":
            return bench(args.runs, args.round_trips, args.json, args.device)
        return run_app(args.lesson, args.watch)
    except UsageError as error:
        print(f"tensordojo: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output went to a pipe that closed early (`| head`): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
