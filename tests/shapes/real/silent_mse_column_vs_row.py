# Source: https://github.com/pytorch/pytorch/pull/18349
# Situation: a regression model outputs (N, 1) and the targets are (N,); MSELoss broadcasts
# them to (N, N) and the training loop runs on, learning the mean.
EXPECTED = {"kind": "silent", "op": "mse_loss", "source": "mse_loss(prediction, y)", "note": ["(32, 1) with (32,)", "1024 pairs where 32"],
            "not_note": ["to ()"]}
import warnings

import torch
from torch import nn

warnings.simplefilter("ignore")
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x, y = torch.randn(32, 3), torch.randn(32)
for step in range(100):
    optimizer.zero_grad()
    prediction = model(x)
    loss = nn.functional.mse_loss(prediction, y)
    loss.backward()
    optimizer.step()
