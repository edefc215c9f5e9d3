# Source: https://github.com/pytorch/pytorch/issues/139037
# Situation: six camera views each go through one shared CNN; the six feature vectors are
# joined with torch.cat(..., 0) and fed to a classifier head built for all six side by side.
EXPECTED = {"op": "linear", "shapes": ["(24, 16)", "(10, 96)"], "layer": "head",
            "fix": ["dim=1"], "problem": ["dim 0"]}
import torch
from torch import nn

cnn = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.AdaptiveAvgPool2d(2), nn.Flatten())
head = nn.Linear(6 * 16, 10)
views = [torch.randn(4, 3, 8, 8) for _ in range(6)]
features = torch.cat([cnn(v) for v in views], 0)
logits = head(features)
