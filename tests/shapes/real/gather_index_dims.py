# Source: https://github.com/yingxin-jia/SuperGlue-pytorch/issues/17
# Situation: picking each row's score for its label with gather, but the label index is 1-D
# while gather needs as many dims as the scores.
EXPECTED = {"op": "gather", "shapes": ["(4, 5)", "(4,)"], "fix": ["unsqueeze(1)"]}
import torch

scores = torch.randn(4, 5)
labels = torch.tensor([0, 3, 1, 4])
picked = scores.gather(1, labels)
