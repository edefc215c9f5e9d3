# Source: https://github.com/ruotianluo/self-critical.pytorch/issues/44
# Situation: region features shaped (batch, regions, features) go through BatchNorm1d(features),
# which reads a 3-D input as (batch, channels, length).
EXPECTED = {"op": "batch_norm", "shapes": ["(4, 36, 64)"], "layer": "embed.0",
            "problem": ["(N, L, C)"], "fix": ["transpose(1, 2)"]}
import torch
from torch import nn

embed = nn.Sequential(nn.BatchNorm1d(64), nn.Linear(64, 32))
regions = torch.randn(4, 36, 64)
out = embed(regions)
