# Source: https://github.com/DEEP-PolyU/KEQA_WSDM19/issues/26
# Situation: the embedding table was sized from the training vocabulary, but test sentences
# contain token ids past its end.
EXPECTED = {"op": "embedding", "shapes": ["(1000, 32)"], "layer": "model.embed", "problem": ["1203", "1000"],
            "fix": ["nn.Embedding(1204, 32)"]}
import torch
from torch import nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(1000, 32)

    def forward(self, ids):
        return self.embed(ids)


model = Tagger()
ids = torch.tensor([[5, 17, 1203, 9]])
vectors = model(ids)
