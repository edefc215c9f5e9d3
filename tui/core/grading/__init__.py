"""Graded exercises: the step kind, the hidden tests' helpers, and the processes that run them.

The learner's code never runs in the app's process, nor in the process that judges it:
:mod:`tui.core.grading.client` sends it to a runner (:mod:`tui.core.grading.runner`), which has the
learner's module run in a sandboxed process (:mod:`tui.core.grading.sandbox`) and the hidden tests
in a judge (:mod:`tui.core.grading.judge`) that reaches it only through a socket
(:mod:`tui.core.grading.learner`). How to write hidden tests: ``tui/core/grading/README.md``.
Nothing here imports torch until a test runs.
"""
