# Source: https://github.com/tiangexiang/BiO-Net/issues/10
# Situation: segmentation masks loaded as (N, 1, H, W) are given to the pixel-wise NLL loss,
# which wants (N, H, W) class indices.
EXPECTED = {"op": "nll_loss", "shapes": ["(1, 3, 8, 8)", "(1, 1, 8, 8)"], "fix": ["squeeze(1)"]}
import torch
import torch.nn.functional as F

log_probs = F.log_softmax(torch.randn(1, 3, 8, 8), dim=1)
mask = torch.randint(0, 3, (1, 1, 8, 8))
loss = F.nll_loss(log_probs, mask)
