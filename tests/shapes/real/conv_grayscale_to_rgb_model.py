# Source: https://github.com/LambdaLabsML/examples/issues/39
# Situation: a model whose first conv was built for RGB is trained on the learner's own
# images, which load with a single (grayscale) channel.
EXPECTED = {"op": "conv2d", "shapes": ["(3, 1, 32, 32)", "(8, 3, 3, 3)"], "layer": "model.0",
            "problem": ["grayscale"], "fix": ["repeat(1, 3, 1, 1)", "convert('RGB')"]}
import torch
from torch import nn

model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
images = torch.rand(3, 1, 32, 32)
features = model(images)
