"""Graded exercises: the step kind, the hidden tests' helpers, and the process that runs them.

The learner's code never runs in the app's process: :mod:`tui.core.grading.client` sends it to
a runner process (:mod:`tui.core.grading.runner`) that imports torch once and forks a child
per submission, with a time limit. Test helpers live in :mod:`tui.core.grading.checks` and
:mod:`tui.core.grading.cases`; nothing here imports torch until a test runs.
"""
