"""Lesson: data parallelism, gradient accumulation across processes (torch.distributed, DDP)."""

from lessons.checks import data_parallel as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Typed

LESSON = Lesson(
    id="data-parallel",
    title="Data parallelism",
    summary="Train one model on several processes: each takes a shard of the batch, all_reduce averages the gradients.",
    minutes=25,
    steps=[
        Prose("""
            # Accumulation, spread over processes

            Gradient accumulation ran a big batch as micro-batches **one after the other**,
            adding their gradients before one step. Data parallelism runs them **at the same
            time**, one per process:

            - every process, a **rank**, holds a copy of the model, with the same weights;
            - each rank takes its own **shard** of the batch: forward and backward on it;
            - the ranks average their gradients, so all hold the same gradient;
            - each rank takes the same step, so the copies stay identical.
        """),
        Prose("""
            # Ranks, world size, global batch

            The number of ranks is the **world size** (`dist.get_world_size()`); each rank knows
            its number, 0 to world size - 1 (`dist.get_rank()`). With 4 ranks of 32 samples each, one step uses 4 x 32 = 128 samples:
            the **global batch**.

            Why the average is the big batch's gradient: the loss averages over its batch. With
            equal shards, the mean over all 128 samples is the mean of the 4 shard means, so its
            gradient is the mean of the 4 shard gradients. It is accumulation's division by k,
            done after the exchange.
        """),
        Prose("""
            # A process group of one

            Each rank joins the group with `init_process_group`; a group of one needs no other
            process:

            ```python
            import tempfile
            import torch.distributed as dist
            path = "file://" + tempfile.mktemp()
            if not dist.is_initialized():
                dist.init_process_group(
                    "gloo", init_method=path,
                    rank=0, world_size=1)
            rank = dist.get_rank()         # 0
            world = dist.get_world_size()  # 1
            ```
        """),
        Prose("""
            # all_reduce: the average by hand

            `dist.all_reduce(t)` replaces `t` on every rank by the **sum** of all the ranks'
            `t`; divide by the world size for the mean. Alone in its group, a rank gets its
            own gradient back:

            ```python
            import torch.distributed as dist
            model = nn.Linear(3, 1)
            loss = model(torch.randn(4, 3)).sum()
            loss.backward()
            for p in model.parameters():
                dist.all_reduce(p.grad)  # SUM
                p.grad /= world          # mean
            ```
        """),
        Typed(
            title="The global batch",
            prompt="You train on 8 GPUs, one rank each, with a batch size of 64 per rank. How many samples "
            "does each optimizer step use?",
            answer="512",
            form="number",
            wrong_answers={
                "64": "64 is one rank's shard; the step uses the averaged gradient of all 8 shards.",
                "8": "8 is the number of ranks; each of them brings 64 samples to the step.",
            },
            hint="Samples per rank times ranks.",
            explain="8 x 64 = 512: the global batch.",
        ),
        Launch(
            title="Two ranks in the stepper",
            tool="stepper",
            scenario="two-ranks",
            prompt="""
                Two copies of one model take every other sample of a batch of 8. In the stepper
                press b twice (each rank's backward: two different gradients), then s: the
                all-reduce mean, compared with the full batch's gradient, and the step. The
                copies stay equal.
            """,
        ),
        Prose("""
            # What DDP does for you

            In practice `DistributedDataParallel` (DDP) wraps the model and does the exchange
            **during** `backward()`: it starts each bucket of gradients' all-reduce as soon as
            the bucket is ready, overlapping it with the rest of the backward pass.

            ```python
            from torch.nn.parallel import (
                DistributedDataParallel as DDP)
            ddp = DDP(nn.Linear(3, 1))
            out = ddp(torch.randn(4, 3))
            out.sum().backward()  # averaged
            ```
        """),
        Prose("""
            # Starting the ranks

            `dist.all_reduce` is a **collective**: every rank calls it, in the same order, and
            it waits until all ranks arrive.

            `torchrun --nproc-per-node 4 train.py` starts 4 ranks and tells each its `RANK`,
            `WORLD_SIZE` and where to meet (`MASTER_ADDR`, `MASTER_PORT`); the script calls
            `dist.init_process_group("nccl")` on GPUs, `"gloo"` on the CPU.
            `tensordojo train --nproc 2` does the same for the course's MLP.
        """),
        Choice(
            title="The learning rate",
            prompt="You move a run from 1 GPU (batch 64) to 4 GPUs (64 per rank) and keep lr = 0.01. "
            "Compared with the 1-GPU run, each step...",
            options=["is 4 times larger", "uses only a quarter of the data",
                     "averages 4 times as many samples, with the same lr"],
            answer="averages 4 times as many samples, with the same lr",
            why={
                "is 4 times larger": "The gradients are averaged, not summed: their size stays that of a mean.",
                "uses only a quarter of the data": "Each rank sees a quarter of the global batch; together they see all of it.",
            },
            explain="The step follows a less noisy gradient of a 256-sample batch. Fewer steps cover an "
            "epoch, so many people raise the lr with the batch (the linear scaling rule); that is a "
            "choice, not something DDP does.",
        ),
        Launch(
            title="Two processes in the training view",
            tool="training",
            scenario="data-parallel",
            prompt="""
                The training view with processes set to 2. Start it (s): each rank's steps/s
                and its share of time in the gradient all-reduce appear under the gradient norms
                (on a short terminal, scroll the left column down). On a small model much of the
                time is the exchange; try hidden 512,512.
            """,
        ),
        Prose("""
            # Common mistakes

            - **A seed per rank for the model**: the copies start apart (DDP copies rank 0's
              weights when it wraps the model; a hand-written loop does not).
            - **No sampler**: every rank trains on all the data. `DistributedSampler` gives each
              rank its shard.
            - **Every rank saves the checkpoint**: N processes write one file. Save on rank 0.
            - **`.item()` every step**: each waits for the device; read losses now and then.
        """),
        Exercise(
            id="average-gradients",
            title="Exercise: average the gradients",
            prompt="""
                Write `average_gradients(model)`: on every rank, after `backward()`, leave in each
                parameter's `.grad` the mean of that gradient over all ranks, using
                `dist.all_reduce`. Do not change the weights. A parameter whose `.grad` is None
                (a frozen layer) is left alone. It runs on real gloo groups of 2 and 3 processes.
            """,
            names=["average_gradients"],
            starter="""
                import torch.distributed as dist


                def average_gradients(model):
                    for p in model.parameters():
                        dist.all_reduce(p.grad)
            """,
            reference="""
                import torch.distributed as dist


                def average_gradients(model):
                    world = dist.get_world_size()
                    for p in model.parameters():
                        if p.grad is not None:
                            dist.all_reduce(p.grad)
                            p.grad /= world
            """,
            tests=checks.AVERAGE_TESTS,
            hints=[
                "all_reduce gives every rank the SUM; a mean needs one more operation.",
                "Divide by `dist.get_world_size()`, and skip parameters whose `.grad` is None.",
            ],
            timeout=60,
        ),
        Exercise(
            id="my-shard",
            title="Exercise: each rank its shard",
            prompt="""
                Write `my_shard(samples)`: return the part of the list `samples` that this rank
                trains on, so that over all ranks every sample is used exactly once and the shards'
                sizes differ by at most one. Ask `torch.distributed` which rank this is and how
                many there are. It runs on real gloo groups of 2 and 3 processes.
            """,
            names=["my_shard"],
            starter="""
                import torch.distributed as dist


                def my_shard(samples):
                    return samples
            """,
            reference="""
                import torch.distributed as dist


                def my_shard(samples):
                    return samples[dist.get_rank()::dist.get_world_size()]
            """,
            tests=checks.SHARD_TESTS,
            hints=[
                "`dist.get_rank()` is this rank's number, `dist.get_world_size()` the number of ranks.",
                "Every world_size-th sample, starting at your rank: a slice with a step.",
            ],
            timeout=60,
        ),
        Prose("""
            # What you can do now

            - say what a rank, the world size and the global batch are;
            - explain why averaging the ranks' gradients equals the big batch's gradient;
            - write the all-reduce average and a shard by hand, and know DDP does both for you;
            - avoid the usual mistakes: seeds, samplers, saving, syncing every step.
        """),
    ],
)
