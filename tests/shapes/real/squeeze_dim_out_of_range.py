# Source: https://github.com/bear63/sceneReco/issues/24
# Situation: a recogniser's predictions are already 2-D after max(), and the code still calls
# squeeze(2) from an older version.
EXPECTED = {"op": "squeeze", "shapes": ["(26, 37)"], "problem": ["2 dims"], "fix": ["-2 to 1"]}
import torch

preds = torch.randn(26, 1, 37).max(1).values
preds = preds.squeeze(2)
