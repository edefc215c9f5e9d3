# Two commands do everything on a fresh machine with Python 3.10+ and pip:
#   make run    create .venv, install tensordojo, launch the app
#   make test   create .venv, install with the test extras, run the whole suite
#               (TEST_WORKERS pytest-xdist workers: most tests wait on a kernel, a grader or a
#               training process, so more workers than cores pay; TEST_WORKERS=0 runs it in one process)
#   make test-random   the same in a random order (it prints the seed; SEED=N repeats that order)
#
# torch: when the system Python already has torch (a GPU server's CUDA build, say), the
# venv is created with --system-site-packages and reuses it. Otherwise the known-good
# TORCH_SPEC is installed (on this project's machines pip finds its CPU build locally).

PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
TEST_WORKERS ?= 3
BIN := $(VENV)/bin
PYTEST := $(BIN)/python -m pytest -q --durations=10 -n $(TEST_WORKERS) --dist loadgroup

.PHONY: run test test-random bench lint clean

run: $(VENV)/.installed
	$(BIN)/tensordojo

test: $(VENV)/.installed-test
	$(PYTEST)

test-random: $(VENV)/.installed-test
	@seed=$${SEED:-$$(date +%s)}; echo "Random order seed $$seed: make test-random SEED=$$seed repeats this order"; \
	$(PYTEST) --random-order-seed=$$seed

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_first_paint.py

lint: $(VENV)/.installed
	$(BIN)/tensordojo lint

$(VENV)/bin/python:
	@if $(PYTHON) -c "import torch" 2>/dev/null; then \
		echo "Reusing the torch of $(PYTHON) (venv with --system-site-packages)"; \
		$(PYTHON) -m venv --system-site-packages $(VENV); \
	else \
		$(PYTHON) -m venv $(VENV); \
	fi

$(VENV)/.torch: $(VENV)/bin/python
	@if $(BIN)/python -c "import torch" 2>/dev/null; then \
		echo "torch already installed: $$($(BIN)/python -c 'import torch; print(torch.__version__)')"; \
	else \
		$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"; \
	fi
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.torch
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache
