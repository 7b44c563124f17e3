# make lecture: set up, then build the lecture.   make test: set up, then lint and run the tests.
.PHONY: lecture test setup setup-test lint stills clean

# QUALITY=preview|course|hd60 (default course), JOBS=N (default: the number of cores).
lecture: setup
	.venv/bin/python -m lecture build $(if $(QUALITY),--quality $(QUALITY)) $(if $(JOBS),--jobs $(JOBS))

test: setup-test
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -q

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

# Rewrite the scene tests' reference stills (tests/stills/) after a deliberate change of the picture;
# look at the new PNGs before committing them.
stills: setup-test
	UPDATE_STILLS=1 .venv/bin/python -m pytest -q -k reference_stills tests/

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf build media
