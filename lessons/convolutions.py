"""Lesson 11: convolutions and images: (N, C, H, W), the output-size formula, channels-last data, the head."""

from lessons.checks import convolutions as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Launch, Prose, Try, Typed

LESSON = Lesson(
    id="convolutions",
    title="Convolutions and images",
    summary="Feed images to conv layers, predict every shape in a CNN, and give it the right head.",
    minutes=25,
    steps=[
        Prose("""
            # Images are (N, C, H, W)

            A conv layer wants a batch of images **channels first**: batch, channels, height,
            width. `nn.Conv2d(in_channels, out_channels, kernel_size)` slides `out_channels`
            filters, each `in_channels` x k x k, over every position:

            ```python
            conv = nn.Conv2d(3, 8, kernel_size=3)
            x = torch.randn(4, 3, 32, 32)  # 4 RGB images
            conv(x).shape      # torch.Size([4, 8, 30, 30])
            conv.weight.shape  # torch.Size([8, 3, 3, 3])
            ```

            A 3 x 3 filter fits 30 times across 32 pixels, so the image shrinks by 2.
        """),
        Typed(
            title="LeNet's first layer",
            prompt="What is the shape of `nn.Conv2d(1, 6, 5)(torch.randn(2, 1, 28, 28))`?",
            answer="(2, 6, 24, 24)",
            form="shape",
            placeholder="(1, 2, 3, 4)",
            wrong_answers={
                "(2, 1, 24, 24)": "The channels become out_channels, 6: one feature map per filter.",
                "(2, 6, 28, 28)": "Without padding a 5 x 5 filter fits 28 - 5 + 1 = 24 times.",
            },
            hint="Channels become out_channels; each side shrinks by kernel - 1.",
            explain="Six filters give six channels, and a 5-wide filter fits 24 times in 28 pixels.",
        ),
        Choice(
            title="Grey images, colour layer",
            prompt="A model starts with `nn.Conv2d(3, 16, 3)`. You feed it grey-scale batches of shape "
            "`(64, 1, 28, 28)`. What happens?",
            options=["PyTorch repeats the grey channel three times",
                     "a RuntimeError: the layer expects 3 input channels and gets 1",
                     "it works, with 16 output channels"],
            answer="a RuntimeError: the layer expects 3 input channels and gets 1",
            why={
                "PyTorch repeats the grey channel three times": "Nothing is repeated for you; "
                "`x.expand(-1, 3, -1, -1)` would, or build the layer with in_channels=1.",
                "it works, with 16 output channels": "Each filter is 3 x 3 x 3 and needs 3 channels to slide over.",
            },
            explain="in_channels must equal the input's C: build nn.Conv2d(1, 16, 3) for grey images.",
        ),
        Prose("""
            # The output-size formula

            Per side, with kernel k, stride s and padding p (zeros added around the border):

            ```python
            def out_size(size, k, s=1, p=0):
                return (size + 2 * p - k) // s + 1
            out_size(32, 3)             # 30
            out_size(32, 3, p=1)        # 32: "same" size
            down = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            down(x).shape   # torch.Size([4, 8, 16, 16])
            ```

            `nn.MaxPool2d(2)` follows the same formula with k = s = 2: it halves H and W,
            rounding down.
        """),
        Typed(
            title="Stride 2",
            prompt="A 28 x 28 image goes through `nn.Conv2d(1, 4, kernel_size=5, stride=2)`. How tall is the output?",
            answer="12",
            form="number",
            placeholder="7",
            wrong_answers={"24": "That is stride 1. With stride 2 the filter moves two pixels at a time: (28 - 5) // 2 + 1.",
                           "11": "Add 1 after dividing: (28 - 5) // 2 + 1."},
            hint="(size + 2 * padding - kernel) // stride + 1, with padding 0.",
            explain="(28 - 5) // 2 + 1 = 11 + 1 = 12.",
        ),
        Exercise(
            id="stack-shape",
            title="Exercise: a conv stack's output shape",
            prompt="""
                Write `stack_output_shape(shape, layers)`. `shape` is a batch shape
                `(N, C, H, W)`; `layers` is a list of `("conv", out_channels, kernel, stride,
                padding)` and `("pool", kernel)` tuples (a pool is `nn.MaxPool2d(kernel)`,
                whose stride is its kernel). Return the shape after all of them, as a tuple.

                    stack_output_shape((4, 3, 32, 32),
                                       [("conv", 8, 3, 2, 1)])
                    ->  (4, 8, 16, 16)
            """,
            names=["stack_output_shape"],
            starter="""
                def stack_output_shape(shape, layers):
                    n, c, h, w = shape
                    for layer in layers:
                        ...
                    return (n, c, h, w)
            """,
            reference="""
                def stack_output_shape(shape, layers):
                    n, c, h, w = shape
                    for layer in layers:
                        if layer[0] == "conv":
                            _, c, k, s, p = layer
                        else:
                            k, s, p = layer[1], layer[1], 0
                        h = (h + 2 * p - k) // s + 1
                        w = (w + 2 * p - k) // s + 1
                    return (n, c, h, w)
            """,
            tests=checks.STACK_TESTS,
            hints=[
                "Each layer changes H and W by the same formula; a conv also sets C to its out_channels.",
                "A pool is a layer with kernel k, stride k and padding 0; it keeps C.",
                "h = (h + 2 * p - k) // s + 1, and the same for w.",
            ],
        ),
        Prose("""
            # Channels-last images and permute

            Image files and NumPy keep pictures as `(H, W, C)` bytes, 0 to 255. Reorder the
            dims with `permute`, make floats, add the batch:

            ```python
            img = torch.randint(0, 256, (32, 32, 3),
                                dtype=torch.uint8)
            x = img.permute(2, 0, 1)  # (C, H, W)
            x = x.float() / 255       # in [0, 1]
            x[None].shape     # torch.Size([1, 3, 32, 32])
            g = torch.rand(28, 28)[None, None]  # grey
            g.shape           # torch.Size([1, 1, 28, 28])
            ```

            `permute` lists the old dims in their new order.
        """),
        Exercise(
            id="to-batch",
            title="Exercise: images into a batch",
            prompt="""
                Write `to_batch(images)`. `images` is a `uint8` tensor: colour images
                `(N, H, W, C)` or grey ones `(N, H, W)`. Return a `float32` batch
                `(N, C, H, W)` with values from 0 to 1 (divide by 255); grey images get `C = 1`.

                    grey = torch.zeros(5, 28, 28, dtype=torch.uint8)
                    to_batch(grey).shape
                    ->  torch.Size([5, 1, 28, 28])
            """,
            names=["to_batch"],
            starter="""
                import torch


                def to_batch(images):
                    return images.float() / 255
            """,
            reference="""
                import torch


                def to_batch(images):
                    if images.ndim == 3:
                        images = images.unsqueeze(-1)
                    return images.permute(0, 3, 1, 2).float() / 255
            """,
            tests=checks.TO_BATCH_TESTS,
            hints=[
                "Grey images first get a channel dim at the end: `images.unsqueeze(-1)` is (N, H, W, 1).",
                "`permute(0, 3, 1, 2)` moves C from last to second.",
                "Then `.float() / 255`; `images.ndim` tells grey (3) from colour (4).",
            ],
        ),
        Prose("""
            # From feature maps to a Linear

            `nn.Flatten()` turns each sample's `(C, H, W)` into one row for a `Linear` head,
            whose `in_features` is C x H x W after the last layer:

            ```python
            features = nn.Sequential(
                nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
                nn.MaxPool2d(2),                # 32 -> 16
                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                nn.MaxPool2d(2))                # 16 -> 8
            h = features(torch.randn(4, 3, 32, 32))
            h.shape           # torch.Size([4, 32, 8, 8])
            nn.Flatten()(h).shape  # torch.Size([4, 2048])
            head = nn.Linear(32 * 8 * 8, 10)
            ```
        """),
        Launch(
            title="Trace the stack",
            tool="inspector",
            scenario="trace",
            prompt="""
                The shape trace lists what each layer takes and gives. In its REPL, run the
                `features` stack of the last step (send that step's code with x first) on
                `torch.randn(4, 3, 32, 32)` and read each layer's shapes; then feed it 64 x 64
                images and watch the last shape change.
            """,
        ),
        Prose("""
            # Three ways to get in_features right

            - **compute it**, or run a dummy batch through and read `h.shape`;
            - **`nn.LazyLinear(10)`** finds `in_features` at its first call;
            - **`nn.AdaptiveAvgPool2d(1)`** averages any H x W to 1 x 1: the head is
              `nn.Linear(32, 10)` for any image size.

            ```python
            lazy = nn.LazyLinear(10)
            lazy(nn.Flatten()(h)).shape  # (4, 10)
            lazy.in_features   # 2048
            pooled = nn.AdaptiveAvgPool2d(1)(h)
            pooled.shape       # torch.Size([4, 32, 1, 1])
            ```
        """),
        Try(
            title="Fix the head",
            prompt="This CNN's head was sized for the wrong image: it fails on 32 x 32 images. Fix the "
            "`Linear`'s `in_features` and run it. The step checks the output's shape.",
            code=(
                "model = nn.Sequential(\n"
                "    nn.Conv2d(3, 16, 3, padding=1),\n"
                "    nn.ReLU(), nn.MaxPool2d(2),\n"
                "    nn.Conv2d(16, 32, 3, padding=1),\n"
                "    nn.ReLU(), nn.MaxPool2d(2),\n"
                "    nn.Flatten(),\n"
                "    nn.Linear(32 * 16 * 16, 10))\n"
                "model(torch.zeros(2, 3, 32, 32)).shape"
            ),
            solution=(
                "model = nn.Sequential(\n"
                "    nn.Conv2d(3, 16, 3, padding=1),\n"
                "    nn.ReLU(), nn.MaxPool2d(2),\n"
                "    nn.Conv2d(16, 32, 3, padding=1),\n"
                "    nn.ReLU(), nn.MaxPool2d(2),\n"
                "    nn.Flatten(),\n"
                "    nn.Linear(32 * 8 * 8, 10))\n"
                "model(torch.zeros(2, 3, 32, 32)).shape"
            ),
            check="tuple(model(torch.zeros(2, 3, 32, 32)).shape)",
            expect="(2, 10)",
            form="shape",
            hint="Two pools halve 32 twice: 8 x 8 maps, 32 channels. Read the error: it names 2048.",
            explain="32 channels of 8 x 8 after two pools: in_features is 2048, and the model gives (2, 10).",
        ),
        Typed(
            title="Bigger images",
            prompt="The same `features` stack gets 64 x 64 images. What `in_features` does the head need now?",
            answer="8192",
            form="number",
            placeholder="100",
            wrong_answers={"2048": "That is for 32 x 32 images; two pools take 64 to 16, not 8."},
            hint="Two pools halve 64 twice; multiply channels by height by width.",
            explain="64 -> 32 -> 16, so 32 x 16 x 16 = 8192. AdaptiveAvgPool2d would have kept it at 32.",
        ),
        Prose("""
            # Batch normalisation

            `nn.BatchNorm2d(C)` after a conv normalises each of the C channels over the batch
            **and every pixel** (N x H x W values per channel), then scales and shifts it with
            learned numbers. It keeps the shape, and, like dropout, acts differently after
            `model.eval()`: it then uses running averages instead of the batch's own.

            ```python
            bn = nn.BatchNorm2d(32)
            bn(h).shape    # torch.Size([4, 32, 8, 8])
            ```
        """),
        Prose("""
            # What you can do now

            - give conv layers `(N, C, H, W)` batches, grey images included;
            - predict each layer's output with `(size + 2p - k) // s + 1`;
            - turn channels-last bytes into a float batch with `permute`;
            - size a CNN's head: computed, `LazyLinear` or `AdaptiveAvgPool2d`.

            Next: sequences, where the shapes gain a time dimension.
        """),
    ],
)
