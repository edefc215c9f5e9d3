# Source: https://github.com/pytorch/pytorch/issues/38469
# Situation: a LeNet-style network on small images; the learner forgot to flatten the conv
# features before the first fully connected layer.
EXPECTED = {"op": "linear", "shapes": ["(2, 16, 5, 5)"], "layer": "net.fc",
            "fix": ["flatten(1)"]}
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 5 * 5, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(x)


net = Net()
out = net(torch.randn(2, 3, 14, 14))
