# Two commands a newcomer needs: `make serve` (build the site, executing the playbooks, and
# serve it on http://127.0.0.1:8000) and `make test` (every check CI runs). Both create the
# virtual environment in .venv from the pinned requirements.lock first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: serve build test lint chromium lock benchmark lighthouse record-timings fuzz clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check src tests playbooks hooks scripts
	$(BIN)/ruff format --check src tests playbooks hooks scripts
	$(BIN)/mypy
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# The browser tests drive Debian's Chromium; install it when missing (never a downloaded one).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# Two test workers on two cores: each numeric library gets one thread, or their thread pools
# fight over the cores and a seconds-long experiment takes a minute.
# The playbooks run as the notebooks readers download, through nbmake.
NOTEBOOKS := .cache/notebooks
# The wheels a reader's fresh install needs, so the install test runs offline (fetched once).
WHEELHOUSE := .cache/wheelhouse

$(WHEELHOUSE)/.complete: requirements.lock pyproject.toml | $(STAMP)
	$(BIN)/python scripts/wheelhouse.py $(WHEELHOUSE)

test: $(STAMP) chromium lint $(WHEELHOUSE)/.complete
	$(BIN)/python scripts/export_notebooks.py $(NOTEBOOKS)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/pytest -n 2 tests --nbmake $(NOTEBOOKS)

# Measure, don't assert: clean build time and playbook run time on this machine.
benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# Thousands of generated command lines per trade-off; counts answers, refusals and failures.
fuzz: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python scripts/fuzz.py --examples 1000

# Lighthouse (npm, pinned in scripts/lighthouse) on every page, served with gzip: a table of
# performance and accessibility scores; fails below 95. Needs the npm registry the first time.
lighthouse: $(STAMP) chromium
	cd scripts/lighthouse && npm ci --no-audit --no-fund --silent
	$(BIN)/mkdocs build --strict
	$(BIN)/python scripts/lighthouse.py site

# Re-record the timings the site shows (the build uses recorded timings so that two builds
# give identical pages; notebooks run by readers always time live).
record-timings: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python scripts/record_timings.py

# Re-pin the dependencies after editing pyproject.toml (needs network).
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
