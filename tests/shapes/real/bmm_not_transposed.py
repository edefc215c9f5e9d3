# Source: https://github.com/bentrevett/pytorch-seq2seq/issues/162
# Situation: attention scores as queries times keys, but the keys were not transposed, so the
# batched product's inner sizes differ.
EXPECTED = {"op": "bmm", "shapes": ["(2, 5, 8)", "(2, 6, 8)"], "fix": ["transpose(1, 2)"]}
import torch

queries = torch.randn(2, 5, 8)
keys = torch.randn(2, 6, 8)
scores = torch.bmm(queries, keys)
