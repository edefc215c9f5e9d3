"""Lesson 16: devices, moving tensors and modules, what runs where, and host synchronisation."""

from lessons.checks import gpu as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try

LESSON = Lesson(
    id="gpu",
    title="The GPU",
    summary="Put tensors and models on a device, keep them together, and avoid waiting on the GPU every step.",
    minutes=20,
    steps=[
        Prose("""
            # Every tensor lives somewhere

            A tensor's `device` says where its numbers are: `cpu`, `cuda` (an NVIDIA GPU;
            `cuda:1` is the second) or `mps` (Apple silicon). An operation runs where its
            inputs are, and **all inputs must be on the same device**:

            ```python
            ok = torch.cuda.is_available()
            device = torch.device("cuda" if ok else "cpu")
            x = torch.randn(9, 9, device=device)  # made
            y = torch.randn(9, 9).to(device)  # copied
            z = x @ y  # runs on that device
            ```
        """),
        Prose("""
            # Code that runs anywhere

            On a GPU machine, `x @ torch.randn(9, 9)` mixes devices and raises `RuntimeError:
            Expected all tensors to be on the same device`.

            Everything in this lesson runs without a GPU too: `device` is then the CPU. That is
            the point of choosing it with `torch.cuda.is_available()` (and, on a Mac,
            `torch.backends.mps.is_available()`) instead of writing `"cuda"`.
        """),
        Try(
            title="Where am I?",
            prompt="Run this: it asks which accelerators PyTorch can use here and puts a tensor on "
            "an NVIDIA GPU if there is one. Without one it prints `CUDA: False` and `cpu`, and everything still "
            "works.",
            code=(
                "cuda = torch.cuda.is_available()\n"
                "mps = torch.backends.mps.is_available()\n"
                "print('CUDA:', cuda, 'MPS:', mps)\n"
                "device = 'cuda' if cuda else 'cpu'\n"
                "x = torch.ones(3, device=device) * 2\n"
                "print(x.device, x.sum().item())"
            ),
        ),
        Prose("""
            # Models move too

            `model.to(device)` moves a model's parameters in place. A tensor's `.to(device)`
            returns a moved copy (unless it was there already) and leaves the tensor where it
            was, so keep the result. Move the model, make the optimizer, move each batch:

            ```python
            model = nn.Linear(10, 2).to(device)
            opt = torch.optim.Adam(model.parameters())
            xb, yb = torch.randn(8, 10), torch.randn(8, 2)
            xb, yb = xb.to(device), yb.to(device)
            F.mse_loss(model(xb), yb).backward()
            opt.step()
            ```
        """),
        Choice(
            title="The line that does nothing",
            prompt="On a GPU machine, which line leaves `x` on the CPU?",
            options=["x = x.to('cuda')", "x = x.cuda()", "x.to('cuda')"],
            answer="x.to('cuda')",
            why={
                "x = x.to('cuda')": "This keeps the returned copy, which lives on the GPU.",
                "x = x.cuda()": "x.cuda() is .to('cuda') by another name, and the result is kept.",
            },
            explain="For tensors, .to returns a new tensor; without assigning it, x stays where it was.",
        ),
        Prose("""
            # The GPU runs ahead of Python

            CUDA work is **queued**: `z = x @ y` returns at once while the GPU computes. Python
            only waits when it needs a value on the host: `.item()`, `print(t)`, `.tolist()`,
            `.cpu()`, `float(t)`, an `if` on a tensor. Each wait drains the queue and leaves the
            GPU idle while Python catches up.

            So the tutorials' `losses.append(loss.item())` **every step** costs a sync per step.
            With a small model, whose steps are short, those waits can take much of the time.
        """),
        Prose("""
            # Read losses in batches

            Keep losses on the device and read them fifty at a time:

            ```python
            window = []
            for step in range(100):
                loss = torch.rand((), device=device)
                window.append(loss.detach())  # no wait
                if step % 50 == 49:  # one wait per 50
                    values = torch.stack(window).tolist()
                    window.clear()
            ```

            The training view works this way. A CPU has no queue: nothing is lost there.
        """),
        Launch(
            title="Train on the best device",
            tool="training",
            scenario="gpu",
            prompt="""
                The training view with a larger MLP on device `auto`: the GPU when there is one,
                else the CPU (the stats name it, and the GPU's memory). Start it (s) and note the
                steps per second; then set the device to cpu and compare.
            """,
        ),
        Exercise(
            id="pick-device",
            title="Exercise: choose a device",
            prompt="""
                Write `pick_device()` returning a `torch.device`: CUDA if
                `torch.cuda.is_available()`, else MPS if `torch.backends.mps.is_available()`, else
                the CPU. The grader pretends each combination is present.
            """,
            names=["pick_device"],
            starter="""
                import torch


                def pick_device():
                    if torch.cuda.is_available():
                        return torch.device("cuda")
                    return torch.device("cpu")
            """,
            reference="""
                import torch


                def pick_device():
                    if torch.cuda.is_available():
                        return torch.device("cuda")
                    if torch.backends.mps.is_available():
                        return torch.device("mps")
                    return torch.device("cpu")
            """,
            tests=checks.PICK_TESTS,
            hints=["Apple machines have MPS, not CUDA.", "Check `torch.backends.mps.is_available()` between CUDA and the CPU."],
        ),
        Exercise(
            id="move-batch",
            title="Exercise: move a batch",
            prompt="""
                Write `move_batch(batch, device)`: `batch` is a dict whose values are tensors or
                other things (lists of ids, numbers). Return a **new** dict with every tensor moved
                to `device` and every other value as it was. Leave the caller's dict unchanged.
            """,
            names=["move_batch"],
            starter="""
                import torch


                def move_batch(batch, device):
                    for key, value in batch.items():
                        value.to(device)
                    return batch
            """,
            reference="""
                import torch


                def move_batch(batch, device):
                    moved = {}
                    for key, value in batch.items():
                        if isinstance(value, torch.Tensor):
                            value = value.to(device)
                        moved[key] = value
                    return moved
            """,
            tests=checks.MOVE_TESTS,
            hints=[
                "`.to` returns a new tensor; the starter throws it away (and lists have no .to).",
                "Build a new dict: for each key, `value.to(device)` if `isinstance(value, torch.Tensor)`, else the value.",
            ],
        ),
        Exercise(
            id="mean-loss",
            title="Exercise: one read, not fifty",
            prompt="""
                Write `mean_loss(losses)`: `losses` is a list of single-number tensors (on any
                device). Return their mean as a Python float, reading from the device **once**: the
                grader counts `.item()`, `float()` and `.tolist()` calls.
            """,
            names=["mean_loss"],
            starter="""
                import torch


                def mean_loss(losses):
                    values = [x.item() for x in losses]
                    return sum(values) / len(values)
            """,
            reference="""
                import torch


                def mean_loss(losses):
                    return torch.stack(losses).mean().item()
            """,
            tests=checks.MEAN_TESTS,
            hints=[
                "Combine the tensors into one on the device first.",
                "`torch.stack(losses)` makes one tensor; take its mean, then `.item()` once.",
            ],
        ),
        Prose("""
            # What you can do now

            - choose a device that works everywhere, and keep model and data on it;
            - remember that `tensor.to` returns a copy and `module.to` moves in place;
            - say when Python waits for the GPU, and read values in batches instead of every step.
        """),
    ],
)
