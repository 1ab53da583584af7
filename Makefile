# The two commands: `make demo` runs Accord, `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
PYTEST_WORKERS ?= 2

.PHONY: demo test lint format serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: the CPU wheel on disk, not a multi-GB CUDA build (docs/operations.md)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/accord demo

serve: $(STAMP)
	$(BIN)/accord serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# SQLite always; PostgreSQL too when ACCORD_TEST_POSTGRES_URL is set or a server answers on 5432.
test: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --db sqlite
	@if [ -n "$$ACCORD_TEST_POSTGRES_URL" ] || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== PostgreSQL =="; \
		ACCORD_TEST_POSTGRES_URL="$${ACCORD_TEST_POSTGRES_URL:-$(PG_URL)}" $(BIN)/pytest -n $(PYTEST_WORKERS) --db postgres; \
	else \
		echo "== PostgreSQL: no server on 127.0.0.1:5432 and ACCORD_TEST_POSTGRES_URL unset; skipped =="; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf $(VENV) accord.db accord.db-wal accord.db-shm demo-world
