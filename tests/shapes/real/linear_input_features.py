# Source: https://github.com/Kim-Hammar/gym-idsgame/issues/10
# Situation: an agent's policy network was sized for 30 observation features, but the game
# environment hands it 44, and the first Linear layer refuses the batch.
EXPECTED = {"op": "linear", "shapes": ["(1, 44)", "(64, 30)"], "layer": "policy.0",
            "fix": ["nn.Linear(44, 64)"]}
import torch
from torch import nn

policy = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 4))
observation = torch.randn(1, 44)
action_scores = policy(observation)
