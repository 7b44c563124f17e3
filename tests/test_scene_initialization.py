"""The initialisation segment: its numbers are the sweep's, its claims follow them, the notebook's
printed accuracies are said only beside the notebook's own runs, and every beat fits the frame and
matches its reference still (the chapter's narrated, captioned video is the end-to-end lecture's:
tests/test_lecture_e2e.py)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scene_checks import (
    ROOT,
    assert_in_frame_without_overlaps,
    check_pictures,
    lecture_sweeps,
    render_scene,
    sweep_vars,
    trained_sweep,
)

from nncore.course import INITIALIZATION_ACCURACIES
from nncore.paths import DEFAULT_SWEEPS
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.format import caption_number, caption_percent
from scenes.common.layout_check import check_segment
from voice.spoken import caption_parts, caption_problems

BEATS = ["runs", "training", "random", "zeros", "verdict"]

Sweep = tuple[Path, Path, list[SweepEntry]]

# The notebook's runs, cut to 1500 iterations: zeros stays put, random starts at an infinite cost.
SWEEPS_A = """[sweeps.initialization]
vary = "model.init"
values = ["zeros", "random", "he"]

[sweeps.initialization.overrides.data]
dataset = "circles"
seed = 1
points = 300
noise = 0.05
factor = 0.8
test_points = 100
test_seed = 2

[sweeps.initialization.overrides.model]
hidden_layers = [10, 5]
activation = "relu"

[sweeps.initialization.overrides.train]
learning_rate = 0.01
iterations = 1500
init_seed = 3
"""
BASE_A = "[model]\nhidden_units = 4\n"

# Another network entirely: one hidden tanh layer, no zeros, no test set, two runs.
SWEEPS_B = """[sweeps.initialization]
vary = "model.init"
values = ["xavier", "course"]

[sweeps.initialization.overrides.data]
dataset = "moons"
points = 120
"""
BASE_B = "[model]\nhidden_units = 3\n\n[train]\niterations = 300\nlearning_rate = 0.5\ninit_seed = 7\n"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders: the later ones reuse the first's typeset TeX."""
    return tmp_path_factory.mktemp("init_media")


