# Quick start: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= lineage.db
OUT    ?= out

.PHONY: setup graphviz demo test lint bench clean

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Graphviz binaries (dot) are a system package, not a Python one.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing the Graphviz binaries with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz binaries (dot) are missing: install them with 'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or 'sudo dnf install graphviz' (Fedora), then run make again." >&2; \
	    exit 1; \
	  fi; }

demo: setup
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/lineage --db $(DB) init
	$(BIN)/lineage --db $(DB) ingest sample_data/lineage.yaml
	$(BIN)/lineage --db $(DB) audit verify
	$(BIN)/lineage --db $(DB) upstream support-assistant-v1

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lineage cli

bench: setup
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_hash.py

clean:
	rm -rf $(VENV) $(OUT) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
