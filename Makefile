# make lecture: set up, then build the lecture.   make test: set up, then lint and run the tests.
.PHONY: lecture test setup setup-test lint clean

lecture: setup
	.venv/bin/python -m nncore train
	@echo "The lecture video is not assembled yet (scenes and stitcher pending); the training history above is what it will be built from."

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
