# Source: https://github.com/bentrevett/pytorch-seq2seq/issues/162
# Situation: the input is (batch, seq, features) but the LSTM was built without
# batch_first=True, so it reads a batch of 1 and rejects the initial state sized for 128.
EXPECTED = {"op": "lstm", "shapes": ["(2, 128, 32)"], "layer": "decoder", "problem": ["batch of 1"],
            "fix": ["batch_first=True"]}
import torch
from torch import nn

decoder = nn.LSTM(16, 32, num_layers=2)
tokens = torch.randn(128, 1, 16)
state = (torch.zeros(2, 128, 32), torch.zeros(2, 128, 32))
output, state = decoder(tokens, state)
