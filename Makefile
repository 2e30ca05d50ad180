# Outsourcing Manager — `make run` to try it, `make test` to check everything.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export OUTSOURCING_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install install-dev lint lint-imports typecheck check-migrations pytest messages clean benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

# Test tools from the npm registry (axe-core for the accessibility test): never served to users.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

run: install
	$(BIN)/outsourcing migrate --noinput -v 0
	$(BIN)/outsourcing demo --if-empty
	OUTSOURCING_LOCAL_HTTP=1 $(BIN)/outsourcing serve --host 127.0.0.1 --port 8000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The layering (core imports no app; apps share only models and choices): contracts in pyproject.toml.
lint-imports: install-dev
	$(BIN)/lint-imports --no-cache

typecheck: install-dev
	$(BIN)/mypy outsourcing

check-migrations: install-dev
	OUTSOURCING_TESTING=1 $(BIN)/outsourcing makemigrations --check --dry-run

pytest: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint lint-imports typecheck check-migrations pytest

messages: install-dev
	cd outsourcing && ../$(BIN)/outsourcing makemessages -l zh_Hans --no-obsolete --no-location --ignore="tests/*" --ignore="*/tests/*"
	# The creation date changes on every run and would make every branch's catalogue conflict: drop it.
	find outsourcing -path '*zh_Hans/LC_MESSAGES/django.po' -exec sed -i '/^"POT-Creation-Date:/d' {} +
	cd outsourcing && ../$(BIN)/outsourcing compilemessages -l zh_Hans

# Time the pages and figures users feel on a generated portfolio of 10,000 vendors, 200,000 staff and a million
# SLA measurements, each beside its floor (the same result by one hand-written SQL statement), in throwaway
# databases of their own: SQLite, then PostgreSQL when BENCHMARK_PG_URL names an empty database. Each run replaces
# its database's section of docs/benchmarks.md. BENCHMARK_ARGS="--quick" for a smoke run.
BENCHMARK_DIR := $(CURDIR)/var/benchmark
BENCHMARK_PG_URL ?= postgres://postgres@127.0.0.1:5432/om_perf_bench
benchmark: install
	rm -rf $(BENCHMARK_DIR)
	OUTSOURCING_DATA_DIR=$(BENCHMARK_DIR) $(BIN)/outsourcing migrate --noinput -v 0
	OUTSOURCING_DATA_DIR=$(BENCHMARK_DIR) $(BIN)/outsourcing benchmark $(BENCHMARK_ARGS) --output docs/benchmarks.md
	if [ -n "$(BENCHMARK_PG_URL)" ]; then \
	  OUTSOURCING_DATA_DIR=$(BENCHMARK_DIR) DATABASE_URL=$(BENCHMARK_PG_URL) $(BIN)/outsourcing migrate --noinput -v 0 && \
	  OUTSOURCING_DATA_DIR=$(BENCHMARK_DIR) DATABASE_URL=$(BENCHMARK_PG_URL) $(BIN)/outsourcing benchmark \
	    $(BENCHMARK_ARGS) --output docs/benchmarks.md; fi

clean:
	rm -rf $(VENV) var node_modules
