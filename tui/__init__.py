"""tensordojo: learn PyTorch by doing, in a terminal."""

__version__ = "0.1.0"
