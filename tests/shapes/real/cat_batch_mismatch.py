# Source: https://github.com/ptrblck/pytorch_misc/issues/2
# Situation: image and text features for one batch are joined side by side, but the text batch
# was built from a different number of samples.
EXPECTED = {"op": "cat", "shapes": ["(8, 128)", "(6, 64)"], "problem": ["dim 0"], "fix": ["(8)"]}
import torch

image_features = torch.randn(8, 128)
text_features = torch.randn(6, 64)
joint = torch.cat([image_features, text_features], dim=1)
