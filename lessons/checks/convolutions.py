"""Hidden tests of the ``convolutions`` lesson's exercises: values in, values out.

Both exercises are plain functions, so every test calls the learner's function on inputs and
compares what it returns with the reference's result (``agrees`` and ``agrees_on_random``).
"""

from __future__ import annotations

from tui.core.grading.cases import Draw, agrees, agrees_on_random


def _stack(d: Draw) -> tuple:
    """A batch shape and a stack of convs and pools, each layer drawn only where it fits."""
    shape = (d.int(1, 8), d.int(1, 4), d.int(4, 40), d.int(4, 40))
    size_h, size_w, layers = shape[2], shape[3], []
    for _ in range(d.int(0, 4)):
        if d.choice(["conv", "pool"]) == "conv":
            kernel, stride = d.int(1, 5), d.int(1, 3)
            padding = d.int(0, kernel // 2)
            if min(size_h, size_w) + 2 * padding >= kernel:
                layers.append(("conv", d.int(1, 64), kernel, stride, padding))
                size_h = (size_h + 2 * padding - kernel) // stride + 1
                size_w = (size_w + 2 * padding - kernel) // stride + 1
        else:
            kernel = d.int(2, 3)
            if min(size_h, size_w) >= kernel:
                layers.append(("pool", kernel))
                size_h, size_w = size_h // kernel, size_w // kernel
    return shape, layers


def _stack_cases() -> list[tuple]:
    lenet = [("conv", 6, 5, 1, 0), ("pool", 2), ("conv", 16, 5, 1, 0), ("pool", 2)]
    return [
        ((4, 3, 32, 32), [("conv", 8, 3, 1, 0)]),
        ((4, 3, 32, 32), [("conv", 8, 3, 2, 1)]),
        ((2, 1, 28, 28), lenet),
        ((1, 3, 33, 31), [("pool", 2), ("conv", 5, 3, 1, 1)]),
        ((5, 3, 16, 16), []),
    ]


STACK_TESTS = [
    agrees("stack_output_shape", _stack_cases, title="worked examples: one conv, a stride, LeNet's stack, odd sizes"),
    agrees_on_random("stack_output_shape", _stack, title="random stacks of convs and pools"),
]


def _images(d: Draw) -> tuple:
    import torch

    size = (d.int(1, 4), d.int(1, 9), d.int(1, 9))
    shape = size if d.choice([True, False]) else (*size, d.choice([1, 3, 4]))
    return (d.tensor(*shape, dtype=torch.int64, low=0, high=256).to(torch.uint8),)


def _image_cases() -> list[tuple]:
    import torch

    rgb = torch.arange(2 * 2 * 3 * 3, dtype=torch.uint8).reshape(2, 2, 3, 3) * 7
    gray = torch.tensor([[[0, 255], [128, 64]]], dtype=torch.uint8)
    return [(rgb,), (gray,), (torch.full((1, 1, 1, 3), 255, dtype=torch.uint8),)]


TO_BATCH_TESTS = [
    agrees("to_batch", _image_cases, title="worked examples: an RGB pair, a grey image, one white pixel"),
    agrees_on_random("to_batch", _images, title="random grey and colour batches"),
]
