# Source: https://github.com/kovanostra/message-passing-neural-network/pull/23
# Situation: a hand-written message-passing step multiplies node features by a weight matrix
# stored the other way round, so the inner sizes of the product do not meet.
EXPECTED = {"op": "matmul", "shapes": ["(5, 8)", "(3, 8)"], "fix": [".T"]}
import torch

features = torch.randn(5, 8)
weight = torch.randn(3, 8)
messages = features @ weight
