# The two commands: `make run` serves the tracker with the real data; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install lint format check-data bench bench-quick

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_treaty_data
	$(PY) manage.py load_obligations
	$(PY) manage.py check_compliance
	@echo ""
	@echo "UNTOC Tracker: http://127.0.0.1:$(PORT)/   back office: http://127.0.0.1:$(PORT)/admin/"
	@echo "Make a staff login:  $(PY) manage.py create_staff_user --editor NAME   (or --viewer)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

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
