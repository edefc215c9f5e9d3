# Source: https://github.com/Vidhiwar/multimodule-ecg-classification/issues/4
# Situation: the model outputs 6 class scores but the targets are one-hot rows of 10; two
# things disagree and the shapes alone cannot say which one is intended.
EXPECTED = {"op": "cross_entropy", "shapes": ["(4, 6)", "(4, 10)"], "problem": ["one-hot"], "fix": ["argmax(dim=1)"],
            "unsure": True}
import torch
import torch.nn.functional as F

outputs = torch.randn(4, 6)
targets = F.one_hot(torch.randint(0, 10, (4,)), 10)
loss = F.cross_entropy(outputs, targets)
