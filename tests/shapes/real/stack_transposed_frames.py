# Source: https://github.com/Suanmd/TR-MISR/issues/3
# Situation: satellite frames of a non-square scene come in two orientations, and stacking
# them fails because height and width are swapped in some.
EXPECTED = {"op": "stack", "shapes": ["(24, 32, 64)", "(24, 64, 32)"], "problem": ["transposed"], "fix": ["transpose"]}
import torch

frames = [torch.rand(24, 32, 64), torch.rand(24, 64, 32)]
batch = torch.stack(frames, dim=0)
