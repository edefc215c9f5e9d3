"""The training engine: seeded synthetic datasets, an MLP, an optimizer, and a loop that reports in batches.

Used by the training screen (in the training process, :mod:`tui.core.training.child`), by
``tensordojo train`` and by the benchmark.
torch is imported only when a run is built.
"""
