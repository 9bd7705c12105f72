# One place for the project's jobs; CI runs `make test` exactly as a new user would.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup example test lint typecheck unit

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package-lock.json scripts/install-system-packages
	bash scripts/install-system-packages
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

example: setup
	$(BIN)/publisher build --content content --templates templates --out site
	$(BIN)/publisher notify send emotet-2020/2020-11-14 --contacts examples/contacts.csv --outbox outbox --ledger outbox/notify.ledger.sqlite --yes

lint: setup
	$(BIN)/ruff check publisher tests $(wildcard bench)
	$(BIN)/ruff format --check publisher tests $(wildcard bench)

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: lint typecheck unit
