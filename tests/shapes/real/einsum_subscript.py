# Source: https://github.com/pytorch/pytorch/issues/58380
# Situation: a spectral layer written with einsum whose weight tensor's dims are in another
# order than the subscripts say; the error names remapped shapes, not the letter.
EXPECTED = {"op": "einsum", "shapes": ["(4, 6, 2)"], "problem": ["'i'", "operand 0", "operand 1"], "fix": ["permute"]}
import torch

signal = torch.randn(4, 6, 2)
weights = torch.randn(4, 6, 2)
out = torch.einsum("bix,iox->box", signal, weights)
