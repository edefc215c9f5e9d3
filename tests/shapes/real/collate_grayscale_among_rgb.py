# Source: https://github.com/Lightning-Universe/lightning-flash/issues/415
# Situation: a folder of RGB images holds a few grayscale ones, which load with one channel.
EXPECTED = {"op": "stack (DataLoader batching)", "shapes": ["(3, 12, 12)", "(1, 12, 12)"], "problem": ["grayscale"],
            "fix": ["convert('RGB')"]}
import torch
from torch.utils.data import DataLoader, Dataset


class Folder(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return torch.rand(1 if i == 2 else 3, 12, 12)


for images in DataLoader(Folder(), batch_size=4):
    pass
