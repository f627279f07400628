# SalesOrg: `make demo` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export SALESORG_HOME ?= $(CURDIR)/var
# Test processes (pytest-xdist): one per core by default.
TEST_WORKERS ?= auto

# What mypy checks (docs/architecture.md): core, org, work and every app's services and selectors.
TYPED_LAYERS := src/salesorg/core src/salesorg/org src/salesorg/work
TYPED_PATHS := $(TYPED_LAYERS) $(filter-out $(addsuffix /%,$(TYPED_LAYERS)),\
	$(wildcard src/salesorg/*/services* src/salesorg/*/selectors* \
	src/salesorg/*/*/services* src/salesorg/*/*/selectors*))

.PHONY: install demo serve test test-e2e lint typecheck format messages clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "SalesOrg needs Python 3.11 or newer (set PYTHON=python3.x)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The scheduler (daily jobs, docs/scaling.md) runs beside the web server and stops with it.
WITH_SCHEDULER = $(BIN)/salesorg scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM;

demo: install
	DEBUG=1 $(BIN)/salesorg migrate --noinput
	DEBUG=1 $(BIN)/salesorg demo
	@echo
	@echo "SalesOrg is starting at http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	export DEBUG=1; $(WITH_SCHEDULER) $(BIN)/salesorg runserver $(HOST):$(PORT)

serve: install
	$(BIN)/salesorg migrate --noinput
	$(WITH_SCHEDULER) $(BIN)/gunicorn salesorg.wsgi --bind $(HOST):$(PORT) --workers 3

test: install
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(TYPED_PATHS)
	$(BIN)/salesorg makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS)

test-e2e: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e tests/e2e

lint: install
	$(BIN)/ruff check
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy $(TYPED_PATHS)

format: install
	$(BIN)/ruff check --fix
	$(BIN)/ruff format

# Needs GNU gettext: refresh the zh-Hans catalogue, then compile it (the .mo is committed).
messages: install
	cd src/salesorg && ../../$(BIN)/salesorg makemessages -l zh_Hans --no-location --no-obsolete
	cd src/salesorg && ../../$(BIN)/salesorg compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules var build *.egg-info src/*.egg-info
