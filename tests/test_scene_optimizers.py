"""The optimiser segment: its numbers are the sweep's, the two weights are the first update's largest
and smallest gradient, its claims follow the histories, the notebook's printed accuracies are said only
beside the notebook's own runs, and every beat fits the frame and matches its reference still (the
narrated, captioned video of the chapter is the end-to-end lecture's: tests/test_lecture_e2e.py)."""

from __future__ import annotations

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

from nncore.course import OPTIMIZATION_ACCURACIES
from nncore.paths import DEFAULT_SWEEPS
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.format import caption_number, caption_percent
from scenes.common.layout_check import check_segment
from voice.spoken import caption_parts, caption_problems

BEATS = ["runs", "training", "paths", "steps", "verdict"]

Sweep = tuple[Path, Path, list[SweepEntry]]

# The notebook's runs, cut to 300 epochs (1500 updates).
SWEEPS_A = """[sweeps.optimizers]
vary = "train.optimizer"
values = ["gd", "momentum", "adam"]

[sweeps.optimizers.overrides.data]
dataset = "moons"
seed = 3
points = 300
noise = 0.2

[sweeps.optimizers.overrides.model]
hidden_layers = [5, 2]
activation = "relu"
init = "he"

[sweeps.optimizers.overrides.train]
learning_rate = 0.0007
iterations = 300
init_seed = 3
batch_size = 64
batch_seed = 10
"""
BASE_A = "[model]\nhidden_units = 4\n"

# Full batch, one hidden tanh layer, a test set, Adam first: iterations, not epochs.
SWEEPS_B = """[sweeps.optimizers]
vary = "train.optimizer"
values = ["adam", "gd"]

[sweeps.optimizers.overrides.data]
points = 120
test_points = 40
"""
BASE_B = "[model]\nhidden_units = 3\n\n[train]\niterations = 150\nlearning_rate = 0.05\ninit_seed = 7\n"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders: the later ones reuse the first's typeset TeX."""
    return tmp_path_factory.mktemp("opt_media")


