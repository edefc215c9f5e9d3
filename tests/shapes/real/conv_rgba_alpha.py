# Source: https://github.com/sjmoran/deeplpf-image-enhancement/issues/16
# Situation: a PNG opened with its alpha channel gives four channels to an RGB model.
EXPECTED = {"op": "conv2d", "shapes": ["(1, 4, 20, 20)"], "layer": "enhance",
            "problem": ["alpha"], "fix": ["[:, :3]"]}
import torch
from torch import nn

enhance = nn.Conv2d(3, 16, 3, padding=1)
png = torch.rand(1, 4, 20, 20)
out = enhance(png)
