"""Lesson 13: data: Dataset and DataLoader, batching and collation, shuffling, drop_last, an honest split."""

from lessons.checks import data as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="data",
    title="Datasets and loaders",
    summary="Serve samples with a Dataset, batch them with a DataLoader, and measure accuracy honestly.",
    minutes=20,
    steps=[
        Prose("""
            # A Dataset hands out samples by index

            It needs `__len__` and `__getitem__(i)`:

            ```python
            from torch.utils.data import Dataset
            class Squares(Dataset):
                def __init__(self, n):
                    self.x = torch.arange(n) * 1.0
                def __len__(self):
                    return len(self.x)
                def __getitem__(self, i):
                    return self.x[i:i + 1], self.x[i] ** 2
            ds = Squares(10)  # samples: (input, label)
            ds[3][1]      # tensor(9.)
            ```
        """),
        Prose("""
            # A DataLoader makes batches

            ```python
            from torch.utils.data import DataLoader

            loader = DataLoader(ds, batch_size=4,
                                shuffle=True)
            len(loader)   # 3
            for xb, yb in loader:
                print(xb.shape, yb.shape)
            ```

            It prints `[4, 1] [4]` twice, then `[2, 1] [2]`: 10 samples are 4 + 4 + 2.
            `shuffle=True` draws a new order every epoch (use it for training);
            `drop_last=True` leaves the short last batch out.
        """),
        Typed(
            title="How many batches?",
            prompt="A DataLoader serves 1000 samples with `batch_size=64`. How many batches is one epoch?",
            answer="16",
            form="number",
            placeholder="3",
            wrong_answers={"15": "That is with drop_last=True. By default the last 40 samples make a 16th, short batch.",
                           "15.625": "Batches are whole: 15 full ones and one of 40."},
            hint="1000 = 15 x 64 + 40, and the 40 are not thrown away by default.",
            explain="15 full batches of 64 and a last batch of 40: 16.",
        ),
        Exercise(
            id="batch-sizes",
            title="Exercise: the batches of an epoch",
            prompt="""
                Write `batch_sizes(n, size, drop_last=False)`: the sizes of the batches a
                `DataLoader` with `batch_size=size` yields in one epoch over `n` samples, in
                order, as a list of ints.

                    batch_sizes(10, 4)                  ->  [4, 4, 2]
                    batch_sizes(10, 4, drop_last=True)  ->  [4, 4]
            """,
            names=["batch_sizes"],
            starter="""
                def batch_sizes(n, size, drop_last=False):
                    full = n // size
                    return [size] * full
            """,
            reference="""
                def batch_sizes(n, size, drop_last=False):
                    sizes = [size] * (n // size)
                    if n % size and not drop_last:
                        sizes.append(n % size)
                    return sizes
            """,
            tests=checks.BATCH_SIZES_TESTS,
            hints=[
                "`n // size` full batches; what is left over is `n % size`.",
                "The leftover makes one more, shorter batch, unless drop_last is set or nothing is left.",
            ],
        ),
        Prose("""
            # Why samples must share a shape

            The loader **collates** a batch: it stacks the samples' tensors along a new first
            dimension. Stacking needs equal shapes, so sequences of different lengths fail:

            ```python
            torch.stack([torch.ones(3), torch.ones(5)])
            # Error: RuntimeError (sizes differ)
            ```

            Give the loader a `collate_fn` that pads them, and return the true lengths too:
            `DataLoader(ds, batch_size=8, collate_fn=pad_collate)` calls
            `pad_collate(list_of_samples)` for every batch.
        """),
        Exercise(
            id="pad-collate",
            title="Exercise: a padding collate_fn",
            prompt="""
                Write `pad_collate(batch)`. `batch` is a list of `(sequence, label)` samples:
                an `int64` tensor of token ids `(L,)` (L from 1 up, different for each) and an
                int. Return three tensors: the ids padded with 0 to the longest, `int64`
                `(N, longest)`; the lengths, `int64` `(N,)`; the labels, `int64` `(N,)`.
            """,
            names=["pad_collate"],
            starter="""
                import torch


                def pad_collate(batch):
                    seqs = [s for s, _ in batch]
                    labels = [y for _, y in batch]
                    return torch.stack(seqs), labels
            """,
            reference="""
                import torch


                def pad_collate(batch):
                    longest = max(len(seq) for seq, _ in batch)
                    padded = torch.zeros(len(batch), longest, dtype=torch.int64)
                    for i, (seq, _) in enumerate(batch):
                        padded[i, :len(seq)] = seq
                    lengths = torch.tensor([len(seq) for seq, _ in batch])
                    labels = torch.tensor([label for _, label in batch])
                    return padded, lengths, labels
            """,
            tests=checks.PAD_COLLATE_TESTS,
            hints=[
                "Start from `torch.zeros(len(batch), longest, dtype=torch.int64)`.",
                "Copy each sequence into its row: `padded[i, :len(seq)] = seq`.",
                "`torch.tensor([...])` of the lengths and of the labels gives the other two.",
            ],
        ),
        Prose("""
            # An honest accuracy

            Accuracy on the batches a model trained on says how well it memorised them. Hold
            some data out, never train on it, and measure there:

            ```python
            from torch.utils.data import TensorDataset
            from torch.utils.data import random_split
            X = torch.randn(100, 4)
            y = torch.randint(0, 3, (100,))
            full = TensorDataset(X, y)
            g = torch.Generator().manual_seed(0)
            train, val = random_split(full, [80, 20],
                                      generator=g)
            len(train), len(val)   # (80, 20)
            ```
        """),
        Choice(
            title="Too good to be true",
            prompt="Your classifier scores 99% on the batches it trained on and 61% on new images. Which "
            "number describes how it will do for users?",
            options=["99%", "61%", "their mean, 80%"],
            answer="61%",
            why={
                "99%": "Data the model trained on measures memory, not skill: it has seen those answers.",
                "their mean, 80%": "Averaging with the training score only hides the gap.",
            },
            explain="Only data held out of training shows how the model does on what it has not seen.",
        ),
        Try(
            title="Score the held-out part",
            prompt="Run this after the last step: it trains a linear classifier on `train` only, then "
            "measures accuracy on `val` with the model in eval mode and no gradients. The step checks "
            "that `acc` is a fraction.",
            code=(
                "from torch.utils import data\n"
                "X = torch.randn(100, 4)\n"
                "y = torch.randint(0, 3, (100,))\n"
                "g = torch.Generator().manual_seed(0)\n"
                "full = data.TensorDataset(X, y)\n"
                "train, val = data.random_split(\n"
                "    full, [80, 20], generator=g)\n"
                "model = nn.Linear(4, 3)\n"
                "loss_fn = nn.CrossEntropyLoss()\n"
                "params = model.parameters()\n"
                "opt = torch.optim.SGD(params, 0.1)\n"
                "batches = data.DataLoader(train, 16)\n"
                "for xb, yb in batches:\n"
                "    opt.zero_grad()\n"
                "    loss_fn(model(xb), yb).backward()\n"
                "    opt.step()\n"
                "model.eval()\n"
                "correct = 0\n"
                "with torch.no_grad():\n"
                "    for xb, yb in data.DataLoader(val):\n"
                "        guess = model(xb).argmax(dim=1)\n"
                "        correct += (guess == yb).sum()\n"
                "acc = correct.item() / len(val)\n"
                "acc"
            ),
            check="0 <= acc <= 1",
            expect="True",
            form="text",
            hint="Run it as it is; it needs nothing from earlier steps.",
            explain="The labels here are random, so an honest accuracy is near chance (1/3), whatever "
            "the model did on its training batches.",
        ),
        Prose("""
            # What you can do now

            - write a `Dataset` with `__len__` and `__getitem__`, or use `TensorDataset`;
            - batch it with `DataLoader`: `batch_size`, `shuffle`, `drop_last`;
            - pad samples of different lengths in a `collate_fn`;
            - split off validation data and measure accuracy only there.

            Next: gradient accumulation, for batches too big to fit.
        """),
    ],
)
