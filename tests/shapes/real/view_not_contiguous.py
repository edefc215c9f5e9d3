# Source: https://github.com/huanghoujing/person-reid-triplet-loss-baseline/issues/35
# Situation: a distance matrix is transposed and then flattened with view, which cannot
# reinterpret non-contiguous memory.
EXPECTED = {"op": "view", "shapes": ["(5, 4)"], "problem": ["not contiguous"], "fix": ["reshape", "contiguous()"]}
import torch

distances = torch.randn(4, 5).t()
flat = distances.view(20)
