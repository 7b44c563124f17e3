"""The learning-rate segment: its numbers are the sweep's, its narration claims only what they show,
a diverged run is said to have diverged, the render is a real captioned video that fits the frame."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

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

from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.format import caption_number, caption_percent, spoken_list
from voice.spoken import caption_problems

BEATS = ["runs", "curves", "small", "zigzag", "wild", "boundaries", "verdict"]

SWEEPS_A = """[sweeps.learning_rates]
vary = "train.learning_rate"
values = [0.01, 0.1, 1.2, 5.2, 50.0]
"""
BASE_A = "[model]\nhidden_units = 4\n\n[train]\niterations = 150\n"

SWEEPS_B = """[sweeps.learning_rates]
vary = "train.learning_rate"
values = [0.3, 2.0, 1e306]
"""
BASE_B = "[model]\nhidden_units = 3\n\n[train]\niterations = 90\ninit_seed = 7\n"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders: the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("lr_media")


@pytest.fixture(scope="module")
def sweep_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[SweepEntry]]:
    return trained_sweep(tmp_path_factory.mktemp("lr_a"), SWEEPS_A, BASE_A, "learning_rates")


@pytest.fixture(scope="module")
def sweep_b(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[SweepEntry]]:
    return trained_sweep(tmp_path_factory.mktemp("lr_b"), SWEEPS_B, BASE_B, "learning_rates")


def test_numbers_are_the_sweeps(sweep_a: tuple[Path, Path, list[SweepEntry]]) -> None:
    from scenes.learning_rates import rate_numbers

    entries = sweep_a[2]
    n = rate_numbers(entries)
    assert [r.label for r in n.runs] == ["0.01", "0.1", "1.2", "5.2", "50"]
    for r, e in zip(n.runs, entries, strict=True):
        h = e.history
        assert h is not None
        assert (r.costT, r.accT, r.cost0) == (h.cost[-1], h.accuracy[-1], h.cost[0])
        assert r.rises == sum(1 for a, b in zip(h.cost[:-1], h.cost[1:], strict=True) if b > a)
        assert r.peak == h.cost.max() and h.cost[r.peak_at] == r.peak
    # 50 is far too large even for 150 iterations: it leaves the axes and is named as clipped.
    assert n.runs[4].peak > n.y_max and 4 in n.clipped
    assert all(np.max(cast(History, entries[j].history).cost) <= n.y_max for j in range(5) if j not in n.clipped)


def test_captions_carry_the_numbers_and_claim_only_what_they_show(sweep_a: tuple[Path, Path, list[SweepEntry]]) -> None:
    from scenes.learning_rates import captions, rate_numbers

    n = rate_numbers(sweep_a[2])
    cap = captions(n)
    assert list(cap) == BEATS
    # The final costs by their range, each end named with its rate (the legend shows every run's).
    lo = min(n.runs, key=lambda r: r.costT)
    hi = max(n.runs, key=lambda r: r.costT)
    assert n.runs[cast(int, n.lowest_cost)] is lo and n.runs[cast(int, n.highest_cost)] is hi
    ends = f"they end between {caption_number(lo.costT)} (at {lo.label}) and {caption_number(hi.costT)} (at {hi.label})"
    assert ends in cap["curves"] and f"After {n.T} iterations" in cap["curves"]
    assert f"The boundaries they reach after {n.T} iterations, each with its accuracy and cost." in cap["boundaries"]
    # A run whose cost never rose is said to always lower it; no other is.
    steady = [r.label for r in n.runs if r.rises == 0]
    assert [n.runs[j].label for j in n.steady] == steady
    if steady:
        assert f"Each step should lower the cost: at {spoken_list(steady)} it always does." in cap["zigzag"]
    else:
        assert cap["zigzag"].startswith("Each step should lower the cost.")
    wild = n.runs[4]
    assert not wild.settles
    assert f"jumps from {caption_number(wild.cost0)} to {caption_number(wild.peak)}" in cap["wild"]
    assert f"above its start {caption_percent(wild.above_start)} of the time" in cap["wild"]
    assert "never settles" in cap["wild"] and "Above 1 a curve is drawn at the top: 50 reaches" in cap["curves"]
    top = max(r.accT for r in n.runs)
    assert f"The best accuracy, {caption_percent(top)}" in cap["verdict"]
    for r in n.runs:
        if r.accT == top:
            assert r.label in cap["verdict"].split("reached at")[1].split(";")[0]
    # "zig-zag ... settles" only for runs whose cost really rises often and really settles.
    for j, r in enumerate(n.runs):
        said = f"At {r.label} the cost rises after" in cap["zigzag"]
        assert said == (r.settles and r.rises >= 0.25 * r.T)
        # the beats circle the runs the captions name: they read the same properties
        assert said == (j in n.zigzag)
        assert (f"At {r.label} the steps are far too large" in cap["wild"]) == (j in n.wild)
    assert 4 in n.wild and n.most_accurate == tuple(j for j, r in enumerate(n.runs) if r.accT == top)
    worst = min(n.runs, key=lambda r: r.accT)
    assert f"; {worst.label} only reaches {caption_percent(worst.accT)}." in cap["verdict"]
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_a_diverged_run_is_named_with_its_iteration(sweep_b: tuple[Path, Path, list[SweepEntry]]) -> None:
    from scenes.learning_rates import captions, rate_numbers

    entries = sweep_b[2]
    assert entries[2].history is None and entries[2].diverged_at is not None
    n = rate_numbers(entries)
    cap = captions(n)
    at = entries[2].diverged_at
    # 1e+306 is written as the power of ten it is (and said "10 to the 306").
    assert f"At 10³⁰⁶ there is none: it diverged at iteration {at}." in cap["boundaries"]
    assert f"At 10³⁰⁶ training diverged at iteration {at}" in cap["wild"]
    assert "10³⁰⁶" not in cap["curves"].split("After")[1]  # no final cost for it
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_two_sweeps_give_different_numbers(
    sweep_a: tuple[Path, Path, list[SweepEntry]], sweep_b: tuple[Path, Path, list[SweepEntry]]
) -> None:
    from scenes.learning_rates import captions, rate_numbers

    texts = [" ".join(captions(rate_numbers(s[2])).values()) for s in (sweep_a, sweep_b)]
    nums = [set(re.findall(r"\d+\.\d+", t)) for t in texts]
    assert nums[0] - nums[1] and nums[1] - nums[0]
    assert "trained for 150 iterations" in texts[0] and "trained for 90 iterations" in texts[1]


def test_the_lecture_sweeps_story_holds_on_a_shortened_run(tmp_path: Path) -> None:
    # The lecture's rates and run, cut to 2000 iterations: the narration's judgements come out as the
    # segment is meant to tell them (0.01 barely moves, 5.2 zig-zags yet settles, 50 never settles).
    from scenes.learning_rates import captions, rate_numbers

    _, _, entries = trained_sweep(tmp_path, SWEEPS_A, "[train]\niterations = 2000\n", "learning_rates")
    cap = captions(rate_numbers(entries))
    assert "The smallest rate, 0.01, barely moves" in cap["small"]
    assert "At 5.2 the cost rises after" in cap["zigzag"] and "yet it settles" in cap["zigzag"]
    assert "At 50 the steps are far too large" in cap["wild"] and "never settles" in cap["wild"]
    assert "0.01 only reaches" in cap["verdict"] and "the boundary at 50 keeps jumping" in cap["verdict"]
    n = rate_numbers(entries)
    assert (n.smallest, n.wild, n.clipped, n.clipped_tex) == (0, (4,), (4,), "50") and 3 in n.zigzag


@pytest.mark.render
def test_render_is_a_captioned_video(sweep_a: tuple[Path, Path, list[SweepEntry]], media: Path) -> None:
    from scenes.learning_rates import captions, rate_numbers

    path, out, entries = sweep_a
    video = render_scene("scenes/learning_rates.py", "LearningRates", media, "LR_a", sweep_vars(path, out)).mp4
    frames = check_captioned_video(video, list(captions(rate_numbers(entries)).values()))
    # The curves beat ends on coloured curves; the boundaries beat on red/blue panels.
    assert red_blue_share(frames[5]) > 0.08
    assert np.abs(frames[1] - frames[0]).mean() > 0.3  # the curves grew during the clock's run


@pytest.mark.render
def test_every_beat_fits_the_frame_without_overlaps(sweep_b: tuple[Path, Path, list[SweepEntry]], media: Path) -> None:
    # Played without animations (``-s``), the boxes on screen recorded at the end of every beat.
    path, out, _ = sweep_b
    env = sweep_vars(path, out)
    boxes = render_scene("scenes/learning_rates.py", "LearningRates", media, "LR_b", env, still=True).boxes
    assert list(boxes) == BEATS
    assert_in_frame_without_overlaps(boxes)
