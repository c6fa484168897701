# The two commands: `make run` serves the tracker with the real data; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL ?= $(PY) -m pip install --quiet --disable-pip-version-check
PORT ?= 8000
# Test processes for `make test`: one per core by default (pytest-xdist's "auto"); the suite
# also waits on servers and subprocesses, so one more may pay on an idle machine:
# `make test TEST_WORKERS=3`.
TEST_WORKERS ?= auto

.PHONY: run bootstrap test test-fast install venv-check lint format check-data bench bench-quick

# A .venv without a working pip (an interrupted `python -m venv`, or one made without
# ensurepip) would fail every install until deleted by hand: make it again instead.
venv-check:
	@if [ -d $(VENV) ] && ! $(PY) -m pip --version >/dev/null 2>&1; then \
		echo "$(VENV) is incomplete (no working pip): making it again"; \
		rm -rf $(VENV); \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not make $(VENV) (on Debian or Ubuntu: apt-get install python3-venv)"; exit 1; }
	@echo "Installing the tracker and its dependencies into $(VENV) (about a minute, quietly)"
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) -e ".[dev]"
	@touch $@

install: venv-check
	@$(MAKE) --no-print-directory --silent $(VENV)/.installed

# Migrate, load the treaty data and obligations, compile messages, check compliance: what a
# new deployment needs, and what docker-compose runs before the web service starts.
bootstrap: install
	$(PY) manage.py bootstrap

run: bootstrap
	@echo ""
	@echo "UNTOC Tracker: http://127.0.0.1:$(PORT)/   back office: http://127.0.0.1:$(PORT)/admin/"
	@echo "Make a staff login:  $(PY) manage.py create_staff_user --editor NAME   (or --viewer)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Everything, spread over TEST_WORKERS processes (each has its own test database).
test: install
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest -n $(TEST_WORKERS)

# The inner loop: everything but the tests marked slow (schemathesis, the benchmark, the
# browser, real servers and workers, deployment checks).
test-fast: install
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not slow"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-data: install
	$(PY) manage.py check_data

# The benchmark (bench/README.md): under ten minutes; results in bench/results/latest.md.
bench: install
	$(PY) -m bench

bench-quick: install
	$(PY) -m bench --quick
