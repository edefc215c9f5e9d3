"""The REPL's kernel: the client the app uses, and the IPython extension that runs inside it."""
