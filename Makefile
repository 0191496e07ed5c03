# ZWK – the two commands a newcomer needs: `make demo` and `make test`.
# The first Python >= 3.11 that really runs (pyenv shims exist for versions that are not active).
PYTHON ?= $(shell for p in python3 python3.11 python3.12 python3.13; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Two test processes: the machines have two cores (pytest-xdist; each gets its own test DB).
# --dist loadgroup keeps the tests of one xdist_group (tests/served: one served demo) together.
PYTEST_WORKERS ?= 2

.PHONY: demo test test-fast browser lint bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "ZWK braucht Python 3.11 oder neuer / needs Python 3.11+"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ZWK braucht Python 3.11 oder neuer / needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/zwk demo

browser:
	@scripts/ensure-chromium.sh

test: $(VENV)/.dev browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test-fast: $(VENV)/.dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not e2e and not served" $(PYTEST_ARGS)

# ruff, mypy (settings and the fully typed list in pyproject.toml) and the import contracts.
lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache
