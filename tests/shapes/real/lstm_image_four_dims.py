# Source: https://github.com/pytorch/pytorch/issues/5860
# Situation: a CRNN feeds single-channel image rows to an LSTM but keeps the channel dim, so
# the LSTM gets a 4-D tensor.
EXPECTED = {"op": "lstm", "shapes": ["(2, 1, 7, 10)"], "layer": "rows", "fix": ["squeeze(1)"]}
import torch
from torch import nn

rows = nn.LSTM(10, 5, batch_first=True)
images = torch.randn(2, 1, 7, 10)
out, _ = rows(images)
