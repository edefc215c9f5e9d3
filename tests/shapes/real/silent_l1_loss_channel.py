# Source: https://github.com/jiwei0921/CoNet/issues/3
# Situation: a depth map prediction (N, 1, H, W) is compared with ground truth (N, H, W) in a
# smooth L1 loss, which broadcasts them instead of complaining.
EXPECTED = {"kind": "silent", "op": "smooth_l1_loss", "source": "smooth_l1_loss(prediction, depth)", "note": ["(2, 1, 8, 8) with (2, 8, 8)", "rarely"]}
import warnings

import torch
import torch.nn.functional as F

warnings.simplefilter("ignore")
prediction = torch.rand(2, 1, 8, 8)
depth = torch.rand(2, 8, 8)
loss = F.smooth_l1_loss(prediction, depth)
