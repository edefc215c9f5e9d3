# Source: https://github.com/med-air/3DSAM-adapter/issues/38
# Situation: a batch from a DataLoader gets an extra unsqueeze(0) "to add the batch dim",
# so the conv sees five dims.
EXPECTED = {"op": "conv2d", "shapes": ["(1, 8, 3, 16, 16)"], "layer": "stem",
            "problem": ["twice"], "fix": ["squeeze(0)"]}
import torch
from torch import nn

stem = nn.Conv2d(3, 8, 3)
batch = torch.rand(8, 3, 16, 16)
out = stem(batch.unsqueeze(0))
