"""The logic of tensordojo, free of any UI: lessons, answers, progress.

Nothing under this package may import ``textual``; ``tests/unit/test_import_hygiene.py``
enforces it, so the same code serves the app, the command line and the benchmarks.
"""
