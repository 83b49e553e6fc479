# Quick start: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= lineage.db
OUT    ?= out

.PHONY: setup graphviz pango chromium demo test lint bench bench-core clean

setup: $(STAMP) graphviz pango chromium

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

# Pango (and HarfBuzz's subsetter) are the system libraries WeasyPrint draws PDF reports with.
pango:
	@{ ldconfig -p | grep -q 'libpango-1.0.so.0' && ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
	   && ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Pango for PDF reports with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	  else \
	    echo "Pango is missing (PDF reports need it): install it with 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0' (Debian/Ubuntu), 'brew install pango' (macOS) or 'sudo dnf install pango' (Fedora), then run make again." >&2; \
	    exit 1; \
	  fi; }

# Chromium opens HTML reports in the tests (driven by Playwright, which cannot download a
# browser of its own here); without it those tests are skipped, saying why.
chromium:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the HTML report tests with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing (the HTML report tests open reports in it; they are skipped without it): install it with 'sudo apt-get install chromium' (Debian/Ubuntu), 'brew install --cask chromium' (macOS) or 'sudo dnf install chromium' (Fedora), then run make again." >&2; \
	  fi; }

demo: setup
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/lineage --db $(DB) init
	$(BIN)/lineage --db $(DB) data-root set .
	$(BIN)/lineage --db $(DB) ingest sample_data/lineage.yaml
	$(BIN)/lineage --db $(DB) audit verify
	$(BIN)/lineage --db $(DB) verify support-assistant-v1
	$(BIN)/lineage --db $(DB) approvals support-assistant-v1
	$(BIN)/lineage --db $(DB) evaluations support-assistant-v1
	$(BIN)/lineage --db $(DB) tiers support-assistant-v1
	$(BIN)/lineage --db $(DB) upstream support-assistant-v1
	mkdir -p $(OUT)
	$(BIN)/lineage --db $(DB) diagram support-assistant-v1 -o $(OUT)/support-assistant-v1.svg
	$(BIN)/lineage --db $(DB) diagram support-assistant-v1 -o $(OUT)/support-assistant-v1.png
	$(BIN)/lineage --db $(DB) report support-assistant-v1 -o $(OUT)/paper-trail.html
	$(BIN)/lineage --db $(DB) report support-assistant-v1 -o $(OUT)/paper-trail.md
	$(BIN)/lineage --db $(DB) export --format prov-json support-assistant-v1 -o $(OUT)/support-assistant-v1.provjson
	$(BIN)/lineage --db $(DB) export --format openlineage support-assistant-v1 -o $(OUT)/support-assistant-v1.ndjson
	@# The sample has problems planted in it: check must find them and exit 1 (2 is bad input).
	@status=0; $(BIN)/lineage --db $(DB) check support-assistant-v1 || status=$$?; \
	  test $$status -eq 1 || { echo "lineage check exited $$status, expected 1" >&2; exit 1; }

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lineage cli

# `make bench` runs every benchmark --runs $(RUNS) times (min / median / max, ratios
# against baselines measured in the same run); `make bench BUSY=1` does it with one
# CPU-bound process beside it. `make bench-core` runs only the figures every change is
# held to (start-up, bulk ingest, closures, re-hashing, the 100k report). Stores of the
# closure, report, BOM and diagram benchmarks are built once in $(BENCH_DIR) and reused
# by later runs (the 1M-record closure stores take a few minutes the first time).
RUNS       ?= 3
BUSY       ?=
BENCH_DIR  ?= $(or $(TMPDIR),/tmp)/lineage-bench
BENCH_NODES ?= 1000000
BENCH_ARGS := --runs $(RUNS) $(if $(BUSY),--busy)

bench-core: setup
	$(BIN)/python bench/bench_cli.py $(BENCH_ARGS)
	mkdir -p $(BENCH_DIR)/closure
	$(BIN)/python bench/bench_store.py $(BENCH_ARGS) --ingest-only --ingest-nodes 200000
	$(BIN)/python bench/bench_closure.py $(BENCH_ARGS) --nodes $(BENCH_NODES) --keep $(BENCH_DIR)/closure
	$(BIN)/python bench/bench_hash.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_report.py $(BENCH_ARGS) --sizes 100000 --no-templates --keep $(BENCH_DIR)

bench: bench-core
	$(BIN)/python bench/bench_diagram.py $(BENCH_ARGS) --db $(BENCH_DIR)/diagram-100000.db
	$(BIN)/python bench/bench_bom.py $(BENCH_ARGS) --keep $(BENCH_DIR)
	$(BIN)/python bench/bench_tiers.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_versions.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_same_content.py
	$(BIN)/python bench/bench_staging.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(OUT) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
