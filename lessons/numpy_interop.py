"""Lesson 4: moving data between NumPy and PyTorch, and knowing when memory is shared."""

from lessons.checks import numpy_interop as checks
from tui.core.grading.exercise import Exercise
from tui.core.lesson import Lesson
from tui.core.steps import Choice, Prose, Try

LESSON = Lesson(
    id="numpy",
    title="NumPy interop",
    summary="Turn arrays into tensors and back, and know which calls copy and which share memory.",
    minutes=12,
    steps=[
        Prose("""
            # Two libraries, one kind of data

            NumPy arrays and CPU tensors are both numbers with a shape and a dtype. Ask each
            time: **a copy, or a second view of the same memory?**

            - `torch.tensor(arr)`: always a copy;
            - `torch.from_numpy(arr)`: shares `arr`;
            - `t.numpy()`: shares `t` (CPU only);
            - `torch.as_tensor(arr)`: shares if it can.

            The dtype carries over: NumPy's default float is `float64`, so
            `torch.from_numpy(np.zeros(3)).dtype` is `torch.float64`, not the `float32` that
            layers expect. `.float()` converts (and so copies).
        """),
        Try(
            title="A write goes through",
            prompt="Run this: it writes to the array after making a tensor with `from_numpy`. The step "
            "checks `t[0]`. Afterwards, type the same lines in the REPL with `torch.tensor` instead.",
            code="arr = np.zeros(3)\nt = torch.from_numpy(arr)\narr[0] = 5.0\nt",
            check="float(t[0])",
            expect="5.0",
            form="number",
            hint="Run the code as given first: from_numpy shares memory, so t[0] becomes 5.",
            explain="from_numpy shares memory: the write to arr shows in t. With torch.tensor, t keeps its zeros.",
        ),
        Choice(
            title="Which one copies?",
            prompt="`arr = np.ones(4, dtype=np.float32)`. After which line does `arr[0] = 9` leave `t` unchanged?",
            options=["t = torch.from_numpy(arr)", "t = torch.as_tensor(arr)", "t = torch.tensor(arr)"],
            answer="t = torch.tensor(arr)",
            why={
                "t = torch.from_numpy(arr)": "from_numpy always shares memory with the array.",
                "t = torch.as_tensor(arr)": "as_tensor shares when the dtype and device allow it, as here.",
            },
            explain="torch.tensor always copies; the other two share this float32 array's memory.",
        ),
        Prose("""
            # Back to NumPy

            `t.numpy()` shares memory too, on two conditions: no gradient tracking, and the
            CPU (`g.cpu().numpy()` copies a GPU tensor over first).

            ```python
            t = torch.ones(3, requires_grad=True)
            t.detach().numpy()   # fine: no tracking
            t.numpy()
            # Error: RuntimeError (use .detach() first)
            ```

            The usual chain for plotting is `t.detach().cpu().numpy()`.
        """),
        Exercise(
            id="float-copy",
            title="Exercise: a safe float32 copy",
            prompt="""
                Write `float_copy(arr)`: return a `float32` tensor with the values of the NumPy
                array `arr`, that does **not** share memory with it, whatever the array's dtype.
                A later write to `arr` must leave your tensor as it was.
            """,
            names=["float_copy"],
            starter="""
                import torch


                def float_copy(arr):
                    return torch.from_numpy(arr).float()
            """,
            reference="""
                import torch


                def float_copy(arr):
                    return torch.tensor(arr, dtype=torch.float32)
            """,
            tests=checks.COPY_TESTS,
            hints=[
                "`.float()` copies only when the dtype changes. For a float32 array it returns the shared tensor.",
                "`torch.tensor(arr, dtype=torch.float32)` always copies.",
            ],
        ),
        Exercise(
            id="shared-tensor",
            title="Exercise: share, don't copy",
            prompt="""
                Write `shared_tensor(arr)`: return a tensor that shares memory with the NumPy array
                `arr` (of any dtype), so writes through either one show in the other.
            """,
            names=["shared_tensor"],
            starter="""
                import torch


                def shared_tensor(arr):
                    return torch.tensor(arr)
            """,
            reference="""
                import torch


                def shared_tensor(arr):
                    return torch.from_numpy(arr)
            """,
            tests=checks.SHARE_TESTS,
            hints=["Look at the table in the first step: one call always shares.", "`torch.from_numpy(arr)`"],
        ),
        Prose("""
            # Column statistics, both ways

            NumPy calls the dimension to reduce `axis`, torch `dim`: `arr.mean(axis=0)`
            is `t.mean(dim=0)`, one mean per column. One default differs:

            ```python
            arr = np.array([[1.0, 10.0], [3.0, 30.0]])
            arr.std(axis=0)     # array([ 1., 10.])
            t = torch.from_numpy(arr)
            t.std(dim=0)        # not 1 and 10!
            ```

            Torch's `std` divides by N - 1 by default; `t.std(dim=0, correction=0)`
            divides by N, as NumPy does (older code writes `unbiased=False`).
        """),
        Exercise(
            id="standardize",
            title="Exercise: standardize with torch",
            prompt="""
                Write `standardize(arr)`. `arr` is a NumPy `float64` array of shape `(N, F)`:
                N samples of F features. Using torch, scale each column to mean 0 and standard
                deviation 1, and return the result as a NumPy `float64` array of the same shape.

                Use the standard deviation NumPy's `arr.std(axis=0)` gives (dividing by N); in
                torch that is `std(dim=0, correction=0)`.
            """,
            names=["standardize"],
            starter="""
                import torch


                def standardize(arr):
                    t = torch.from_numpy(arr)
                    ...
            """,
            reference="""
                import torch


                def standardize(arr):
                    t = torch.from_numpy(arr)
                    return ((t - t.mean(dim=0)) / t.std(dim=0, correction=0)).numpy()
            """,
            tests=checks.STANDARDIZE_TESTS,
            hints=[
                "Column statistics reduce over the rows: `dim=0`.",
                "Torch's `std` divides by N - 1 unless you pass `correction=0`.",
                "Subtract `t.mean(dim=0)`, divide by `t.std(dim=0, correction=0)`, then `.numpy()`.",
            ],
        ),
        Prose("""
            # What you can do now

            - make tensors from arrays with a copy (`torch.tensor`) or shared memory (`from_numpy`);
            - watch the dtype: NumPy floats are float64;
            - get an array back with `.detach().cpu().numpy()`.
        """),
    ],
)
