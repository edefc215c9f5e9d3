# Source: https://github.com/keon/seq2seq/issues/16
# Situation: attention weights come out 2-D (batch, source length) and are multiplied with
# batch-first encoder outputs by torch.bmm, which needs both operands 3-D.
EXPECTED = {"op": "bmm", "shapes": ["(4, 7)", "(4, 7, 16)"], "fix": ["unsqueeze(1)"]}
import torch

attention = torch.softmax(torch.randn(4, 7), dim=1)
encoder_outputs = torch.randn(4, 7, 16)
context = torch.bmm(attention, encoder_outputs)
