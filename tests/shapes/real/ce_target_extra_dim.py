# Source: https://github.com/pytorch/pytorch/issues/3670
# Situation: labels loaded from a CSV column keep a trailing dim of 1, (N, 1), and
# CrossEntropyLoss reads them as multi-target.
EXPECTED = {"op": "cross_entropy", "shapes": ["(6, 7)", "(6, 1)"], "fix": ["squeeze(1)"]}
import torch
from torch import nn

scores = torch.randn(6, 7)
labels = torch.randint(0, 7, (6, 1))
loss = nn.CrossEntropyLoss()(scores, labels)
