# Source: https://github.com/qiulinzhang/SPConv.pytorch/issues/4
# Situation: squeeze() with no dim removes the batch dim too when the batch has one image, and
# the next op's dim no longer exists.
EXPECTED = {"op": "stack", "shapes": ["(16,)"], "problem": ["squeeze()"], "fix": ["keepdim=True"]}
import torch
from torch import nn

pool = nn.AdaptiveAvgPool2d(1)
a = pool(torch.rand(1, 16, 8, 8)).squeeze()
b = pool(torch.rand(1, 16, 8, 8)).squeeze()
ratios = torch.stack((a, b), 2)
