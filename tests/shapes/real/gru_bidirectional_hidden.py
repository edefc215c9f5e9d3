# Source: https://github.com/hunkim/PyTorchZeroToAll/issues/16
# Situation: a two-layer bidirectional GRU gets an initial state with one row per layer,
# forgetting the second direction.
EXPECTED = {"op": "gru", "shapes": ["(2, 3, 6)"], "layer": "gru", "problem": ["2 x 2 = 4"], "fix": ["torch.zeros(4, 3, 6)"]}
import torch
from torch import nn

gru = nn.GRU(4, 6, num_layers=2, bidirectional=True)
h0 = torch.zeros(2, 3, 6)
output, hn = gru(torch.randn(5, 3, 4), h0)
