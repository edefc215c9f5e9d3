# Source: https://github.com/XPixelGroup/BasicSR/issues/249
# Situation: a discriminator with several stride-2 convolutions gets small training patches;
# by the fourth layer the feature map is smaller than the kernel.
EXPECTED = {"op": "conv2d", "shapes": ["(1, 32, 2, 2)"], "layer": "disc.6",
            "problem": ["Size after each layer", "halves"], "fix": ["larger"]}
import torch
from torch import nn

disc = nn.Sequential(
    nn.Conv2d(3, 8, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
    nn.Conv2d(8, 16, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
    nn.Conv2d(16, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
    nn.Conv2d(32, 1, 4),
)
score = disc(torch.rand(1, 3, 16, 16))
