# Source: https://github.com/HappyColor/SpeechFormer/issues/3
# Situation: speech features extracted with another setting have 76 values per frame, while
# the model's input LayerNorm was built for 96.
EXPECTED = {"op": "layer_norm", "shapes": ["(1, 101, 76)"], "layer": "model.input_norm",
            "fix": ["nn.LayerNorm(76)"]}
import torch
from torch import nn


class Speech(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_norm = nn.LayerNorm(96)

    def forward(self, x):
        return self.input_norm(x)


model = Speech()
out = model(torch.randn(1, 101, 76))
