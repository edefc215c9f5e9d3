# Source: https://github.com/captanlevi/Contour-Detection-Pytorch/issues/20
# Situation: images read with an image library arrive as (batch, height, width, 3) and go
# straight into a Conv2d that reads channels at dim 1.
EXPECTED = {"op": "conv2d", "shapes": ["(2, 24, 24, 3)"], "layer": "encoder.0",
            "problem": ["channels are last"], "fix": ["permute(0, 3, 1, 2)"]}
import torch
from torch import nn

encoder = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU())
batch = torch.rand(2, 24, 24, 3)
out = encoder(batch)
