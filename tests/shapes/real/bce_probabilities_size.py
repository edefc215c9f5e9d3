# Source: https://github.com/Arctanxy/W-Net-PyTorch/issues/15
# Situation: a discriminator's sigmoid output (N, 1) is compared with a label vector (N,) in
# BCELoss, which refuses different sizes.
EXPECTED = {"op": "binary_cross_entropy", "shapes": ["(46, 1)", "(46,)"], "fix": ["squeeze(-1)"]}
import torch
from torch import nn

probabilities = torch.sigmoid(torch.randn(46, 1))
real = torch.ones(46)
loss = nn.BCELoss()(probabilities, real)
