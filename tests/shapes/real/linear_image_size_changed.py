# Source: https://github.com/ekosman/AnomalyDetectionCVPR2018-Pytorch/issues/229
# Situation: a CNN whose classifier in_features was computed for 28x28 images is fed 32x32
# images, so the flattened size no longer matches.
EXPECTED = {"op": "linear", "shapes": ["(8, 2048)", "(10, 1568)"], "layer": "model.5",
            "fix": ["nn.Linear(2048, 10)"]}
import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
)
scores = model(torch.randn(8, 1, 32, 32))
