# Source: https://github.com/milesial/Pytorch-UNet/issues/285
# Situation: photos of different sizes make a batch size above 1 fail in the DataLoader.
EXPECTED = {"op": "stack (DataLoader batching)", "shapes": ["(3, 20, 16)", "(3, 24, 30)"], "problem": ["DataLoader"],
            "fix": ["Resize", "__getitem__"]}
import torch
from torch.utils.data import DataLoader, Dataset


class Photos(Dataset):
    sizes = [(20, 16), (24, 30), (20, 16)]

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, i):
        return torch.rand(3, *self.sizes[i])


batch = next(iter(DataLoader(Photos(), batch_size=3)))