@pytest.fixture(scope="module")
def sweep_a(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return trained_sweep(tmp_path_factory.mktemp("init_a"), SWEEPS_A, BASE_A, "initialization")


@pytest.fixture(scope="module")
def sweep_b(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return trained_sweep(tmp_path_factory.mktemp("init_b"), SWEEPS_B, BASE_B, "initialization")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> list[SweepEntry]:
    """The lecture's own initialisation sweep (media_config/sweeps.toml: the notebook's three runs), trained once."""
    return load_sweep("initialization", ROOT / DEFAULT_SWEEPS, lecture_sweeps(tmp_path_factory))


def test_numbers_are_the_sweeps(sweep_a: Sweep) -> None:
    from scenes.initialization import init_numbers

    entries = sweep_a[2]
    n = init_numbers(entries)
    assert [r.init for r in n.runs] == ["zeros", "random", "he"]
    assert (n.T, n.m, n.m_test, n.unit, n.learning_rate) == (1500, 300, 100, "iteration", 0.01)
    assert n.network == "two hidden layers of 10 and 5 ReLU units"
    for r, e in zip(n.runs, entries, strict=True):
        h = e.history
        assert h is not None
        assert (r.cost0, r.costT, r.accT) == (h.cost[0], h.cost[-1], h.accuracy[-1])
        assert r.test_accT == h.more["test_accuracy"][-1]
        assert r.infinite == int(np.isinf(h.cost).sum())
        assert r.units == 10 and r.weight0 == np.abs(h.W1[0]).max()
        # the units of layer 1 are identical at every snapshot exactly when no two rows ever differ
        rows = np.concatenate([h.W1, h.b1], axis=2)
        assert r.identical == all(len(np.unique(rows[i], axis=0)) == 1 for i in range(0, h.iterations + 1, 50))
        assert r.printed is None  # 1500 iterations: not the notebook's run
    zeros, random, he = n.runs
    assert zeros.identical and zeros.all_zero and zeros.distinct_end == 1 and zeros.weight0 == 0
    assert not random.identical and random.starts_infinite and random.last_infinite is not None
    assert not he.identical and he.distinct_end == 10 and math.isfinite(he.cost0)
    assert (n.zeros, n.saturated, n.best) == ((0,), (1,), (2,)) and not n.notebook


def _check_captions(entries: list[SweepEntry]) -> dict[str, str]:
    from scenes.initialization import captions, init_numbers

    n = init_numbers(entries)
    cap = captions(n)
    assert list(cap) == BEATS
    problems = {k: p for k, c in cap.items() for part in caption_parts(c) if (p := caption_problems(part))}
    assert problems == {}
    # every run's final accuracies are said in the verdict, with the test set's when there is one
    for r in n.pick(n.finished):
        said = f"{caption_percent(r.accT)} on the training set and {caption_percent(r.test_accT)} on the test set"
        assert (said if n.m_test else caption_percent(r.accT)) in cap["verdict"]
    # an infinite cost is claimed only for the runs that start at one, with their counts
    for r in n.runs:
        claim = f"{r.name[:1].upper() + r.name[1:]} starts with an infinite cost"
        assert (claim in cap["random"]) == r.starts_infinite
        if r.starts_infinite:
            assert f"infinite at {r.infinite} iterations, the last at iteration {r.last_infinite}" in cap["random"]
            assert f"ends at cost {caption_number(r.costT)}" in cap["random"]
    # the symmetry: said only of runs whose units really stayed identical; "exactly zero" only when they are
    symmetric = n.pick(n.zeros)
    assert ("one dot for" in cap["zeros"]) == bool(symmetric)
    for r in symmetric:
        assert f"one dot for {r.units} units" in cap["zeros"]
        assert ("stay exactly zero" in cap["zeros"]) == r.all_zero
    # the notebook's accuracies, only beside its runs
    assert ("notebook" in cap["verdict"]) == n.notebook
    return cap


def test_captions_claim_only_what_the_numbers_show(sweep_a: Sweep, sweep_b: Sweep) -> None:
    a, b = _check_captions(sweep_a[2]), _check_captions(sweep_b[2])
    assert "Zeros ends where it began: cost 0.693, accuracy 50%." in a["training"]
    assert "with 100 held-out test points" not in b["runs"] and "test set" not in b["verdict"]
    assert "one dot for" not in b["zeros"] and b["random"].startswith("No run here starts with an infinite cost.")
    assert "Xavier" in b["verdict"] and "small random" in b["verdict"]


@pytest.mark.course
def test_the_notebooks_runs_say_its_printed_accuracies(notebook: list[SweepEntry]) -> None:
    # The lecture's sweep is the notebook's: 15,000 iterations; its accuracies are the printed ones
    # (tests/test_course_initialization.py checks every printed cost too).
    from scenes.initialization import captions, init_numbers

    n = init_numbers(notebook)
    assert n.notebook and all(r.reproduces for r in n.runs)
    assert [r.printed for r in n.runs] == [INITIALIZATION_ACCURACIES[i] for i in ("zeros", "random", "he")]
    cap = _check_captions(notebook)
    assert cap["verdict"].endswith("These are the accuracies the course's notebook printed.")
    assert cap["runs"].startswith("The course's initialisation experiment: two hidden layers of 10 and 5 ReLU units")
    assert "He, 99.33% on the training set and 96% on the test set" in cap["verdict"]
    assert "Random, 83% on the training set and 86% on the test set" not in cap["verdict"]  # not a sentence start
    assert "random, 83% on the training set and 86% on the test set" in cap["verdict"]
    # a run that ended elsewhere (another machine's last bits, say) is not said to reproduce it
    h = notebook[2].history
    assert h is not None
    other = h.more["test_accuracy"].copy()
    other[-1] = 0.95
    changed = replace(notebook[2], history=type(h).from_arrays(h.meta, {**h.arrays, "test_accuracy": other}))
    verdict = captions(init_numbers([*notebook[:2], changed]))["verdict"]
    assert "The course's notebook printed zeros, 50% and 50%; random, 83% and 86%; He, 99.33% and 96%." in verdict


def test_a_sweep_of_something_else_is_one_line_and_exit_2(tmp_path: Path) -> None:
    sweeps = tmp_path / "sweeps.toml"
    (tmp_path / "lecture.toml").write_text("[train]\niterations = 5\n")
    sweeps.write_text(
        'base = "lecture.toml"\n\n[sweeps.initialization]\nvary = "train.learning_rate"\nvalues = [0.1, 1.2]\n'
    )
    env = {**os.environ, **sweep_vars(sweeps, tmp_path / "out")}
    code = "from scenes.initialization import read_runs; read_runs()"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert f"{sweeps}: sweep 'initialization' must vary model.init" in r.stderr
    assert "(its values: 0.1, 1.2)" in r.stderr and "python -m nncore sweep --sweep initialization" in r.stderr


@pytest.mark.render
def test_every_beat_fits_the_frame_and_matches_the_reference_stills(
    sweep_a: Sweep, sweep_b: Sweep, media: Path
) -> None:
    # Played without animations (``-s``), the boxes on screen recorded at the end of every beat.
    path, out, _ = sweep_a
    run = render_scene("scenes/initialization.py", "Initialization", media, "IN_a_s", sweep_vars(path, out), still=True)
    assert list(run.boxes) == BEATS
    assert_in_frame_without_overlaps(run.boxes)
    check_pictures({beat: run.beat_end(beat) for beat in BEATS}, "initialization")
    # another sweep, played through the layout check (in this process, nothing drawn): every piece in the
    # frame, no two texts overlapping
    path, out, _ = sweep_b
    check = check_segment("scenes/initialization.py", "Initialization", sweep_vars(path, out))
    assert check.beats == BEATS and check.problems == []
