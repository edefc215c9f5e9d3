"""Which torch calls a shape trace lists, and under which name a learner knows them.

``op_name`` is called for every torch call a traced run makes, so it is cached per function
object: the second ``add`` costs one dictionary lookup.
"""

from __future__ import annotations

from typing import Any

# Attribute reads and queries that are not operations on the data, and bookkeeping calls that
# only make noise in a trace (autograd switches, profiler scopes).
SKIP = {
    "__len__", "__repr__", "__str__", "__format__", "__bool__", "__hash__", "__iter__", "__contains__",
    "__reduce_ex__", "__setstate__", "__deepcopy__", "__array__", "__index__", "__int__", "__float__",
    "size", "dim", "ndimension", "numel", "nelement", "stride", "is_contiguous", "data_ptr", "element_size",
    "is_floating_point", "is_complex", "item", "tolist", "storage_offset", "untyped_storage", "_is_view",
    "get_device", "type", "__get__", "__set__", "requires_grad_", "retain_grad", "register_hook",
    "backward", "_backward_hooks", "has_names", "is_nonzero", "numpy", "_set_grad_enabled",
    "_record_function_enter", "_record_function_enter_new", "_record_function_exit", "is_grad_enabled",
    "_has_compatible_shallow_copy_type", "is_inference", "__torch_function__", "_disabled_torch_function_impl",
}
KEEP_ATTRS = {"T", "mT", "H", "mH", "real", "imag"}
# Ops a layer's constructor runs to initialise its parameters: noise in a shape trace.
INIT_OPS = {"empty", "kaiming_uniform_", "uniform_", "normal_", "xavier_uniform_", "xavier_normal_",
            "zero_", "zeros_", "ones_", "fill_", "trunc_normal_", "orthogonal_", "constant_"}
INIT_FUNCTIONS = {"__init__", "reset_parameters", "_reset_parameters"}
ELEMENTWISE = {
    "add", "sub", "rsub", "mul", "div", "true_divide", "floor_divide", "remainder", "pow", "eq", "ne",
    "lt", "le", "gt", "ge", "maximum", "minimum", "atan2", "mse_loss", "l1_loss", "smooth_l1_loss",
    "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "where", "logical_and",
    "logical_or", "bitwise_and", "bitwise_or",
}
LOSSES = {"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits"}

_names: dict[Any, str | None] = {}


def op_name(func: Any) -> str | None:
    """The name a learner knows an op by (``__matmul__`` is ``matmul``), or None to skip it."""
    try:
        return _names[func]
    except (KeyError, TypeError):
        pass
    name = _op_name(func)
    try:
        _names[func] = name
    except TypeError:  # an unhashable callable: named each time
        pass
    return name


def _op_name(func: Any) -> str | None:
    name = getattr(func, "__name__", "") or ""
    if name == "__get__":
        attr = getattr(getattr(func, "__self__", None), "__name__", "")
        return attr if attr in KEEP_ATTRS else None
    if name in SKIP:
        return None
    if name.startswith("__i") and name.endswith("__") and name[3:-2] in ELEMENTWISE | {"matmul", "and", "or"}:
        return name[3:-2] + "_"
    if name.startswith("__r") and name.endswith("__") and name[3:-2] in ELEMENTWISE | {"matmul"}:
        return name[3:-2]
    if name.startswith("__") and name.endswith("__"):
        return {"getitem": "index", "setitem": "index_put", "neg": "neg", "truediv": "div"}.get(name[2:-2], name[2:-2])
    return name
