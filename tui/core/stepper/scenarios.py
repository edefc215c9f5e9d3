"""The stepper's scenarios: a scalar, a vector, a training step, micro-batch accumulation, two ranks."""

from __future__ import annotations

import copy
from typing import Any

from tui.core.stepper.base import ActionResult, Refused, Row, Scenario, View, fmt
from tui.core.stepper.graph import graph_lines

NO_OPTIMIZER = "This scenario has no optimizer; the training-step scenario has one."


class FunctionScenario(Scenario):
    """x with requires_grad, and y computed from it; each backward recomputes y and accumulates."""

    actions = {"f": "forward", "b": "backward", "z": "zero_grad"}  # no optimizer: no s
    start: list[float] = []
    formula = ""

    def compute(self, x: Any) -> Any:
        """y as a function of x."""
        raise Refused("this scenario has no formula")

    def reset(self) -> None:
        import torch

        self.x = torch.tensor(self.start, requires_grad=True)
        self.y: Any = None

    def apply(self, action: str) -> ActionResult:
        if action == "forward":
            self.y = self.compute(self.x)
            return ActionResult(f"y = {self.formula}", f"y = {fmt(self.y)}: a new graph from x to y.")
        if action == "backward":
            had = self.x.grad is not None and bool(self.x.grad.abs().sum() > 0)
            self.y = self.compute(self.x)
            self.y.backward()
            message = (f"backward() ADDED this gradient to the one already in x.grad, which is now {fmt(self.x.grad)}: "
                       "gradients accumulate; they are not replaced." if had else
                       f"x.grad now holds dy/dx = {fmt(self.x.grad)}.")
            return ActionResult(f"y = {self.formula}\ny.backward()", message)
        if action == "zero_grad":
            if self.x.grad is None:
                raise Refused("x.grad is None: there is nothing to zero until a backward has run (b).")
            self.x.grad.zero_()
            return ActionResult("x.grad.zero_()", "x.grad is zero again; the next backward starts from scratch.")
        raise Refused(NO_OPTIMIZER)

    def view(self) -> View:
        rows = [Row("x", fmt(self.x), fmt(self.x.grad), str(tuple(self.x.shape))),
                Row("y", fmt(self.y) if self.y is not None else "— (not computed)", "—")]
        return View(rows, graph=graph_lines(self.y, {id(self.x): "x"}))


class ScalarScenario(FunctionScenario):
    """The default: y = 3x² at x = 2, so each backward adds 12."""

    key, label, title = "scalar", "scalar", "Scalar: y = 3 * x * x"
    about = ("x = torch.tensor([2.], requires_grad=True). Each b computes y = 3 * x * x and calls y.backward(): "
             "dy/dx = 6x = 12 goes into x.grad, and again, and again. z zeroes it.")
    start, formula = [2.0], "3 * x * x"

    def compute(self, x: Any) -> Any:
        return 3 * x * x


class VectorScenario(FunctionScenario):
    """y = sum(x² + x): the gradient is 2x + 1, and it accumulates the same way."""

    key, label, title = "vector", "vector", "Vector: y = (x**2 + x).sum()"
    about = ("x = torch.tensor([2., 3., 4.], requires_grad=True), y = (x**2 + x).sum(). The gradient of y is "
             "2x + 1 = [5, 7, 9] element by element; press b twice to see it add up.")
    start, formula = [2.0, 3.0, 4.0], "(x**2 + x).sum()"

    def compute(self, x: Any) -> Any:
        return (x**2 + x).sum()


class TrainingScenario(Scenario):
    """A tiny MLP, three batches, plain SGD: forward, backward, step and zero_grad in any order."""

    key, label, title = "training", "training", "Training step: forward, backward, step, zero_grad"
    about = ("A 2-2-1 MLP (tanh), three batches of 4 samples, SGD with lr = 0.1. f runs the next batch forward, "
             "b runs backward, s steps the optimizer, z zeroes the gradients. Try b twice, or s without z.")
    actions = {"f": "forward", "b": "backward", "s": "step", "z": "zero_grad"}
    LR = 0.1

    def reset(self) -> None:
        import torch

        torch.manual_seed(0)
        self.model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))
        inputs = torch.randn(12, 2)
        targets = inputs[:, :1] - 2 * inputs[:, 1:]
        self.batches = [(inputs[i:i + 4], targets[i:i + 4]) for i in range(0, 12, 4)]
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=self.LR)
        self.loss: Any = None
        self.batch = 0
        self.summed: list[int] = []

    def apply(self, action: str) -> ActionResult:
        import torch.nn.functional as F

        if action == "forward":
            inputs, targets = self.batches[self.batch % len(self.batches)]
            self.batch += 1
            self.loss = F.mse_loss(self.model(inputs), targets)
            return ActionResult(f"loss = F.mse_loss(model(x_batch), y_batch)  # batch {self.batch}",
                                f"loss = {self.loss.item():.4f} on batch {self.batch}; its graph is ready for backward.")
        if action == "backward":
            if self.loss is None:
                raise Refused("There is no loss yet: run the forward pass first (f).")
            had = [b for b in self.summed]
            self.loss.backward()
            self.summed.append(self.batch)
            if had:
                return ActionResult("loss.backward()", (
                    f"The gradient of batch {self.batch} was ADDED to what .grad held from batch(es) "
                    f"{', '.join(map(str, had))}. A step now moves the weights by lr x the sum of "
                    f"{len(self.summed)} batches' gradients: a bigger, mixed step, unless that is what you meant."))
            return ActionResult("loss.backward()", f"Each parameter's .grad now holds d loss / d parameter for batch {self.batch}.")
        if action == "step":
            if all(p.grad is None for p in self.model.parameters()):
                raise Refused("optimizer.step() would do nothing: no parameter has a .grad yet. Run backward (b) first.")
            self.optimizer.step()
            return ActionResult("optimizer.step()", f"Each parameter moved by -lr x .grad (lr = {self.LR}). The gradients "
                                                    "are still there: zero them (z) before the next backward, or they add up.")
        self.optimizer.zero_grad()
        self.summed = []
        return ActionResult("optimizer.zero_grad()", "Gradients cleared (set to None, PyTorch's default).")

    def view(self) -> View:
        names = {}
        rows = []
        for name, param in self.model.named_parameters():
            names[id(param)] = name
            rows.append(Row(name, fmt(param), fmt(param.grad), str(tuple(param.shape))))
        loss = f"{self.loss.item():.4f} (batch {self.batch})" if self.loss is not None else "— (run f)"
        extra = [f"loss: {loss}", f"backward passes summed in .grad: {len(self.summed)}"]
        return View(rows, extra=extra, graph=graph_lines(self.loss, names), numbers={"summed": len(self.summed)})


