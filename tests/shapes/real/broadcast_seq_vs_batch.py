# Source: https://github.com/exe1023/LSTM_LN/issues/1
# Situation: a hand-made LSTM cell adds an input projection shaped by sequence length to a
# hidden projection shaped by batch size, after a batch_first mix-up.
EXPECTED = {"op": "add", "shapes": ["(50, 40)", "(32, 40)"], "problem": ["dimension 0"], "dim": "0"}
import torch

i2h = torch.randn(50, 40)
h2h = torch.randn(32, 40)
preact = i2h + h2h
