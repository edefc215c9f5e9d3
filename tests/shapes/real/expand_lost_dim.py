# Source: https://github.com/dgasmith/opt_einsum/pull/236
# Situation: a per-row maximum is taken without keepdim=True and then expanded back to the
# matrix's shape, but expand lines shapes up from the right.
EXPECTED = {"op": "expand_as", "shapes": ["(4,)", "(4, 6)"], "fix": ["keepdim=True", "unsqueeze(1)"]}
import torch

scores = torch.randn(4, 6)
row_max = scores.max(dim=1).values
shifted = scores - row_max.expand_as(scores)
