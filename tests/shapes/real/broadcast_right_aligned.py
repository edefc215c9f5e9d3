# Source: https://github.com/grimme-lab/dxtb/issues/67
# Situation: two tensors whose sizes both appear in both shapes are added; PyTorch names the
# right-most disagreeing dim, 3 against 8 at dim 1.
EXPECTED = {"op": "add", "shapes": ["(8, 3)", "(2, 8)"], "problem": ["dimension 1", "3 vs 8"]}
import torch

a = torch.ones(8, 3)
b = torch.ones(2, 8)
c = a + b
