"""Lesson 14: gradient accumulation: a large batch's step from several small ones."""

from lessons.checks import grad_accumulation as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Typed

LESSON = Lesson(
    id="grad-accumulation",
    title="Gradient accumulation",
    summary="Take one large-batch step from several micro-batches, and scale the loss so it matches exactly.",
    minutes=20,
    steps=[
        Prose("""
            # When the batch does not fit

            A batch of 256 may need more GPU memory than you have: activations for every sample
            are kept until `backward()`. But `.grad` adds up (lesson 7), so you can run the
            batch in pieces and step once:

            ```python
            model, loss_fn = nn.Linear(10, 1), nn.MSELoss()
            opt = torch.optim.SGD(model.parameters(), 0.1)
            X, Y = torch.randn(256, 10), torch.randn(256, 1)
            opt.zero_grad()
            for xb, yb in zip(X.chunk(4), Y.chunk(4)):
                loss = loss_fn(model(xb), yb) / 4
                loss.backward()    # adds into .grad
            opt.step()             # one step for all 256
            ```
        """),
        Prose("""
            # Micro-batches and the effective batch

            `X.chunk(4)` cuts the 256 rows into 4 micro-batches of 64. Memory holds one
            micro-batch's activations at a time; the step is the big batch's. The **effective
            batch size** is the micro-batch size times the micro-batches per step:
            64 x 4 = 256.
        """),
        Prose("""
            # Why divide by k

            `loss_fn` averages over its batch. The full batch's loss is the mean over 256
            samples, which equals the mean of the 4 micro-batch means (equal sizes). The gradient
            of a mean of 4 terms is the sum of their gradients **divided by 4**. Without the
            division, `.grad` holds 4 times the full batch's gradient, and the step is 4 times
            too large: like quadrupling the learning rate without meaning to.

            With the division, the accumulated gradient equals the full batch's up to float
            rounding: for the model above they differ by about 1e-7 in float32, against
            gradients near 1.
        """),
        Typed(
            title="Effective batch",
            prompt="You accumulate 8 micro-batches of 32 samples before each optimizer step. What is "
            "the effective batch size?",
            answer="256",
            form="number",
            wrong_answers={"32": "32 is one micro-batch; the step uses the gradients of all 8.",
                           "8": "8 is how many micro-batches; each holds 32 samples."},
            hint="Samples per micro-batch times micro-batches per step.",
            explain="8 x 32 = 256 samples contribute to each step.",
        ),
        Choice(
            title="Forgetting the division",
            prompt="With 4 micro-batches and no `/ 4` on the loss, the step is like the full batch's with...",
            options=["a quarter of the learning rate", "the same learning rate", "4 times the learning rate"],
            answer="4 times the learning rate",
            why={
                "a quarter of the learning rate": "The gradients add up, so they grow; they do not shrink.",
                "the same learning rate": "Each backward adds a full mean's gradient; four of them make four times the gradient.",
            },
            explain="The accumulated gradient is 4x too large, so for SGD the step is 4x too large. "
            "(Adam divides each step by the gradient's recent size, so a constant factor of 4 nearly "
            "cancels there; only its small eps term tells them apart.)",
        ),
        Launch(
            title="Micro-batches in the stepper",
            tool="stepper",
            scenario="micro",
            prompt="""
                The stepper accumulates micro-batches next to a full-batch gradient. Press b once
                per micro-batch and compare: with the division they agree up to rounding (a few
                1e-9); without it the ratio is exactly the number of micro-batches.
            """,
        ),
        Launch(
            title="Accumulation while training",
            tool="training",
            scenario="accumulation",
            prompt="""
                The training view opens on spirals with batches of 256 taken as 4 micro-batches
                of 64 (the accum field). Start it with s, then stop (x), reset (r), set accum to
                1 and start again: the loss curves match, and each step with accum 4 takes a
                little longer.
            """,
        ),
        Exercise(
            id="accumulated-step",
            title="Exercise: one step from micro-batches",
            prompt="""
                Write `accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches)`: perform
                **one** optimisation step equal to one step on the whole batch with the mean loss,
                while running the model on `micro_batches` equal chunks of `X`, never on the whole
                batch at once. Return the whole batch's loss as a float. `loss_fn` averages over
                its batch; the batch size divides evenly. It is called several times in a row.
            """,
            names=["accumulated_step"],
            starter="""
                def accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), Y)
                    loss.backward()
                    optimizer.step()
                    return loss.item()
            """,
            reference="""
                def accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches):
                    optimizer.zero_grad()
                    total = 0.0
                    for xb, yb in zip(X.chunk(micro_batches), Y.chunk(micro_batches)):
                        loss = loss_fn(model(xb), yb) / micro_batches
                        loss.backward()
                        total += loss.item()
                    optimizer.step()
                    return total
            """,
            tests=checks.STEP_TESTS,
            hints=[
                "`X.chunk(micro_batches)` splits the batch into equal pieces; do the same to Y.",
                "backward() on each piece adds into .grad; step once, after the loop.",
                "Divide each piece's loss by micro_batches; the whole batch's loss is the sum of those divided losses.",
            ],
        ),
        Exercise(
            id="accumulate",
            title="Exercise: accumulate, no step",
            prompt="""
                Write `accumulate(model, loss_fn, X, Y, micro_batches)`: leave in every
                parameter's `.grad` the gradient of the whole batch's mean loss, computed from
                `micro_batches` equal chunks, and do not change the parameters. The parameters may
                hold stale gradients from earlier: start from zero. Return nothing.
            """,
            names=["accumulate"],
            starter="""
                def accumulate(model, loss_fn, X, Y, micro_batches):
                    for xb, yb in zip(X.chunk(micro_batches), Y.chunk(micro_batches)):
                        loss_fn(model(xb), yb).backward()
            """,
            reference="""
                def accumulate(model, loss_fn, X, Y, micro_batches):
                    model.zero_grad()
                    for xb, yb in zip(X.chunk(micro_batches), Y.chunk(micro_batches)):
                        (loss_fn(model(xb), yb) / micro_batches).backward()
            """,
            tests=checks.ACCUMULATE_TESTS,
            hints=[
                "The starter lacks two things: a reset of stale gradients, and a scale of each loss.",
                "`model.zero_grad()` first, then divide each chunk's loss by micro_batches.",
            ],
        ),
        Prose("""
            # What you can do now

            - split a batch into micro-batches and accumulate their gradients;
            - scale each loss by 1/k so the step equals the full batch's;
            - compute the effective batch size, and say what accumulation saves (activation
              memory) and what it costs (time).
        """),
    ],
)
