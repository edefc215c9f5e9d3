# Source: https://github.com/PetrochukM/PyTorch-NLP/issues/62
# Situation: the initial hidden state is built once for the configured batch size, and the
# smaller last batch of the epoch no longer matches it.
EXPECTED = {"op": "rnn", "shapes": ["(1, 4, 12)", "(3, 7, 5)"], "layer": "rnn", "fix": ["x.size(0)"]}
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

rnn = nn.RNN(5, 12, batch_first=True)
h0 = torch.zeros(1, 4, 12)
for (x,) in DataLoader(TensorDataset(torch.randn(11, 7, 5)), batch_size=4):
    out, h = rnn(x, h0)
