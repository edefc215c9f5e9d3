# Source: https://github.com/shaoyanpan/2D-Medical-Denoising-Diffusion-Probabilistic-Model-/issues/19
# Situation: sensor sequences stored as (batch, time, features) are fed to Conv1d, which reads
# (batch, channels, time).
EXPECTED = {"op": "conv1d", "shapes": ["(8, 50, 12)"], "layer": "temporal",
            "fix": ["permute(0, 2, 1)"]}
import torch
from torch import nn

temporal = nn.Conv1d(12, 32, 3)
sequences = torch.randn(8, 50, 12)
out = temporal(sequences)
