# Source: https://github.com/abhishekkrthakur/captcha-recognition-pytorch/issues/1
# Situation: captcha labels have different lengths (6 or 7 characters), and the DataLoader
# cannot batch them.
EXPECTED = {"op": "stack (DataLoader batching)", "shapes": ["(7,)", "(6,)"], "problem": ["DataLoader", "sample"],
            "fix": ["pad", "collate_fn"]}
import torch
from torch.utils.data import DataLoader, Dataset


class Captchas(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return torch.randint(0, 36, (7 if i % 2 == 0 else 6,))


for labels in DataLoader(Captchas(), batch_size=4):
    print(labels.shape)
