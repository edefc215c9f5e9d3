# Source: https://github.com/pytorch/pytorch/issues/25663
# Situation: a binary classifier outputs (N, 1) logits while the labels are (N,).
EXPECTED = {"op": "binary_cross_entropy_with_logits", "shapes": ["(16, 1)", "(16,)"], "fix": ["squeeze(-1)"]}
import torch
from torch import nn

model = nn.Linear(3, 1)
labels = torch.randint(0, 2, (16,)).float()
loss = nn.BCEWithLogitsLoss()(model(torch.randn(16, 3)), labels)
