# Source: https://github.com/pytorch/pytorch/issues/139031
# Situation: six inputs pass through one network and their outputs are concatenated along the
# batch dim, so the loss sees six times as many rows as labels.
EXPECTED = {"op": "cross_entropy", "shapes": ["(60, 3)", "(10,)"], "problem": ["6 x 10"], "fix": ["dim=1"], "unsure": True}
import torch
from torch import nn

net = nn.Linear(5, 3)
inputs = [torch.randn(10, 5) for _ in range(6)]
labels = torch.randint(0, 3, (10,))
loss = nn.CrossEntropyLoss()(torch.cat([net(x) for x in inputs]), labels)
