# Source: https://github.com/deepset-ai/FARM/issues/100
# Situation: multi-class labels are kept one-hot and flattened with view(-1) before
# cross-entropy, giving batch x classes targets for batch rows of logits.
EXPECTED = {"op": "cross_entropy", "shapes": ["(8, 4)", "(32,)"], "problem": ["one-hot"], "fix": ["argmax(dim=1)"]}
import torch
import torch.nn.functional as F

logits = torch.randn(8, 4)
labels = F.one_hot(torch.randint(0, 4, (8,)), 4)
loss = F.cross_entropy(logits, labels.view(-1))
