# Source: https://github.com/pytorch/pytorch/pull/3925
# Situation: an encoder-decoder passes a 2-D (batch, hidden) state where the LSTM expects
# (layers, batch, hidden).
EXPECTED = {"op": "lstm", "shapes": ["(64, 256)"], "layer": "rnn", "fix": ["unsqueeze(0)"]}
import torch
from torch import nn

rnn = nn.LSTM(8, 256)
steps = torch.randn(5, 64, 8)
h0 = torch.zeros(64, 256)
output, _ = rnn(steps, (h0, h0))
