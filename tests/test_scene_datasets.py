"""The data-set segment: its numbers are the sweep's, success and struggle follow the accuracies,
a diverged run is said to have diverged, the render is a real captioned video that fits the frame."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scene_checks import (
    assert_in_frame_without_overlaps,
    check_captioned_video,
    red_blue_share,
    render_scene,
    sweep_vars,
    trained_sweep,
)

from nncore.model import predict
from nncore.sweep import SweepEntry
from scenes.common.format import caption_percent
from voice.spoken import caption_problems

BEATS = ["sets", "training", "success", "struggle", "verdict"]

SWEEPS_A = """[sweeps.datasets]
vary = "data.dataset"
values = ["moons", "circles", "blobs", "gaussian_quantiles"]

[sweeps.datasets.overrides.model]
hidden_units = 4
"""
BASE_A = "[data]\npoints = 120\n\n[train]\niterations = 200\n"

SWEEPS_B = """[sweeps.datasets]
vary = "data.dataset"
values = ["moons", "gaussian_quantiles", "circles"]

[sweeps.datasets.overrides.model]
hidden_units = 3
"""
BASE_B = "[data]\npoints = 80\nseed = 5\n\n[train]\niterations = 120\nlearning_rate = 2.0\ninit_seed = 7\n"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders: the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("ds_media")


@pytest.fixture(scope="module")
def sweep_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[SweepEntry]]:
    return trained_sweep(tmp_path_factory.mktemp("ds_a"), SWEEPS_A, BASE_A, "datasets")


@pytest.fixture(scope="module")
def sweep_b(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[SweepEntry]]:
    return trained_sweep(tmp_path_factory.mktemp("ds_b"), SWEEPS_B, BASE_B, "datasets")


def test_numbers_are_the_sweeps(sweep_a: tuple[Path, Path, list[SweepEntry]]) -> None:
    from scenes.datasets import dataset_numbers

    entries = sweep_a[2]
    n = dataset_numbers(entries)
    assert [r.name for r in n.runs] == ["moons", "circles", "blobs", "gaussian quantiles"]
    assert (n.n_h, n.T) == (4, 200)
    for r, e in zip(n.runs, entries, strict=True):
        h = e.history
        assert h is not None and r.m == h.m == 120
        assert (r.acc0, r.accT, r.costT, r.cost_half) == (h.accuracy[0], h.accuracy[-1], h.cost[-1], h.cost[100])
        assert r.wrongT == int((predict(h.X, h.params(h.iterations))[0] != h.Y[0]).sum())


def _check_captions(entries: list[SweepEntry]) -> dict[str, str]:
    from scenes.datasets import DETAILED, SUCCESS, captions, dataset_numbers

    n = dataset_numbers(entries)
    cap = captions(n)
    assert list(cap) == BEATS
    done = [r for r in n.runs if not r.diverged]
    # Before training: the range, each end named (the cards show every accuracy).
    lo, hi = min(done, key=lambda r: r.acc0), max(done, key=lambda r: r.acc0)
    if lo.acc0 < hi.acc0:
        expected = f"from {caption_percent(lo.acc0)} ({lo.name}) to {caption_percent(hi.acc0)} ({hi.name})"
        assert expected in cap["training"]
    # The verdict: the best and the worst final accuracy, with their data sets.
    best, worst = max(r.accT for r in done), min(r.accT for r in done)
    if best > worst:
        assert f"From {caption_percent(best)} on " in cap["verdict"]
        assert f" to {caption_percent(worst)} on " in cap["verdict"]
    else:
        assert f"{caption_percent(best)} on every one" in cap["verdict"]
    detailed = len(n.struggling) <= DETAILED
    for j, r in enumerate(n.runs):
        # the beats circle the panels the captions name: they read the same properties
        assert (j in n.learnt) == (r.accT >= SUCCESS) and (j in n.struggling) == (r.accT < SUCCESS)
        # every final accuracy is said, where the data set succeeds or where it struggles
        if r.accT >= SUCCESS:
            assert f"{r.name} ({caption_percent(r.accT)})" in cap["success"] and r.name not in cap["struggle"]
        elif detailed:
            part = next(p for p in cap["struggle"].split("; ") if f"{r.name} ends at" in p)
            assert f"{r.name} ends at {caption_percent(r.accT)}, {r.wrong_text} wrong (ringed)" in part
            assert f"{r.wrongT} points wrong" in part or r.wrongT == 1
            assert ("its cost flat after half-way" in part) == r.flat
            assert ("its cost barely falling after half-way" in part) == (r.stalled and not r.flat)
        else:
            assert f"{r.name} ({caption_percent(r.accT)})" in cap["struggle"]
            # too many to describe one by one: how many of them stalled
            stalled = sum(n.runs[k].stalled for k in n.struggling)
            who = "all of them" if stalled == len(n.struggling) else f"{stalled} of them"
            assert (f"For {who} the cost fell little or not at all after half-way." in cap["struggle"]) == (stalled > 0)
    assert f"for {n.T} iterations" in cap["training"]
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}
    return cap


def test_captions_carry_the_numbers(
    sweep_a: tuple[Path, Path, list[SweepEntry]], sweep_b: tuple[Path, Path, list[SweepEntry]]
) -> None:
    texts = [" ".join(_check_captions(s[2]).values()) for s in (sweep_a, sweep_b)]
    nums = [set(re.findall(r"\d+\.\d+", t)) for t in texts]
    assert nums[0] - nums[1] and nums[1] - nums[0]  # two sweeps, two narrations
    assert "120 points each" in texts[0] and "80 points each" in texts[1]


def test_the_lecture_sweeps_story_holds_on_a_shortened_run(tmp_path: Path) -> None:
    # The lecture's data sets and settings cut to 3000 iterations: moons and gaussian quantiles are
    # learnt, circles and blobs are not, and the narration says so.
    _, _, entries = trained_sweep(tmp_path, SWEEPS_A, "[train]\niterations = 3000\n", "datasets")
    cap = _check_captions(entries)
    assert "succeeds" in cap["success"] and "moons" in cap["success"] and "gaussian quantiles" in cap["success"]
    assert "circles ends at" in cap["struggle"] and "blobs ends at" in cap["struggle"]


def test_a_diverged_run_is_said_to_have_diverged(sweep_b: tuple[Path, Path, list[SweepEntry]]) -> None:
    from dataclasses import replace

    from scenes.datasets import captions, dataset_numbers

    entries = list(sweep_b[2])
    entries[1] = replace(entries[1], history=None, path=None, diverged_at=3)
    cap = captions(dataset_numbers(entries))
    assert "On gaussian quantiles training diverged at iteration 3." in cap["training"]
    assert "gaussian quantiles" not in cap["verdict"] and "gaussian quantiles" not in cap["struggle"]


@pytest.mark.render
def test_render_is_a_captioned_video(sweep_a: tuple[Path, Path, list[SweepEntry]], media: Path) -> None:
    from scenes.datasets import captions, dataset_numbers

    path, out, entries = sweep_a
    video = render_scene("scenes/datasets.py", "Datasets", media, "DS_a", sweep_vars(path, out)).mp4
    frames = check_captioned_video(video, list(captions(dataset_numbers(entries)).values()))
    # the boundaries formed
    assert red_blue_share(frames[1]) > 0.1 and red_blue_share(frames[1]) > red_blue_share(frames[0])
    assert np.abs(frames[1] - frames[0]).mean() > 1.0


@pytest.mark.render
def test_every_beat_fits_the_frame_without_overlaps(sweep_b: tuple[Path, Path, list[SweepEntry]], media: Path) -> None:
    # Played without animations (``-s``), the boxes on screen recorded at the end of every beat.
    path, out, _ = sweep_b
    boxes = render_scene("scenes/datasets.py", "Datasets", media, "DS_b", sweep_vars(path, out), still=True).boxes
    assert list(boxes) == BEATS
    assert_in_frame_without_overlaps(boxes)
