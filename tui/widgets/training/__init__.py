"""Widgets and renderers of the training view: the loss curve, the decision boundary, statistics."""
