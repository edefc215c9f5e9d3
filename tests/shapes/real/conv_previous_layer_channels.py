# Source: https://github.com/lyft/nuscenes-devkit/issues/68
# Situation: the second conv layer is declared with more input channels than the first one
# produces.
EXPECTED = {"op": "conv2d", "shapes": ["(2, 16, 14, 14)"], "layer": "net.2",
            "fix": ["nn.Conv2d(16, 64"]}
import torch
from torch import nn

net = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Conv2d(32, 64, 3))
out = net(torch.rand(2, 3, 16, 16))
