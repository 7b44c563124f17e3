# make lecture: set up, then build the lecture.   make test: set up, then lint and run the tests.
.PHONY: lecture test setup setup-test lint clean

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

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf build media
