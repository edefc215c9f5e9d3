# Source: https://github.com/usuyama/pytorch-unet/issues/5
# Situation: a hand-written loss subtracts (N,) targets from (N, 1) predictions inside a
# training loop; the (N, N) difference goes unnoticed.
EXPECTED = {"kind": "silent", "op": "sub", "source": "prediction - y", "note": ["(16, 1) with (16,)", "256 values where 16"]}
import torch
from torch import nn

model = nn.Linear(2, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
x, y = torch.randn(16, 2), torch.randn(16)
for epoch in range(400):
    optimizer.zero_grad()
    prediction = model(x)
    residual = prediction - y
    loss = (residual ** 2).mean()
    loss.backward()
    optimizer.step()
