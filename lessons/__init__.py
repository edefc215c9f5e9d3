"""The lessons that ship with tensordojo.

``ORDER`` lists the lesson modules in teaching order; the browser shows them in this order and
``tensordojo lint`` reports any module in this folder that the list leaves out. Each module
declares ``LESSON = Lesson(...)`` (see ``tui/core/lesson.py`` and the README's authoring guide).
"""

ORDER = [
    "tensors",
    "matmul_broadcasting",
    "reshaping",
    "numpy_interop",
    "reductions",
    "indexing",
    "autograd",
    "manual_backprop",
    "modules",
    "training_loop",
    "convolutions",
    "sequences",
    "data",
    "grad_accumulation",
    "data_parallel",
    "gpu",
    "debugging_shapes",
]