@pytest.fixture(scope="module")
def sweep_a(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return trained_sweep(tmp_path_factory.mktemp("opt_a"), SWEEPS_A, BASE_A, "optimizers")


@pytest.fixture(scope="module")
def sweep_b(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return trained_sweep(tmp_path_factory.mktemp("opt_b"), SWEEPS_B, BASE_B, "optimizers")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> list[SweepEntry]:
    """The lecture's own optimiser sweep (media_config/sweeps.toml: the notebook's three runs), trained once."""
    return load_sweep("optimizers", ROOT / DEFAULT_SWEEPS, lecture_sweeps(tmp_path_factory))


def test_numbers_are_the_sweeps(sweep_a: Sweep) -> None:
    from scenes.optimizers import PATH_EPOCHS, optimizer_numbers

    entries = sweep_a[2]
    n = optimizer_numbers(entries)
    assert [r.optimizer for r in n.runs] == ["gd", "momentum", "adam"]
    assert (n.T, n.unit, n.updates, n.batch_size, n.m, n.m_test) == (300, "epoch", 1500, 64, 300, 0)
    assert (n.path_epochs, n.path_updates) == (PATH_EPOCHS, 5 * PATH_EPOCHS)
    # the two weights: the largest and the smallest nonzero gradient of the first update, the same in every run
    first = [e.history.dW1[0] for e in entries if e.history is not None]
    assert all(np.array_equal(g, first[0]) for g in first)
    g = np.abs(first[0])
    (ra, ca), (rb, cb) = n.weights
    assert g[ra, ca] == g.max() and g[rb, cb] == g[g > 0].min()
    assert n.gradients == (first[0][ra, ca], first[0][rb, cb]) and n.gradient_ratio == g.max() / g[g > 0].min()
    for r, e in zip(n.runs, entries, strict=True):
        h = e.history
        assert h is not None
        assert (r.cost0, r.costT, r.accT) == (h.cost[0], h.cost[-1], h.accuracy[-1])
        moved = (h.W1[PATH_EPOCHS, ra, ca] - h.W1[0, ra, ca], h.W1[PATH_EPOCHS, rb, cb] - h.W1[0, rb, cb])
        assert r.moved == moved
        assert r.printed is None  # 300 epochs: not the notebook's run
    gd, _, adam = n.runs
    # Adam sizes each weight's step: the two weights moved within a few times of each other, not tens
    assert adam.ratio < 5 < 20 < gd.ratio
    assert n.adam == (2,) and not n.notebook


def _check_captions(entries: list[SweepEntry]) -> dict[str, str]:
    from scenes.optimizers import captions, optimizer_numbers

    n = optimizer_numbers(entries)
    cap = captions(n)
    assert list(cap) == BEATS
    problems = {k: p for k, c in cap.items() for part in caption_parts(c) if (p := caption_problems(part))}
    assert problems == {}
    for r in n.pick(n.finished):
        said = f"{caption_percent(r.accT)} on the training set and {caption_percent(r.test_accT)} on the test set"
        assert (said if n.m_test else caption_percent(r.accT)) in cap["verdict"]
        assert f"{r.name} {caption_number(r.costT)}" in cap["training"]
        assert f"{caption_number(abs(r.moved[0]))} and {caption_number(abs(r.moved[1]))}" in cap["steps"]
    assert f"{n.weight_text(0)} had the largest first gradient, {caption_number(n.gradients[0])}" in cap["paths"]
    assert ("Adam scales each weight's step" in cap["steps"]) == bool(n.adam)
    assert ("notebook" in cap["verdict"]) == n.notebook
    return cap


def test_captions_claim_only_what_the_numbers_show(sweep_a: Sweep, sweep_b: Sweep) -> None:
    a, b = _check_captions(sweep_a[2]), _check_captions(sweep_b[2])
    assert "for 300 epochs" in a["runs"] and "in mini-batches of 64" in a["runs"] and a["runs"].startswith("An ")
    assert "1500 updates" in a["training"] and "times as far as the second, against" in a["steps"]
    assert "for 150 iterations" in b["runs"] and "mini-batches" not in b["runs"] and "updates" not in b["training"]
    assert "40 held-out test points" in b["runs"] and "on the test set" in b["verdict"]
    assert "momentum" not in b["steps"] and b["verdict"].startswith("Adam, ")


@pytest.mark.course
def test_the_notebooks_runs_say_its_printed_accuracies(notebook: list[SweepEntry]) -> None:
    # The lecture's sweep is the notebook's 2021 edition: 5000 epochs; its accuracies are the printed ones
    # (tests/test_course_optimization.py checks every printed cost too).
    from scenes.optimizers import captions, optimizer_numbers

    n = optimizer_numbers(notebook)
    assert n.notebook and all(r.reproduces for r in n.runs)
    assert [r.printed for r in n.runs] == [OPTIMIZATION_ACCURACIES[o] for o in ("gd", "momentum", "adam")]
    cap = _check_captions(notebook)
    assert cap["verdict"] == (
        "Gradient descent, 71.67%; momentum, 71.67%; Adam, 94.33%. "
        "These are the accuracies the course's notebook printed."
    )
    assert cap["runs"].startswith("The course's optimisation experiment: two hidden layers of 5 and 2 ReLU units")
    # a run that ended elsewhere is not said to reproduce it
    h = notebook[2].history
    assert h is not None
    other = h.accuracy.copy()
    other[-1] = 0.9
    changed = replace(notebook[2], history=type(h).from_arrays(h.meta, {**h.arrays, "accuracy": other}))
    verdict = captions(optimizer_numbers([*notebook[:2], changed]))["verdict"]
    assert verdict.endswith("The course's notebook printed gradient descent, 71.67%; momentum, 71.67%; Adam, 94.33%.")


def test_a_sweep_of_something_else_is_one_line_and_exit_2(tmp_path: Path) -> None:
    sweeps = tmp_path / "sweeps.toml"
    (tmp_path / "lecture.toml").write_text("[train]\niterations = 5\n")
    sweeps.write_text('base = "lecture.toml"\n\n[sweeps.optimizers]\nvary = "model.init"\nvalues = ["he", "zeros"]\n')
    env = {**os.environ, **sweep_vars(sweeps, tmp_path / "out")}
    code = "from scenes.optimizers import read_runs; read_runs()"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert f"{sweeps}: sweep 'optimizers' must vary train.optimizer" in r.stderr
    assert "(its values: he, zeros)" in r.stderr and "python -m nncore sweep --sweep optimizers" in r.stderr


@pytest.mark.render
def test_every_beat_fits_the_frame_and_matches_the_reference_stills(
    sweep_a: Sweep, sweep_b: Sweep, media: Path
) -> None:
    # Played without animations (``-s``), the boxes on screen recorded at the end of every beat.
    path, out, _ = sweep_a
    run = render_scene("scenes/optimizers.py", "Optimizers", media, "OP_a_s", sweep_vars(path, out), still=True)
    assert list(run.boxes) == BEATS
    assert_in_frame_without_overlaps(run.boxes)
    check_pictures({beat: run.beat_end(beat) for beat in BEATS}, "optimizers")
    # another sweep, played through the layout check (in this process, nothing drawn): every piece in the
    # frame, no two texts overlapping
    path, out, _ = sweep_b
    check = check_segment("scenes/optimizers.py", "Optimizers", sweep_vars(path, out))
    assert check.beats == BEATS and check.problems == []
