"""Hidden tests and input generators for the lessons' exercises, one module per lesson.

They import torch only when a test runs, so loading the lessons (and the app's first paint)
stays fast. The learner never sees this code in the app.
"""