class MicroBatchScenario(Scenario):
    """Accumulating over k micro-batches gives the full-batch gradient only when the loss is divided by k."""

    K = 4
    key, label, title = "micro", "micro-batches", f"Micro-batches: accumulate {K} and compare"
    about = (f"One batch of 8 samples split into {K} micro-batches of 2. Each b runs one micro-batch forward and "
             f"backward on two copies of the same model: one divides the loss by {K}, one does not. Their "
             "accumulated gradients are compared with the full batch's.")
    actions = {"b": "next micro-batch", "z": "zero_grad"}

    def reset(self) -> None:
        import torch
        import torch.nn.functional as F

        torch.manual_seed(0)
        template = torch.nn.Linear(3, 1)
        self.inputs = torch.randn(8, 3)
        self.targets = self.inputs @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
        self.scaled, self.unscaled, full = (copy.deepcopy(template) for _ in range(3))
        F.mse_loss(full(self.inputs), self.targets).backward()
        self.full = {name: p.grad.clone() for name, p in full.named_parameters()}
        self.done = 0

    def apply(self, action: str) -> ActionResult:
        import torch.nn.functional as F

        if action == "zero_grad":
            for model in (self.scaled, self.unscaled):
                model.zero_grad()
            self.done = 0
            return ActionResult("model.zero_grad()", "Both copies start accumulating again.")
        if action == "forward":
            raise Refused("Here b runs each micro-batch forward and backward together; press b.")
        if action != "backward":
            raise Refused(NO_OPTIMIZER)
        if self.done == self.K:
            raise Refused(f"All {self.K} micro-batches are in. Press z to start accumulating again, or r to reset.")
        rows = slice(2 * self.done, 2 * self.done + 2)
        (F.mse_loss(self.scaled(self.inputs[rows]), self.targets[rows]) / self.K).backward()
        F.mse_loss(self.unscaled(self.inputs[rows]), self.targets[rows]).backward()
        self.done += 1
        code = (f"loss = F.mse_loss(model(x[{rows.start}:{rows.stop}]), y[{rows.start}:{rows.stop}]) / {self.K}\n"
                f"loss.backward()   # the other copy: the same without / {self.K}")
        if self.done < self.K:
            return ActionResult(code, f"Micro-batch {self.done} of {self.K} added to both copies' .grad.")
        numbers = self._compare()
        return ActionResult(code, (
            f"All {self.K} micro-batches done. Largest difference from the full-batch gradient: "
            f"{numbers['scaled_diff']:.1e} with the loss divided by {self.K} (the same, up to rounding); "
            f"without dividing, the accumulated gradient is {numbers['unscaled_ratio']:.2f} times the full batch's."))

    def _compare(self) -> dict[str, float]:
        scaled = max(float((p.grad - self.full[n]).abs().max()) for n, p in self.scaled.named_parameters() if p.grad is not None)
        ratios = [float(p.grad.norm() / self.full[n].norm()) for n, p in self.unscaled.named_parameters() if p.grad is not None]
        return {"scaled_diff": scaled, "unscaled_ratio": sum(ratios) / len(ratios), "done": float(self.done)}

    def view(self) -> View:
        rows = []
        for name, p in self.scaled.named_parameters():
            other = dict(self.unscaled.named_parameters())[name]
            rows.append(Row(name, fmt(self.full[name]), f"{fmt(p.grad)}  ·  {fmt(other.grad)}", str(tuple(p.shape))))
        extra = [f"micro-batches accumulated: {self.done} of {self.K}"]
        numbers: dict[str, float] = {"done": float(self.done)}
        if self.done:
            numbers = self._compare()
            extra.append(f"largest |accumulated (loss / {self.K}) - full batch|: {numbers['scaled_diff']:.1e}")
            extra.append(f"accumulated (no / {self.K}) is {numbers['unscaled_ratio']:.2f} x the full batch")
        return View(rows, ("parameter", "full-batch .grad", f"accumulated .grad: loss / {self.K}  ·  no / {self.K}"),
                    extra=extra, numbers=numbers)


def _scenarios() -> dict[str, type[Scenario]]:
    from tui.core.stepper.two_ranks import TwoRanksScenario  # its own module (the data-parallel lesson's)

    classes = (ScalarScenario, VectorScenario, TrainingScenario, MicroBatchScenario, TwoRanksScenario)
    return {cls.key: cls for cls in classes}


SCENARIOS: dict[str, type[Scenario]] = _scenarios()


def make_scenario(key: str) -> Scenario:
    """A scenario by key (``scalar``, ``vector``, ``training``, ``micro``, ``two-ranks``)."""
    if key not in SCENARIOS:
        raise KeyError(f"unknown scenario {key!r}; the scenarios are: {', '.join(SCENARIOS)}")
    return SCENARIOS[key]()
