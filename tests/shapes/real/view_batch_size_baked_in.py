# Source: https://github.com/gsp-27/pytorch_Squeezenet/issues/2
# Situation: scores are reshaped with view(args.batch_size, num_classes); the last, smaller
# batch of the epoch breaks it.
EXPECTED = {"op": "view", "shapes": ["(16, 10)"], "problem": ["fixed batch size"], "fix": ["x.size(0)", "-1"]}
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

batch_size, num_classes = 64, 10
model = nn.Linear(20, num_classes)
for (x,) in DataLoader(TensorDataset(torch.randn(80, 20)), batch_size=batch_size):
    scores = model(x).view(batch_size, num_classes)
