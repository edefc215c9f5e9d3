# Source: https://github.com/xiaojunxu/SQLNet/issues/59
# Situation: word vectors of 100 dims are fed to an LSTM built for 300-dim embeddings.
EXPECTED = {"op": "lstm", "shapes": ["(4, 12, 100)"], "layer": "encoder", "problem": ["input_size = 300"],
            "fix": ["nn.LSTM(100, 64"]}
import torch
from torch import nn

encoder = nn.LSTM(300, 64, batch_first=True)
words = torch.randn(4, 12, 100)
output, (h, c) = encoder(words)
