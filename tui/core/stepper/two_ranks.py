"""The stepper's "two ranks" scenario: data parallelism as gradient accumulation across processes.

Two copies of one model stand for rank 0 and rank 1 (the same seed, so the same weights). A batch of
8 samples is sharded the way ``DistributedSampler`` shards a dataset: rank 0 takes samples 0, 2, 4,
6 and rank 1 takes 1, 3, 5, 7. ``b`` runs the next rank's shard forward and backward, ``s`` does
what DDP's ``all_reduce`` does (sum both ranks' gradients, divide by 2, give both the result) and
then the optimizer step on each rank, and the comparison with the full batch's gradient shows they
are the same. Everything runs in this process: it shows the arithmetic, not the processes.
"""

from __future__ import annotations

import copy

from tui.core.stepper.base import ActionResult, Refused, Row, Scenario, View, fmt

WORLD = 2


class TwoRanksScenario(Scenario):
    """Each rank's shard gradient, the all-reduce mean, and the match with the full batch's gradient."""

    key, label, title = "two-ranks", "two ranks", "Two ranks: all_reduce is accumulation across processes"
    about = ("Rank 0 and rank 1 hold copies of the same model and take every other sample of a batch of 8. "
             "b: the next rank's shard forward and backward. s: all_reduce (the mean of both ranks' .grad, "
             "given to both), then optimizer.step() on each. Compare with the full batch's gradient.")
    actions = {"b": "next rank's backward", "s": "all_reduce + step", "z": "zero_grad"}

    def reset(self) -> None:
        import torch
        import torch.nn.functional as F

        torch.manual_seed(0)
        template = torch.nn.Linear(3, 1)
        self.inputs = torch.randn(8, 3)
        self.targets = self.inputs @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
        self.ranks = [copy.deepcopy(template) for _ in range(WORLD)]
        self.optimizers = [torch.optim.SGD(rank.parameters(), lr=0.1) for rank in self.ranks]
        self.done = 0  # ranks whose backward ran since the last step
        self.reduced = False
        self._full_gradient()

    def _full_gradient(self) -> None:
        """The whole batch's gradient at the ranks' current weights, in one process, for comparison."""
        import torch.nn.functional as F

        full = copy.deepcopy(self.ranks[0])
        full.zero_grad()
        F.mse_loss(full(self.inputs), self.targets).backward()
        self.full = {name: p.grad.clone() for name, p in full.named_parameters()}

    def apply(self, action: str) -> ActionResult:
        import torch
        import torch.nn.functional as F

        if action == "zero_grad":
            for rank in self.ranks:
                rank.zero_grad()
            self.done, self.reduced = 0, False
            self._full_gradient()
            return ActionResult("model.zero_grad()   # on every rank", "Both ranks' .grad are cleared.")
        if action == "forward":
            raise Refused("Here b runs a rank's shard forward and backward together; press b.")
        if action == "backward":
            if self.reduced:
                raise Refused("The ranks' .grad still hold the last step's gradient: press z (zero_grad) first, "
                              "as a training loop does before each batch.")
            if self.done == WORLD:
                raise Refused("Both ranks have their gradients: press s to all-reduce and step, or z to start again.")
            rank = self.done
            shard = slice(rank, None, WORLD)
            F.mse_loss(self.ranks[rank](self.inputs[shard]), self.targets[shard]).backward()
            self.done += 1
            code = (f"# on rank {rank}: its shard, samples {rank}, {rank + 2}, {rank + 4}, {rank + 6}\n"
                    f"loss = F.mse_loss(model(x[{rank}::{WORLD}]), y[{rank}::{WORLD}])\nloss.backward()")
            return ActionResult(code, f"Rank {rank}'s .grad is the gradient of its own 4 samples only; it differs "
                                      "from the other rank's and from the full batch's.")
        if action != "step":
            raise Refused("This scenario's actions are b, s and z.")
        if self.reduced:
            raise Refused("This step is done: press z (zero_grad), then b for each rank.")
        if self.done < WORLD:
            raise Refused(f"all_reduce waits for every rank: {WORLD - self.done} rank(s) have not run backward (press b).")
        with torch.no_grad():
            for params in zip(*(rank.parameters() for rank in self.ranks)):
                mean = sum(p.grad for p in params) / WORLD  # what dist.all_reduce(SUM) then / world_size gives
                for p in params:
                    p.grad.copy_(mean)
        gap = self._gap()
        self.reduced = True
        for optimizer in self.optimizers:
            optimizer.step()
        self.done = 0
        code = ("for p in model.parameters():   # on every rank; DDP does this during backward\n"
                "    dist.all_reduce(p.grad)      # the SUM over ranks, in place\n"
                f"    p.grad /= {WORLD}                 # world_size: the mean\noptimizer.step()")
        return ActionResult(code, f"After all_reduce both ranks hold the same .grad, {gap:.1e} from the full batch's: "
                                  "the mean of the shard means is the full batch's mean. The same step on the same "
                                  "weights keeps the ranks identical.")

    def _gap(self) -> float:
        """The largest difference between rank 0's gradient and the full batch's."""
        return max(float((p.grad - self.full[n]).abs().max()) for n, p in self.ranks[0].named_parameters())

    def view(self) -> View:
        rows = []
        other = dict(self.ranks[1].named_parameters())
        for name, p in self.ranks[0].named_parameters():
            rows.append(Row(name, fmt(self.full[name]), f"{fmt(p.grad)}  ·  {fmt(other[name].grad)}", str(tuple(p.shape))))
        weights_equal = all(bool((a == b).all()) for a, b in zip(*(rank.parameters() for rank in self.ranks)))
        extra = [f"ranks with gradients since the last step: {self.done} of {WORLD}",
                 f"rank 0 and rank 1 weights identical: {'yes' if weights_equal else 'NO'}"]
        numbers = {"done": float(self.done), "weights_equal": float(weights_equal)}
        if self.reduced:
            extra.append(f"after all_reduce: largest |rank .grad - full-batch .grad| = {self._gap():.1e}")
        return View(rows, ("parameter", "full-batch .grad", ".grad: rank 0  ·  rank 1"),
                    extra=extra, numbers=numbers)
