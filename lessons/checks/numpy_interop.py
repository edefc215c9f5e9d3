"""Hidden tests of the ``numpy`` lesson's exercises: copies and shared memory, checked by writing."""

from __future__ import annotations

from tui.core.grading.cases import Submission, agrees, agrees_on_random, named
from tui.core.grading.checks import Fail, compare, describe


@named("a copy of float32 and float64 arrays, unchanged by later writes")
def copy_is_independent(sub: Submission, ref: Submission) -> None:
    import numpy as np

    for dtype in (np.float64, np.float32):
        arr = np.arange(6, dtype=dtype).reshape(2, 3)
        # In the learner's process, after the call: arr[0, 0] = 100, then the result is looked at again.
        call = sub.call("float_copy", arr.copy(), pokes=[(0, (0, 0), 100.0)])
        if call.error is not None:
            raise call.error
        got = call.result
        compare(got, ref.float_copy(arr.copy()), f"float_copy(a {dtype.__name__} array)")
        later = call.after_pokes["result"]
        if hasattr(later, "shape") and tuple(later.shape) == (2, 3) and float(later[0, 0]) == 100.0:
            raise Fail(f"float_copy shares memory with a {dtype.__name__} array: a write to the array changed "
                       "your tensor. from_numpy shares; torch.tensor(arr) copies")


@named("shares memory: a write to the array shows in the tensor")
def shares_memory(sub: Submission, ref: Submission) -> None:
    import numpy as np
    import torch

    for dtype in (np.float64, np.float32, np.int64):
        arr = np.arange(4, dtype=dtype)
        # In the learner's process, after the call: arr[1] = 42, then result[2] = 7.
        call = sub.call("shared_tensor", arr, pokes=[(0, 1, 42), ("result", 2, 7)])
        if call.error is not None:
            raise call.error
        got = call.result
        if not isinstance(got, torch.Tensor):
            raise Fail(f"shared_tensor should return a tensor, but returned {describe(got)}")
        later, arr_later = call.after_pokes["result"], call.after_pokes["args"][0]
        if later.shape != (4,) or int(later[1]) != 42:
            raise Fail(f"shared_tensor(a {dtype.__name__} array) made a copy: after arr[1] = 42 the tensor "
                       f"holds {later.tolist()}. torch.from_numpy shares memory")
        if int(arr_later[2]) != 7:
            raise Fail("a write to the tensor did not reach the array; return the shared tensor itself")


COPY_TESTS = [copy_is_independent]
SHARE_TESTS = [shares_memory]
STANDARDIZE_TESTS = [
    agrees("standardize", lambda: [(__import__("numpy").array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]]),)],
           title="three samples of two features", atol=1e-6),
    agrees_on_random("standardize", lambda d: (d.tensor(d.int(2, 6), d.int(1, 4), dtype=__import__("torch").float64)
                                               .numpy() * 3 + 1,), title="random tables", atol=1e-6),
]
