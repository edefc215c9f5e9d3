# Source: https://github.com/surajdakua/Crowd-Counting-Using-Pytorch/issues/4
# Situation: a crowd-counting network outputs a density map 8 times smaller than the
# ground-truth map it is compared with.
EXPECTED = {"op": "mse_loss", "shapes": ["(1, 1, 12, 16)", "(1, 1, 96, 128)"], "problem": ["8 times"],
            "fix": ["interpolate"]}
import warnings

import torch
from torch import nn

warnings.simplefilter("ignore")
density = torch.rand(1, 1, 12, 16)
target = torch.rand(1, 1, 96, 128)
loss = nn.MSELoss()(density, target)
