# Source: https://github.com/milesial/Pytorch-UNet/issues/244
# Situation: a one-channel segmentation output is compared with masks that were read as RGB
# images, three channels each.
EXPECTED = {"op": "binary_cross_entropy_with_logits", "shapes": ["(1, 1, 16, 16)", "(1, 3, 16, 16)"],
            "problem": ["colour"], "fix": ["convert('L')"]}
import torch
import torch.nn.functional as F

prediction = torch.randn(1, 1, 16, 16)
mask = torch.randint(0, 2, (1, 3, 16, 16)).float()
loss = F.binary_cross_entropy_with_logits(prediction, mask)
