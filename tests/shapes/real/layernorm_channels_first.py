# Source: https://github.com/ViTAE-Transformer/ViTDet/issues/25
# Situation: a LayerNorm sized for the channel count is applied to a conv feature map that is
# channels-first, so its last dims are height and width.
EXPECTED = {"op": "layer_norm", "shapes": ["(2, 32, 10, 10)"], "layer": "block.1",
            "problem": ["channels-first"], "fix": ["permute(0, 2, 3, 1)", "GroupNorm(1, 32)"]}
import torch
from torch import nn

block = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.LayerNorm(32))
out = block(torch.rand(2, 3, 10, 10))
