# make lecture: set up, then build the lecture.   make test: set up, then run the checks and the tests.
.PHONY: lecture slides script test test-fast test-layout setup setup-test setup-cluster lint stills lock clean

# QUALITY=preview|course|hd60 (default course), JOBS=N (default: the number of cores).
lecture: setup
	.venv/bin/python -m lecture build $(if $(QUALITY),--quality $(QUALITY)) $(if $(JOBS),--jobs $(JOBS))

# The lecture as a deck, one beat per step: build/slides/<quality>/ (index.html, lecture.pptx). FORMAT=html|pptx.
slides: setup
	.venv/bin/python -m lecture slides $(if $(QUALITY),--quality $(QUALITY)) $(if $(JOBS),--jobs $(JOBS)) $(if $(FORMAT),--format $(FORMAT))

script: setup  # the narration script, to record the lecture yourself: build/script/script.md and script.json
	.venv/bin/python -m lecture script $(if $(QUALITY),--quality $(QUALITY)) $(if $(JOBS),--jobs $(JOBS))

# Every test, on every core (pytest-xdist; tests/conftest.py orders the modules). TEST_ARGS=... adds pytest options.
# One worker more than cores: workers wait on their render processes, and the spare one fills those gaps
# (on 2 cores: 5:58 with 3 workers against 6:17-6:25 with 2). TEST_WORKERS=N overrides it.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: setup-test
	@$(MAKE) --no-print-directory checks
	.venv/bin/python -m pytest -q -n $(TEST_WORKERS) $(TEST_ARGS)

# The tests that render nothing, build no lecture and train no course notebook in full (the maths, the
# scenes' numbers and captions, the units): under a minute. One file: .venv/bin/python -m pytest -q tests/test_model.py
test-fast: setup-test
	@$(MAKE) --no-print-directory checks
	.venv/bin/python -m pytest -q -n auto -m "not render and not e2e and not course" $(TEST_ARGS)

# The long search of tests/test_layout_property.py: LAYOUT_EXAMPLES configurations (default 200) drawn afresh
# from everything the core accepts, each lecture played without drawing and checked; one search per core.
LAYOUT_EXAMPLES ?= 200
LAYOUT_SHARDS ?= $(shell nproc)
test-layout: setup-test
	@echo "test-layout: $(LAYOUT_EXAMPLES) configurations on $(LAYOUT_SHARDS) cores; progress: tail -f build/test-layout.log"
	LAYOUT_EXAMPLES=$(LAYOUT_EXAMPLES) LAYOUT_SHARDS=$(LAYOUT_SHARDS) .venv/bin/python -m pytest -q -n $(LAYOUT_SHARDS) \
		--dist load --hypothesis-show-statistics -k every_configuration tests/test_layout_property.py $(TEST_ARGS)

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

# The optional extra for building on a Dask cluster (lecture build --cluster), on the client and on
# every machine that runs a worker: requirements-cluster.lock (docs/cluster.md). make test installs it too.
setup-cluster:
	@bash scripts/setup.sh --cluster

# Rewrite the scene tests' reference stills (tests/stills/) after a deliberate change of the picture;
# look at the new PNGs before committing them.
stills: setup-test
	UPDATE_STILLS=1 .venv/bin/python -m pytest -q -k reference_stills tests/

# The static checks, before any test: ruff's lint and its formatting, mypy (strict on nncore/ and voice/, its
# default checks elsewhere; [tool.mypy] in pyproject.toml), ESLint on the page's, the deck's and the SCORM glue's JavaScript
# (eslint.config.mjs), and no import cycles between the project's modules.
lint: setup-test
	@$(MAKE) --no-print-directory checks

.PHONY: checks
checks:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	node_modules/.bin/eslint lecture/page/templates lecture/deck/templates lecture/package/templates
	.venv/bin/python scripts/import_cycles.py

# Rewrite requirements.lock and requirements-dev.lock from pyproject.toml (with uv, fetched on first use);
# ARGS="--upgrade-package NAME" or ARGS=--upgrade moves pins. The next set-up installs them.
lock:
	@bash scripts/lock.sh $(ARGS)

clean:
	rm -rf build media
