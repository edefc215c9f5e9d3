# Source: https://github.com/fastai/fastai/issues/1352
# Situation: the training set size leaves one sample in the last batch, and BatchNorm in
# training mode cannot compute a variance from it.
EXPECTED = {"op": "batch_norm", "shapes": ["(1, 8)"], "layer": "model.1",
            "fix": ["drop_last=True", "model.eval()"]}
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
data = DataLoader(TensorDataset(torch.randn(9, 4), torch.randint(0, 2, (9,))), batch_size=4)
for x, y in data:
    loss = nn.functional.cross_entropy(model(x), y)
