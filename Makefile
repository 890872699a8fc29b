# Sidecar: make demo | make test | make test-matrix | make wheel-check | make install | make lock | make bench
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: install test test-matrix wheel-check lint typecheck pytest demo bench lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/install-system-deps.sh
	scripts/install-system-deps.sh --with-chromium
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	$(UV) pip install --python $(PY) -q --require-hashes -r requirements.lock
	$(UV) pip install --python $(PY) -q --no-deps -e .
	$(PY) -m sidecar_stt.engines.weights --prepare
	touch $(STAMP)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks examples
	$(VENV)/bin/ruff format --check src tests benchmarks examples

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

# the suite on the other supported Pythons present (3.12, 3.13), each in its own .venv-3.X
test-matrix: install
	scripts/test-matrix.sh $(MATRIX_PYTHONS)

# sdist and wheel from the committed tree: their contents checked, then installed with extras into a fresh venv
# on each supported Python present, where `sidecar demo --speed max` must pass
wheel-check: install
	scripts/check-wheel.sh $(WHEEL_PYTHONS)

demo: install
	$(VENV)/bin/sidecar demo

bench: install
	for b in benchmarks/bench_*.py benchmarks/sim_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# every extra and the dev dependency group (pytest, ruff, mypy, ...), which is not published with the package
lock:
	$(UV) pip compile pyproject.toml --all-extras --group dev --universal --python-version 3.11 --generate-hashes -q -o requirements.lock

clean:
	rm -rf $(VENV) .venv-3.* .mypy_cache .pytest_cache .ruff_cache
