"""For every exercise: a correct solution in another style than the reference, and mistakes.

``CORRECT[exercise_id]`` must pass. ``MISTAKES`` lists ``(exercise_id, words, code)``: the code
breaks one rule of the prompt and must fail with a message containing ``words`` (the rule named).
"""

from __future__ import annotations

CORRECT: dict[str, str] = {
    "tensors.pad-sequences": """
import torch
from torch.nn.utils.rnn import pad_sequence

def pad_sequences(seqs, value=0):
    return pad_sequence([torch.tensor(s) for s in seqs], batch_first=True, padding_value=value)
""",
    "tensors.powers": """
import torch

def powers(n):
    k = torch.arange(1, n + 1).unsqueeze(1)
    return k ** torch.arange(1, 4)
""",
    "tensors.checkerboard": """
import torch

def checkerboard(n):
    i = torch.arange(n)
    return ((i[:, None] + i[None, :]) % 2 == 0).float()
""",
    "matmul-broadcasting.batched-outer": """
import torch

def batched_outer(a, b):
    return torch.einsum("bi,bj->bij", a, b)
""",
    "matmul-broadcasting.pairwise-sq-dists": """
import torch

def pairwise_sq_dists(A, B):
    return (A * A).sum(1, keepdim=True) - 2 * A @ B.T + (B * B).sum(1)
""",
    "matmul-broadcasting.scale-rows": """
import torch

def scale_rows(X, s):
    return torch.diag(s) @ X
""",
    "reshaping.column-major": """
import torch

def column_major(n, rows):
    return torch.arange(1, n + 1).reshape(n // rows, rows).t()
""",
    "reshaping.flatten-images": """
def flatten_images(x):
    return x.reshape(x.shape[0], -1)
""",
    "reshaping.add-channel": """
def add_channel(x):
    return x[:, None]
""",
    "numpy.float-copy": """
import torch

def float_copy(arr):
    return torch.from_numpy(arr.astype("float32"))
""",
    "numpy.shared-tensor": """
import torch

def shared_tensor(arr):
    return torch.as_tensor(arr)
""",
    "numpy.standardize": """
def standardize(arr):
    return (arr - arr.mean(axis=0)) / arr.std(axis=0)
""",
    "reductions.row-means": """
import torch

def row_means(x):
    return torch.stack([row.sum() / len(row) for row in x])
""",
    "reductions.column-sums": """
def column_sums(x):
    return x.T.sum(-1)
""",
    "reductions.best-class": """
def best_class(scores):
    return scores.max(dim=1).indices
""",
    "indexing.first-column": """
def first_column(x):
    return x.select(1, 0)
""",
    "indexing.pick-rows": """
import torch

def pick_rows(m, rows):
    return torch.index_select(m, 0, torch.tensor(rows))
""",
    "indexing.last-value": """
def last_value(x):
    return x.flatten()[-1].tolist()
""",
    "autograd.derivative": """
import torch

def derivative(f, x):
    t = torch.tensor(float(x), requires_grad=True)
    (grad,) = torch.autograd.grad(f(t), t)
    return float(grad)
""",
    "autograd.gradient": """
import torch

def backward(f, x):          # a helper named backward: names are not what is checked
    return torch.func.grad(f)(x)

def gradient(f, x):
    return backward(f, x.detach())
""",
    "autograd.predict": """
import torch

@torch.inference_mode()
def predict(model, x):
    return model(x).clone()
""",
    "manual-backprop.forward": """
import torch

def forward(x, W1, B1, W2, B2):
    return torch.sigmoid(torch.clamp(x @ W1 + B1, min=0) @ W2 + B2)
""",
    "manual-backprop.backprop": """
import torch

def backward(d_out, out, H, Z1, x, W2):      # hand-written backprop, in a helper named backward
    d_Z2 = d_out * out * (1 - out)
    d_Z1 = (d_Z2 @ W2.T) * (Z1 > 0).to(x.dtype)
    return x.T @ d_Z1, d_Z1.sum(0), H.T @ d_Z2, d_Z2.sum(0)

def backprop(x, Y, W1, B1, W2, B2):
    Z1 = x @ W1 + B1
    H = Z1.clamp(min=0)
    out = 1 / (1 + torch.exp(-(H @ W2 + B2)))
    return backward(2 * (out - Y), out, H, Z1, x, W2)
""",
    "modules.toy-model": """
import torch.nn as nn
import torch.nn.functional as F

class ToyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(3, 4), nn.Linear(4, 2)])

    def forward(self, x):
        return F.sigmoid(self.layers[1](F.relu(self.layers[0](x))))
""",
    "modules.count-parameters": """
def count_parameters(model):
    total = 0
    for p in model.parameters():
        if p.requires_grad:
            total += p.numel()
    return total
""",
    "modules.make-mlp": """
import torch.nn as nn

def make_mlp(sizes):
    model = nn.Sequential()
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        if i:
            model.append(nn.ReLU())
        model.append(nn.Linear(a, b))
    return model
""",
    "training-loop.train-step": """
def train_step(model, optimizer, loss_fn, X, Y):
    for p in model.parameters():
        p.grad = None
    loss = loss_fn(model(X), Y)
    loss.backward()
    optimizer.step()
    return float(loss)
""",
    "training-loop.fit": """
import torch
import torch.nn as nn
import torch.nn.functional as F

def fit(X, Y):
    for seed in range(40):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(2500):
            opt.zero_grad()
            loss = F.mse_loss(model(X), Y)
            loss.backward()
            opt.step()
        if loss.item() < 0.005:
            return model
    return model
""",
    "training-loop.accuracy": """
import torch

def accuracy(model, X, y):
    with torch.no_grad():
        right = (model(X).argmax(1) == y).sum().item()
    return right / len(y)
""",
    "grad-accumulation.accumulated-step": """
def accumulated_step(model, optimizer, loss_fn, X, Y, micro_batches):
    optimizer.zero_grad(set_to_none=True)
    size = len(X) // micro_batches
    losses = []
    for i in range(micro_batches):
        xb, yb = X[i * size:(i + 1) * size], Y[i * size:(i + 1) * size]
        loss = loss_fn(model(xb), yb) / micro_batches
        loss.backward()
        losses.append(loss.detach())
    optimizer.step()
    return sum(losses).item()
""",
    "grad-accumulation.accumulate": """
def accumulate(model, loss_fn, X, Y, micro_batches):
    for p in model.parameters():
        p.grad = None
    for xb, yb in zip(X.split(len(X) // micro_batches), Y.split(len(Y) // micro_batches)):
        loss = loss_fn(model(xb), yb) * (1 / micro_batches)
        loss.backward()
""",
    "gpu.pick-device": """
from torch import device
from torch.cuda import is_available as cuda_ok
from torch.backends.mps import is_available as mps_ok

def pick_device():
    return device("cuda") if cuda_ok() else device("mps") if mps_ok() else device("cpu")
""",
    "gpu.move-batch": """
import torch

def move_batch(batch, device):
    moved = dict(batch)
    for key in moved:
        if torch.is_tensor(moved[key]):
            moved[key] = moved[key].to(device)
    return moved
""",
    "gpu.mean-loss": """
import torch

def mean_loss(losses):
    total = losses[0].detach().clone()
    for loss in losses[1:]:
        total = total + loss
    return (total / len(losses)).item()
""",
    "data-parallel.average-gradients": """
import torch
import torch.distributed as dist

def average_gradients(model):
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= dist.get_world_size()
    start = 0
    for g in grads:
        g.copy_(flat[start:start + g.numel()].view_as(g))
        start += g.numel()
""",
    "data-parallel.my-shard": """
import torch.distributed as dist

def my_shard(samples):
    rank, world = dist.get_rank(), dist.get_world_size()
    size = -(-len(samples) // world)
    return samples[rank * size:(rank + 1) * size]
""",
    "debugging-shapes.residuals": """
def residuals(pred, y):
    return pred.view(-1) - y
""",
    "debugging-shapes.mse": """
import torch.nn.functional as F

def mse(pred, y):
    return F.mse_loss(pred.flatten(), y.flatten())
""",
    "debugging-shapes.matmul-shape": """
def matmul_shape(a, b):
    if a[-1] != b[-2]:
        raise ValueError("inner sizes differ")
    batch_a, batch_b = list(a[:-2]), list(b[:-2])
    n = max(len(batch_a), len(batch_b))
    batch_a, batch_b = [1] * (n - len(batch_a)) + batch_a, [1] * (n - len(batch_b)) + batch_b
    batch = []
    for x, y in zip(batch_a, batch_b):
        if x != y and 1 not in (x, y):
            raise ValueError("batch sizes differ")
        batch.append(max(x, y))
    return tuple(batch) + (a[-2], b[-1])
""",
}

