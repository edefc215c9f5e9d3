"""Hidden tests of the ``gpu`` lesson's exercises; they run on any machine (the meta device stands in for a GPU)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from tui.core.grading.cases import Submission, named
from tui.core.grading.checks import Fail, compare_number, describe


@contextmanager
def _accelerators(cuda: bool, mps: bool) -> Iterator[None]:
    import torch

    saved = torch.cuda.is_available, torch.backends.mps.is_available
    torch.cuda.is_available = lambda: cuda
    torch.backends.mps.is_available = lambda: mps
    try:
        yield
    finally:
        torch.cuda.is_available, torch.backends.mps.is_available = saved


@named("CUDA first, then MPS, then the CPU")
def picks_in_order(sub: Submission, ref: Submission) -> None:
    import torch

    for cuda, mps, want in ((True, False, "cuda"), (False, True, "mps"), (False, False, "cpu"), (True, True, "cuda")):
        with _accelerators(cuda, mps):
            got = sub.pick_device()
        try:
            kind = torch.device(got).type
        except (TypeError, RuntimeError):
            raise Fail(f"pick_device() should return a torch.device, but returned {describe(got)}") from None
        there = ", ".join(n for n, on in (("CUDA", cuda), ("MPS", mps)) if on) or "neither CUDA nor MPS"
        if kind != want:
            raise Fail(f"with {there} available, pick_device() chose {kind}; it should choose {want}")


@named("every tensor moved, other values kept, the caller's dict untouched")
def moves_batches(sub: Submission, ref: Submission) -> None:
    import torch

    batch = {"x": torch.randn(4, 3), "y": torch.tensor([0, 1, 1, 0]), "ids": ["a", "b", "c", "d"], "epoch": 3}
    original = dict(batch)
    device = torch.device("meta")  # a device on every machine, like a GPU that holds no data
    got = sub.move_batch(batch, device)
    if not isinstance(got, dict):
        raise Fail(f"move_batch should return a dict, but returned {describe(got)}")
    if any(batch[k] is not original[k] for k in original) or set(batch) != set(original):
        raise Fail("move_batch changed the caller's dict; build and return a new one")
    if set(got) != set(batch):
        raise Fail(f"move_batch returned the keys {sorted(got)}, but the batch has {sorted(batch)}")
    for key, value in batch.items():
        if isinstance(value, torch.Tensor):
            moved = got[key]
            if not isinstance(moved, torch.Tensor) or moved.device.type != "meta":
                raise Fail(f"move_batch left {key!r} on {getattr(moved, 'device', describe(moved))}; use .to(device)")
            if moved.shape != value.shape or moved.dtype != value.dtype:
                raise Fail(f"move_batch changed {key!r}: {tuple(moved.shape)} {moved.dtype} instead of "
                           f"{tuple(value.shape)} {value.dtype}")
        elif got[key] != value:
            raise Fail(f"move_batch changed {key!r}, which is not a tensor and should be passed on as it is")


@contextmanager
def _count_reads() -> Iterator[list[int]]:
    import torch

    reads = [0]
    saved = {name: getattr(torch.Tensor, name) for name in ("item", "tolist", "__float__", "__int__")}

    def counting(original: Any) -> Any:
        def read(self: Any, *args: Any) -> Any:
            reads[0] += 1
            return original(self, *args)

        return read

    for name, original in saved.items():
        setattr(torch.Tensor, name, counting(original))
    try:
        yield reads
    finally:
        for name, original in saved.items():
            setattr(torch.Tensor, name, original)


@named("the mean as a float, with one read from the device")
def one_read(sub: Submission, ref: Submission) -> None:
    import torch

    for n in (1, 5, 50):
        losses = [torch.tensor(float(i) / 3 + 1) for i in range(n)]
        with _count_reads() as reads:
            got = sub.mean_loss(losses)
        compare_number(got, ref.mean_loss(losses), f"mean_loss of {n} losses")
        if reads[0] > 1:
            raise Fail(f"mean_loss read {reads[0]} values to the host for {n} losses (.item(), float() or .tolist() "
                       "each wait for the device); combine them on the device and read once")


PICK_TESTS = [picks_in_order]
MOVE_TESTS = [moves_batches]
MEAN_TESTS = [one_read]
