"""Hidden tests of the ``gpu`` lesson's exercises; they run on any machine (the meta device stands in for a GPU,
and the learner's process pretends CUDA or MPS is there)."""

from __future__ import annotations

import secrets
from typing import Any

from tui.core.grading.cases import Submission, named, obey_rules
from tui.core.grading.checks import Fail, compare_number, describe
from tui.core.grading.learner import LearnerRaised


@named("CUDA first, then MPS, then the CPU")
def picks_in_order(sub: Submission, ref: Submission) -> None:
    import torch

    for cuda, mps, want in ((True, False, "cuda"), (False, True, "mps"), (False, False, "cpu"), (True, True, "cuda")):
        call = sub.call("pick_device", pretend={"cuda": cuda, "mps": mps})
        if call.error is not None:
            raise call.error
        got = call.result
        if not isinstance(got, torch.device):
            hint = "; wrap it: torch.device(...)" if isinstance(got, str) else ""
            raise Fail(f"pick_device() should return a torch.device, but returned {describe(got)}{hint}")
        kind = got.type
        there = ", ".join(n for n, on in (("CUDA", cuda), ("MPS", mps)) if on) or "neither CUDA nor MPS"
        if kind != want:
            raise Fail(f"with {there} available, pick_device() chose {kind}; it should choose {want}")


@named("every tensor moved, other values kept, the caller's dict untouched")
def moves_batches(sub: Submission, ref: Submission) -> None:
    import torch

    # Keys the learner cannot guess, so only code that walks the dict passes.
    x, y, ids, epoch = (f"{name}_{secrets.token_hex(3)}" for name in ("x", "y", "ids", "epoch"))
    batch = {x: torch.randn(4, 3), y: torch.tensor([0, 1, 1, 0]), ids: ["a", "b", "c", "d"], epoch: 3}
    original = dict(batch)
    device = torch.device("meta")  # a device on every machine, like a GPU that holds no data
    try:
        got = sub.move_batch(batch, device)
    except LearnerRaised as error:
        if error.info.get("type") != "KeyError":
            raise
        raise Fail(f"move_batch looked up a key this batch does not have ({error.describe()}): a batch's keys can "
                   "be anything, so loop over batch.items()") from None
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


@named("the mean as a float, with one read from the device")
def one_read(sub: Submission, ref: Submission) -> None:
    import torch

    for n in (1, 5, 50):
        losses = [torch.tensor(float(i) / 3 + 1) for i in range(n)]
        got = sub.mean_loss(losses)
        obey_rules(sub, "mean_loss")
        reads = sub.last.host_reads
        what = f"mean_loss of {n} loss{'es' * (n != 1)}"
        compare_number(got, ref.mean_loss(losses), what)
        if reads > 1:
            raise Fail(f"{what} read {reads} values to the host (.item(), float(), .tolist(), .cpu() and .numpy() "
                       "each wait for the device); combine them on the device and read once")


PICK_TESTS = [picks_in_order]
MOVE_TESTS = [moves_batches]
MEAN_TESTS = [one_read]
