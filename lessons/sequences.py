"""Lesson 12: sequences: nn.Embedding, nn.LSTM and nn.GRU inputs and states, batch_first, the last step."""

from lessons.checks import sequences as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try, Typed

LESSON = Lesson(
    id="sequences",
    title="Sequences: embeddings and RNNs",
    summary="Turn token ids into vectors, feed LSTMs and GRUs the shapes they expect, and take the last step.",
    minutes=25,
    steps=[
        Prose("""
            # Tokens become vectors: nn.Embedding

            Text arrives as integer ids. `nn.Embedding(num_embeddings, dim)` is a table of
            one learned row per id; calling it looks rows up:

            ```python
            emb = nn.Embedding(100, 8)   # ids 0..99
            ids = torch.tensor([[5, 17, 2], [9, 0, 0]])
            emb(ids).shape     # torch.Size([2, 3, 8])
            emb.weight.shape   # torch.Size([100, 8])
            torch.equal(emb(ids), emb.weight[ids])  # True
            ```

            Ids are integers (`int64` or `int32`) below `num_embeddings`:
            `emb(torch.tensor([100]))` raises `IndexError`.
        """),
        Typed(
            title="An embedding's size",
            prompt="How many parameters does `nn.Embedding(5000, 64)` learn?",
            answer="320000",
            accept=["320,000"],
            form="number",
            placeholder="10",
            wrong_answers={"5064": "It is a table, not a sum: 5000 rows of 64 numbers each."},
            hint="One row of `dim` numbers for each of the `num_embeddings` ids.",
            explain="5000 ids x 64 numbers = 320,000, all in `emb.weight`.",
        ),
        Prose("""
            # Recurrent layers and batch_first

            An LSTM reads a sequence step by step, and returns every step's output and the
            final state. Give it `(N, T, features)` with **`batch_first=True`**:

            ```python
            lstm = nn.LSTM(8, 16, batch_first=True)
            x = torch.randn(2, 3, 8)  # (N, T, features)
            out, (h, c) = lstm(x)
            out.shape   # torch.Size([2, 3, 16]): each step
            h.shape     # torch.Size([1, 2, 16]): the last
            ```

            Without it, the layer reads `(T, N, features)`, and an `(N, T, features)` batch
            runs with no error as N steps of T sequences: a classic silent bug.
        """),
        Choice(
            title="Which is time?",
            prompt="`rnn = nn.LSTM(8, 16)` (no `batch_first`) gets a tensor of shape `(32, 10, 8)`. How "
            "does it read it?",
            options=["a batch of 32 sequences of 10 steps", "it raises an error", "32 time steps of a batch of 10"],
            answer="32 time steps of a batch of 10",
            why={
                "a batch of 32 sequences of 10 steps": "That is what batch_first=True would read; the default puts time first.",
                "it raises an error": "Both readings have 8 features, so nothing fails; that is why the bug is silent.",
            },
            explain="The default layout is (T, N, features): 32 steps, 10 sequences.",
        ),
        Prose("""
            # The state's shape

            The final state is `(num_layers * directions, N, hidden)`, **whatever
            `batch_first` says**. A GRU has no cell state: it returns `(out, h)`.

            ```python
            gru = nn.GRU(8, 16, num_layers=2,
                         bidirectional=True,
                         batch_first=True)
            out, h = gru(x)
            out.shape   # torch.Size([2, 3, 32]): 2 ways
            h.shape     # torch.Size([4, 2, 16])
            ```

            With one direction, `h[-1]` (the last layer's state) feeds a classifier head.
        """),
        Typed(
            title="A deep LSTM's state",
            prompt="`nn.LSTM(10, 20, num_layers=3, batch_first=True)` runs on `torch.randn(5, 7, 10)`. "
            "What is the shape of `h`?",
            answer="(3, 5, 20)",
            form="shape",
            placeholder="(1, 2, 3)",
            wrong_answers={"(5, 3, 20)": "batch_first only changes the input and `out`; the state keeps layers first.",
                           "(5, 7, 20)": "That is `out`: one output per step. `h` is one state per layer."},
            hint="(num_layers * directions, N, hidden); batch_first does not apply to it.",
            explain="Three layers, one direction, a batch of 5, 20 hidden units: (3, 5, 20).",
        ),
        Try(
            title="The silent bug",
            prompt="This LSTM should read 4 sequences of 9 steps, but its state says otherwise. Fix the "
            "layer and run it. The step checks `h.shape`.",
            code="lstm = nn.LSTM(12, 24)\nx = torch.randn(4, 9, 12)  # (N, T, F)\nout, (h, c) = lstm(x)\nh.shape",
            solution="lstm = nn.LSTM(12, 24, batch_first=True)\nx = torch.randn(4, 9, 12)\nout, (h, c) = lstm(x)\nh.shape",
            check="h.shape",
            expect="(1, 4, 24)",
            form="shape",
            hint="Without batch_first=True the 4 is read as time and the 9 as the batch.",
            explain="With batch_first=True the batch is 4, so the state is (1, 4, 24).",
        ),
        Prose("""
            # Taking the last step

            With one layer and direction, `out[:, -1]` is `h[-1]`. Padded sequences end early:
            row i's last **real** step is `lengths[i] - 1`.

            ```python
            lstm = nn.LSTM(8, 16, batch_first=True)
            out, (h, c) = lstm(torch.randn(2, 3, 8))
            torch.allclose(out[:, -1], h[-1])  # True
            lengths = torch.tensor([3, 1])
            rows = torch.arange(2)
            last = out[rows, lengths - 1]  # one per row
            last.shape    # torch.Size([2, 16])
            ```
        """),
        Exercise(
            id="last-steps",
            title="Exercise: each sequence's last real step",
            prompt="""
                Write `last_steps(out, lengths)`. `out` is an RNN's output `(N, T, H)` with
                `batch_first=True`; `lengths` (`int64`, `(N,)`) holds each sequence's true
                length, from 1 to T (the rest is padding). Return the `(N, H)` outputs at
                each sequence's last real step.
            """,
            names=["last_steps"],
            starter="""
                import torch


                def last_steps(out, lengths):
                    return out[:, -1]
            """,
            reference="""
                import torch


                def last_steps(out, lengths):
                    return out[torch.arange(len(out)), lengths - 1]
            """,
            tests=checks.LAST_STEPS_TESTS,
            hints=[
                "`out[:, -1]` is right only for sequences that fill all T steps.",
                "Row i needs step `lengths[i] - 1`.",
                "Index with two tensors: `out[torch.arange(len(out)), lengths - 1]`.",
            ],
        ),
        Exercise(
            id="mean-embedding",
            title="Exercise: average the real tokens",
            prompt="""
                Write `mean_embedding(ids, weight, pad=0)`. `ids` is an `int64` batch `(N, T)` of
                token ids padded with `pad`; `weight` is an embedding table `(V, D)`. Return the
                `(N, D)` mean of each row's token vectors, leaving the padding out (every row
                has at least one real token).
            """,
            names=["mean_embedding"],
            starter="""
                import torch


                def mean_embedding(ids, weight, pad=0):
                    return weight[ids].mean(dim=1)
            """,
            reference="""
                import torch


                def mean_embedding(ids, weight, pad=0):
                    vectors = weight[ids]
                    mask = (ids != pad).unsqueeze(-1).float()
                    return (vectors * mask).sum(dim=1) / mask.sum(dim=1)
            """,
            tests=checks.MEAN_EMBEDDING_TESTS,
            hints=[
                "`weight[ids]` looks every id up at once: `(N, T, D)`.",
                "`(ids != pad)` marks real tokens; as floats with a last dim of 1 it zeroes the padding.",
                "Sum the masked vectors over dim 1 and divide by the number of real tokens per row.",
            ],
        ),
        Prose("""
            # What you can do now

            - turn ids into vectors with `nn.Embedding`, and size its table;
            - give `nn.LSTM` and `nn.GRU` `(N, T, features)` with `batch_first=True`;
            - read the state as `(num_layers * directions, N, hidden)`;
            - take each sequence's last real step, and average real tokens only.

            Next: datasets and loaders, which make the batches.
        """),
    ],
)
