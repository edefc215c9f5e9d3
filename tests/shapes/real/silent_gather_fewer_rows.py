# Source: https://github.com/Huffon/factsumm/issues/34
# Situation: picking one score per row with gather, the index was built for the first batch
# only and has fewer rows than the scores, so the later rows are silently skipped.
EXPECTED = {"kind": "silent", "op": "gather", "source": "scores.gather(1, index)", "note": ["covers only 3 of the 5"]}
import torch

index = torch.tensor([[0], [2], [1]])
for batch in range(3):
    scores = torch.randn(5, 4)
    picked = scores.gather(1, index)
