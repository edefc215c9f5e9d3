# Source: https://github.com/lbktrinh/UNet_scAG/issues/1
# Situation: a deeper U-Net receives 760 x 540 style inputs; one level down an odd size
# appears and the decoder's concatenation fails.
EXPECTED = {"op": "cat", "shapes": ["(1, 8, 13, 12)", "(1, 8, 12, 12)"], "problem": ["U-Net"], "fix": ["multiples of"]}
import torch
from torch import nn


class UNet3(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.e3 = nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 8, 3, padding=1), nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.u2, self.u1 = nn.ConvTranspose2d(16, 8, 2, stride=2), nn.ConvTranspose2d(8, 4, 2, stride=2)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(self.pool(a))
        c = self.e3(self.pool(b))
        b2 = torch.cat([b, self.u2(c)], dim=1)[:, :8]
        return torch.cat([a, self.u1(b2)], dim=1)


out = UNet3()(torch.rand(1, 1, 26, 24))