MISTAKES: list[tuple[str, str, str]] = [
    ("autograd.derivative", "did not use autograd", """
def derivative(f, x):
    import torch
    h = 1e-3
    return float((f(torch.tensor(x + h, dtype=torch.float64)) - f(torch.tensor(x - h, dtype=torch.float64))) / (2 * h))
"""),
    ("autograd.predict", "recorded a graph", """
def predict(model, x):
    return model(x).detach()
"""),
    ("autograd.predict", "grad mode off", """
import torch

def predict(model, x):
    torch.set_grad_enabled(False)
    return model(x)
"""),
    ("autograd.predict", "froze the caller's model", """
def predict(model, x):
    model.requires_grad_(False)
    return model(x)
"""),
    ("numpy.standardize", "NumPy array in place", """
def standardize(arr):
    arr -= arr.mean(axis=0)
    arr /= arr.std(axis=0)
    return arr
"""),
    ("grad-accumulation.accumulate", ".grad is None", """
def accumulate(model, loss_fn, X, Y, micro_batches):
    for p in model.parameters():
        p.grad.zero_()
    for xb, yb in zip(X.chunk(micro_batches), Y.chunk(micro_batches)):
        (loss_fn(model(xb), yb) / micro_batches).backward()
"""),
    ("gpu.mean-loss", "values to the host", """
def mean_loss(losses):
    return sum(l.cpu().numpy().item() for l in losses) / len(losses)
"""),
    ("gpu.mean-loss", "read", """
import torch

def mean_loss(losses):
    return sum(float(l) for l in losses) / len(losses)
"""),
    ("gpu.move-batch", "loop over batch.items()", """
def move_batch(batch, device):
    return {"x": batch["x"].to(device), "y": batch["y"].to(device), "ids": batch["ids"], "epoch": batch["epoch"]}
"""),
    ("gpu.pick-device", "torch.device", """
import torch

def pick_device():
    return "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
"""),
    ("debugging-shapes.matmul-shape", "should be a tuple", """
import torch

def matmul_shape(a, b):
    try:
        return list((torch.empty(a, device="meta") @ torch.empty(b, device="meta")).shape)
    except RuntimeError as error:
        raise ValueError(str(error))
"""),
    ("manual-backprop.backprop", "without autograd", """
import torch

def backprop(x, Y, W1, B1, W2, B2):
    ws = [w.detach().clone().requires_grad_(True) for w in (W1, B1, W2, B2)]
    out = torch.sigmoid(torch.relu(x @ ws[0] + ws[1]) @ ws[2] + ws[3])
    ((out - Y) ** 2).sum().backward()
    return tuple(w.grad for w in ws)
"""),
    ("reductions.best-class", ".values", """
def best_class(scores):
    return scores.max(dim=1)
"""),
    ("indexing.last-value", "int(...) or float(...)", """
def last_value(x):
    return x.reshape(-1)[-1].numpy()[()]
"""),
]
