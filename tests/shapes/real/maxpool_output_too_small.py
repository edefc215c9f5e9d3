# Source: https://github.com/ksanjeevan/crnn-audio-classification/issues/15
# Situation: short audio clips make spectrograms so small that a pooling layer deep in the
# network would produce an empty output.
EXPECTED = {"op": "max_pool2d", "shapes": ["(1, 16, 1, 1)"], "layer": "net.4",
            "problem": ["smaller"], "fix": ["larger"]}
import torch
from torch import nn

net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1),
                    nn.MaxPool2d(2), nn.MaxPool2d(2))
spectrogram = torch.randn(1, 1, 5, 6)
out = net(spectrogram)
