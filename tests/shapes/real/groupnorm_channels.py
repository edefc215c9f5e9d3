# Source: https://github.com/open-mmlab/mmsegmentation/issues/272
# Situation: a decoder swaps BatchNorm for GroupNorm but keeps a channel count from another
# configuration.
EXPECTED = {"op": "group_norm", "shapes": ["(2, 48, 4, 4)"], "layer": "decoder.1",
            "fix": ["nn.GroupNorm(8, 48)"]}
import torch
from torch import nn

decoder = nn.Sequential(nn.Conv2d(16, 48, 1), nn.GroupNorm(8, 64))
out = decoder(torch.randn(2, 16, 4, 4))
