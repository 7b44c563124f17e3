"""The regularisation segment: its numbers are the two sweeps', its claims (overfits, helps) follow the
histories, a sweep of something else is one line, and every beat fits the frame and matches its
reference still (the chapter's narrated, captioned video is the end-to-end lecture's:
tests/test_lecture_e2e.py)."""

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
    render_scene,
    sweep_env,
    sweep_vars,
    write_sweeps,
)

from nncore.sweep import SweepEntry
from scenes.common.format import caption_percent
from scenes.common.layout_check import check_segment
from voice.spoken import caption_parts, caption_problems

BEATS = ["runs", "training", "overfit", "remedies", "verdict"]

Sweeps = tuple[Path, Path, list[SweepEntry]]

RUN = """
[sweeps.{name}.overrides.data]
dataset = "moons"
seed = 1
points = 60
noise = 0.4
test_points = {test}
test_seed = 2

[sweeps.{name}.overrides.model]
hidden_layers = [40, 40]
activation = "relu"
init = "he"

[sweeps.{name}.overrides.train]
learning_rate = 0.3
iterations = {iterations}
"""

# The lecture's run, cut to 1500 iterations: it already overfits (its test accuracy peaks at iteration 114).
SWEEPS_A = (
    '[sweeps.regularization]\nvary = "train.l2"\nvalues = [0.0, 1.0]\n'
    + RUN.format(name="regularization", test=400, iterations=1500)
    + '\n[sweeps.dropout]\nvary = "train.keep_prob"\nvalues = [0.5]\n'
    + RUN.format(name="dropout", test=400, iterations=1500)
)

# No run without regularisation, two lambdas and no dropout run; a smaller test set, 200 iterations.
SWEEPS_B = (
    '[sweeps.regularization]\nvary = "train.l2"\nvalues = [0.1, 3.0]\n'
    + RUN.format(name="regularization", test=100, iterations=200)
    + '\n[sweeps.dropout]\nvary = "train.keep_prob"\nvalues = [0.8]\n'
    + RUN.format(name="dropout", test=100, iterations=200)
)


def trained(directory: Path, sweeps: str) -> Sweeps:
    """Write ``sweeps`` (based on the default run) into ``directory`` and read both the way the scene does."""
    from scenes.regularization import read_runs

    path = write_sweeps(directory, sweeps, "[model]\nhidden_units = 4\n")
    out = directory / "out"
    with sweep_env(path, out):
        return path, out, read_runs()


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders: the later ones reuse the first's typeset TeX."""
    return tmp_path_factory.mktemp("reg_media")


@pytest.fixture(scope="module")
def sweeps_a(tmp_path_factory: pytest.TempPathFactory) -> Sweeps:
    return trained(tmp_path_factory.mktemp("reg_a"), SWEEPS_A)


@pytest.fixture(scope="module")
def sweeps_b(tmp_path_factory: pytest.TempPathFactory) -> Sweeps:
    return trained(tmp_path_factory.mktemp("reg_b"), SWEEPS_B)


def test_numbers_are_the_sweeps(sweeps_a: Sweeps) -> None:
    from scenes.regularization import regularization_numbers

    entries = sweeps_a[2]
    n = regularization_numbers(entries)
    assert [(r.l2, r.keep_prob) for r in n.runs] == [(0.0, 1.0), (1.0, 1.0), (0.0, 0.5)]
    assert (n.T, n.m, n.m_test, n.unit) == (1500, 60, 400, "iteration")
    for r, e in zip(n.runs, entries, strict=True):
        h = e.history
        assert h is not None
        test = h.more["test_accuracy"]
        assert (r.accT, r.test_accT, r.costT) == (h.accuracy[-1], test[-1], h.cost[-1])
        assert r.test_peak == test.max() and test[r.peak_at] == test.max() and test[: r.peak_at].max() < test.max()
    lowest = min(min(e.history.accuracy.min(), e.history.more["test_accuracy"].min()) for e in entries if e.history)
    assert n.y_min <= 100 * lowest < n.y_min + 10 and n.y_min % 10 == 0
    plain = n.runs[0]
    # the run without regularisation overfits: all its training points right, its test accuracy past its peak
    assert n.plain == 0 and plain.accT == 1.0 and plain.falls and plain.test_peak - plain.test_accT >= 0.01
    # each regularised run is said to help exactly when it ends higher on the test set with a smaller gap
    for j, r in enumerate(n.runs[1:], start=1):
        assert (j in n.helped) == (r.test_accT > plain.test_accT and r.gap < plain.gap)


