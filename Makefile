# One place for the project's jobs; CI runs `make example` and `make test` as a new user would.
# `make example` installs only what publishing needs; `make test` adds the test toolchain.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: runtime setup example test lint typecheck unit

# The PDF libraries and fonts, and publisher in .venv with its runtime packages only.
runtime: $(VENV)/.runtime

# Besides: Chromium, Java, poppler-utils, the Node checkers (axe-core, vnu-jar), the [test] extra.
setup: $(VENV)/.test

$(VENV)/.runtime: pyproject.toml scripts/install-system-packages
	bash scripts/install-system-packages runtime
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime package-lock.json
	bash scripts/install-system-packages test
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pip install -q -e '.[test]'
	touch $@

example: runtime
	$(BIN)/publisher build --content content --templates templates --out site
	# The bundled example is rebuilt, never deployed: it keeps no publication record (a project
	# that publishes commits content/publication.lock.yaml and content/published/; see README).
	rm -rf content/publication.lock.yaml content/published
	$(BIN)/publisher notify send emotet-2020/2020-11-14 --contacts examples/contacts.csv --outbox outbox --ledger outbox/notify.ledger.sqlite --yes

lint: setup
	$(BIN)/ruff check publisher tests $(wildcard bench) scripts/generate-reference scripts/update-messages
	$(BIN)/ruff format --check publisher tests $(wildcard bench) scripts/generate-reference scripts/update-messages

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: lint typecheck unit
