# Source: https://github.com/singhsourabh/Resume-NER/issues/6
# Situation: labels numbered 1 to 10 for a ten-class model, so class 10 has no output.
EXPECTED = {"op": "cross_entropy", "shapes": ["(5, 10)"], "problem": ["up to 10"], "fix": ["subtract 1"]}
import torch
import torch.nn.functional as F

logits = torch.randn(5, 10)
labels = torch.tensor([1, 4, 10, 7, 2])
loss = F.cross_entropy(logits, labels)
