# Source: https://github.com/bigmb/Unet-Segmentation-Pytorch-Nest-of-Unets/issues/55
# Situation: a small U-Net is given an image whose side is not a multiple of 2^depth; after
# pooling floors an odd size, the upsampled map and the skip connection differ by one.
EXPECTED = {"op": "cat", "shapes": ["(1, 8, 11, 11)", "(1, 8, 10, 10)"], "layer": "net",
            "problem": ["U-Net", "2^"], "fix": ["multiples of"]}
import torch
from torch import nn


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = nn.Conv2d(1, 8, 3, padding=1)
        self.down2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.out = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        skip = self.down1(x)
        deep = self.down2(self.pool(skip))
        up = self.up(deep)
        return self.out(torch.cat([skip, up], dim=1))


net = TinyUNet()
mask = net(torch.rand(1, 1, 11, 11))
