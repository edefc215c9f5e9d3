# Source: https://github.com/Namkyeong/BGRL_Pytorch/issues/1
# Situation: a projection head puts BatchNorm1d sized for the hidden width after a layer that
# outputs twice as many features.
EXPECTED = {"op": "batch_norm", "shapes": ["(4, 512)"], "layer": "head.1",
            "fix": ["nn.BatchNorm1d(512)"]}
import torch
from torch import nn

head = nn.Sequential(nn.Linear(128, 512), nn.BatchNorm1d(256), nn.ReLU())
out = head(torch.randn(4, 128))
