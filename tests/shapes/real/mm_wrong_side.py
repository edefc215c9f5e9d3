# Source: https://github.com/theislab/multimil/issues/77
# Situation: a projection is applied with torch.mm, but the data matrix has samples in its
# columns instead of its rows.
EXPECTED = {"op": "mm", "shapes": ["(6, 4)", "(6, 2)"], "fix": ["a.T"]}
import torch

data = torch.randn(6, 4)
projection = torch.randn(6, 2)
reduced = torch.mm(data, projection)
