# Source: https://github.com/pytorch/pytorch/issues/38469
# Situation: the classic LeNet view(-1, 16*5*5) is kept while the images are now 21 x 21, so
# each sample holds fewer features than the view assumes.
EXPECTED = {"op": "view", "shapes": ["(6, 16, 2, 2)"], "problem": ["64"], "fix": ["flatten(1)", "in_features=64"]}
import torch
from torch import nn
import torch.nn.functional as F


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(3, 6, 5), nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, 16 * 5 * 5)
        return self.fc1(x)


out = LeNet()(torch.randn(6, 3, 21, 21))