def _check_captions(entries: list[SweepEntry]) -> dict[str, str]:
    from scenes.regularization import captions, regularization_numbers

    n = regularization_numbers(entries)
    cap = captions(n)
    assert list(cap) == BEATS
    problems = {k: p for k, c in cap.items() for part in caption_parts(c) if (p := caption_problems(part))}
    assert problems == {}
    for r in n.pick(n.finished):
        assert f"{r.name}, {caption_percent(r.test_accT)}" in cap["verdict"]
        if not r.plain:
            said = f"{caption_percent(r.accT)} on the training set and {caption_percent(r.test_accT)} on the test set"
            assert f"{r.name} ends at {said}".lower() in cap["remedies"].lower()
    plain = n.runs[n.plain] if n.plain is not None else None
    assert ("then falls to" in cap["overfit"]) == (plain is not None and plain.falls)
    assert ("more right on new ones" in cap["remedies"]) == bool(n.helped)
    return cap


def test_captions_claim_only_what_the_numbers_show(sweeps_a: Sweeps, sweeps_b: Sweeps) -> None:
    a, b = _check_captions(sweeps_a[2]), _check_captions(sweeps_b[2])
    assert "Trained once as it is, then with L2 regularisation of lambda 1 and with dropout keeping 50%" in a["runs"]
    assert "Without regularisation the training accuracy reaches 100%." in a["overfit"]
    assert b["overfit"].startswith("Every run here is regularised") and "Trained with L2" in b["runs"]
    # a plain run whose test accuracy did not fall is not said to overfit
    from scenes.regularization import captions, regularization_numbers

    h = sweeps_a[2][0].history
    assert h is not None
    flat = np.maximum.accumulate(h.more["test_accuracy"])  # never falls
    kept = replace(sweeps_a[2][0], history=type(h).from_arrays(h.meta, {**h.arrays, "test_accuracy": flat}))
    said = captions(regularization_numbers([kept, *sweeps_a[2][1:]]))["overfit"]
    assert "then falls" not in said and "this run does not overfit" in said


@pytest.mark.parametrize(
    ("sweeps", "needle"),
    [
        (
            '[sweeps.regularization]\nvary = "train.l2"\nvalues = [0.0]\n\n'
            '[sweeps.dropout]\nvary = "train.keep_prob"\nvalues = [0.5]\n\n'
            "[sweeps.dropout.overrides.train]\nlearning_rate = 0.5\n",
            "must train the same run but for train.l2 and train.keep_prob",
        ),
        (
            '[sweeps.regularization]\nvary = "train.l2"\nvalues = [0.0]\n\n'
            '[sweeps.dropout]\nvary = "train.keep_prob"\nvalues = [0.5]\n',
            "need a test set (data.test_points > 0)",
        ),
        (
            '[sweeps.regularization]\nvary = "train.learning_rate"\nvalues = [0.1]\n\n'
            '[sweeps.dropout]\nvary = "train.keep_prob"\nvalues = [0.5]\n',
            "{sweeps}: sweep 'regularization' must vary train.l2",
        ),
    ],
)
def test_sweeps_the_chapter_cannot_draw_are_one_line_and_exit_2(tmp_path: Path, sweeps: str, needle: str) -> None:
    path = write_sweeps(tmp_path, sweeps, "[train]\niterations = 5\n")
    env = {**os.environ, **sweep_vars(path, tmp_path / "out")}
    code = "from scenes.regularization import read_runs; read_runs()"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert needle.format(sweeps=path) in r.stderr
    assert "`python -m nncore sweep --sweep regularization --sweep dropout` trains it" in r.stderr


@pytest.mark.render
def test_every_beat_fits_the_frame_and_matches_the_reference_stills(
    sweeps_a: Sweeps, sweeps_b: Sweeps, media: Path
) -> None:
    path, out, _ = sweeps_a
    run = render_scene("scenes/regularization.py", "Regularization", media, "RG_a_s", sweep_vars(path, out), still=True)
    assert list(run.boxes) == BEATS
    assert_in_frame_without_overlaps(run.boxes)
    check_pictures({beat: run.beat_end(beat) for beat in BEATS}, "regularization")
    # another sweep, played through the layout check (in this process, nothing drawn): every piece in the
    # frame, no two texts overlapping
    path, out, _ = sweeps_b
    check = check_segment("scenes/regularization.py", "Regularization", sweep_vars(path, out))
    assert check.beats == BEATS and check.problems == []
