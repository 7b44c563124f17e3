"""The hidden-sizes segment: its numbers are the sweep's histories, its claims follow from them,
its boundary lengths are measured right, and it renders a captioned video that fits the frame."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from scene_checks import (
    SceneRun,
    assert_in_frame_without_overlaps,
    check_captioned_video,
    read_frames,
    read_srt,
    red_blue_share,
    render_scene,
    sweep_env,
    sweep_vars,
    write_sweeps,
)

import scenes.hidden_sizes as segment
from nncore import History, TrainConfig
from nncore.sweep import load_sweep
from scenes.common.field import Extent
from scenes.common.format import caption_number, caption_percent
from scenes.hidden_sizes import (
    COURSE_ACCURACY,
    GROUPS,
    SweepNumbers,
    boundary_length,
    captions,
    clock_schedule,
    course_accuracy,
    held_mean_cost,
    read_sweep,
    shared_extent,
    sweep_numbers,
)
from voice.spoken import caption_problems

BASE = """
[data]
dataset = "flower"
seed = 1

[model]
hidden_units = 4

[train]
learning_rate = 1.2
iterations = {iterations}
init_seed = {init_seed}
"""

SWEEP_A = """
[sweeps.hidden_sizes]
vary = "model.hidden_units"
values = [1, 2, 3, 4, 5, 20, 50]
"""
"""The course's sizes, 150 iterations: every group of sizes, the fuller (two-row) layout."""

SWEEP_B = """
[sweeps.hidden_sizes]
vary = "model.hidden_units"
values = [1, 2, 8, 12]

[sweeps.hidden_sizes.overrides.train]
learning_rate = 0.9
"""
"""Other sizes, rate, iterations and initialisation: no run of 3-5 units, so no ``enough`` beat."""

ALL_BEATS = ["setup", "early", "late", "few", "enough", "more", "table"]

Paths = tuple[Path, Path]
"""A sweeps file and the folder its histories are in."""


def _sweep(tmp: Path, which: str) -> Paths:
    base = BASE.format(iterations=150, init_seed=2) if which == "a" else BASE.format(iterations=110, init_seed=7)
    sweeps = write_sweeps(tmp / "config", SWEEP_A if which == "a" else SWEEP_B, base)
    return sweeps, tmp / "sweeps"


@pytest.fixture(scope="module")
def sweep_a(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """(sweeps file, sweep folder) of :data:`SWEEP_A`, trained."""
    paths = _sweep(tmp_path_factory.mktemp("hidden_a"), "a")
    load_sweep("hidden_sizes", *paths)
    return paths


@pytest.fixture(scope="module")
def sweep_b(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """(sweeps file, sweep folder) of :data:`SWEEP_B`, trained."""
    paths = _sweep(tmp_path_factory.mktemp("hidden_b"), "b")
    load_sweep("hidden_sizes", *paths)
    return paths


def _runs(paths: Paths) -> list[History]:
    with sweep_env(*paths):
        return read_sweep()


def _numbers(runs: list[History]) -> SweepNumbers:
    """The numbers as a 480p15 render computes them."""
    return sweep_numbers(runs, clock_schedule(runs, 15), shared_extent(runs))


# --- numbers and narration -------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["a", "b"])
def test_numbers_and_captions_are_the_histories(which: str, sweep_a: Paths, sweep_b: Paths) -> None:
    paths = sweep_a if which == "a" else sweep_b
    entries = load_sweep("hidden_sizes", *paths, train_missing=False)
    runs = _runs(paths)
    n = _numbers(runs)
    assert n.units == tuple(e.value for e in entries)
    assert n.acc == tuple(e.final_accuracy for e in entries) and n.cost == tuple(e.final_cost for e in entries)
    assert n.acc0 == tuple(float(h.accuracy[0]) for h in runs)
    assert n.T == max(h.iterations for h in runs) and 0 < n.milestone < n.T
    assert n.acc_m == tuple(float(h.accuracy[n.milestone]) for h in runs)
    assert n.every_iteration == (len(clock_schedule(runs, 15)) == n.T + 1)
    assert n.early_seconds + n.late_seconds == pytest.approx(segment.TRAIN_SECONDS)
    best = max(range(len(runs)), key=lambda k: (n.acc[k], -n.units[k]))
    assert n.best == best and n.best_runs[0] == best
    assert n.best_runs == [k for k in range(len(runs)) if n.acc[k] == n.acc[best]]
    cap = captions(n)
    expected = [b for b in ALL_BEATS if b not in {g for g, _, _ in GROUPS} or n.group(b)]
    assert list(cap) == expected
    assert ("enough" in cap) == (which == "a")
    assert list(n.group_beats) == [b for b in cap if b in {g for g, _, _ in GROUPS}]  # the beats the scene plays
    # The table shows every run's accuracy; its caption names the best, and every run's accuracy is
    # said in its group's beat, in the group's order.
    assert f"The table lists all {len(runs)} accuracies." in cap["table"]
    assert f"The best is {n.best_text()} with {caption_percent(n.acc[best])}." in cap["table"]
    lr = runs[0].config.learning_rate
    assert f"learning rate {lr:g}, {n.T} iterations each" in cap["setup"]
    assert f"The same {runs[0].m} points" in cap["setup"]
    assert ", ".join(str(u) for u in n.units[:-1]) + f" and {n.units[-1]} units" in cap["setup"]
    assert ("faster" in cap["late"]) == ("slows down" in cap["early"]) == n.late_is_faster
    for name in n.group_beats:
        ks = n.group(name)
        said = [caption_percent(n.acc[k]) for k in ks]
        assert (said[0] if len(ks) == 1 else ", ".join(said[:-1]) + f" and {said[-1]}") in cap[name]
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_the_milestone_follows_the_mean_cost_with_each_run_held_at_its_end() -> None:
    class Run:
        def __init__(self, cost: list[float]) -> None:
            self.cost = np.array(cost)
            self.iterations = len(cost) - 1

    short, long = Run([1.0, 0.5, 0.2]), Run([1.0, 0.9, 0.8, 0.7, 0.6])
    mean = held_mean_cost([short, long], 4)  # type: ignore[list-item]
    np.testing.assert_allclose(mean, [1.0, 0.7, 0.5, 0.45, 0.4])


def _course() -> SweepNumbers:
    """The course's experiment as nncore reproduces it (docs/core.md, "Sweeps"), boundary lengths as measured."""
    return SweepNumbers(
        units=(1, 2, 3, 4, 5, 20, 50),
        T=5000,
        iterations=(5000,) * 7,
        m=400,
        dataset="flower",
        learning_rate=1.2,
        same_rate=True,
        same_iterations=True,
        acc0=(0.4925, 0.5775, 0.515, 0.5975, 0.3775, 0.565, 0.34),
        milestone=302,
        acc_m=(0.6425, 0.65, 0.88, 0.8875, 0.88, 0.885, 0.87),
        early_seconds=14.0,
        late_seconds=10.0,
        every_iteration=False,
        acc=(0.675, 0.6725, 0.9075, 0.905, 0.9125, 0.9, 0.9075),
        cost=(0.632763, 0.575353, 0.259089, 0.222644, 0.250679, 0.171381, 0.173497),
        length=(12.9, 13.2, 34.4, 35.1, 34.6, 40.9, 42.1),
    )


def test_captions_say_what_the_course_run_shows() -> None:
    n = _course()
    cap = captions(n)
    assert list(cap) == ALL_BEATS
    assert "pass faster" in cap["late"] and "slows down" in cap["early"]
    assert "After 5000, the accuracies run from 67.25% (2 units) to 91.25% (5 units)." in cap["late"]
    assert "67.5% and 67.25%" in cap["few"] and "underfits" in cap["few"] and "23.75 points below" in cap["few"]
    assert "straight boundary" in cap["few"]
    assert "90.75%, 90.5% and 91.25%" in cap["enough"]
    assert "The best of all 7 runs: 5 units, 91.25%" in cap["enough"] and "enough here" in cap["enough"]
    assert "buy no accuracy" in cap["more"] and "below 5 units' 91.25%" in cap["more"]
    # Bounds: the larger networks' highest cost rounded up, the smaller ones' lowest rounded down.
    assert "cost is lower, at most 0.174 against 0.222 at best" in cap["more"]
    # "at least" rounds down: 40.9 / 35.1 = 1.165 is at least 1.16 (1.17 would overstate it).
    assert "at least 1.16 times as long" in cap["more"] and 40.9 / 35.1 >= 1.16
    assert "The table lists all 7 accuracies. The best is 5 units with 91.25%." in cap["table"]
    assert {k: caption_problems(c) for k, c in cap.items() if caption_problems(c)} == {}


def test_captions_claim_only_what_the_numbers_show() -> None:
    n = _course()
    # 50 units better than every smaller network: said so, not "no accuracy".
    better = dataclasses.replace(n, acc=(*n.acc[:6], 0.95))
    cap = captions(better)
    assert "buy no accuracy" not in cap["more"] and "up to 3.75 points above 5 units' 91.25%" in cap["more"]
    assert "best of all" not in cap["enough"] and "The best: 50 units, 95%" in cap["enough"]
    # Ties are named together.
    tie = dataclasses.replace(n, acc=(*n.acc[:2], 0.9125, *n.acc[3:]))
    assert tie.best_text() == "3 and 5 units" and "The best is 3 and 5 units with 91.25%." in captions(tie)["table"]
    assert "to 91.25% (3 and 5 units)." in captions(tie)["late"]
    level = dataclasses.replace(n, acc=(0.9,) * 7)
    assert "every run is at 90%" in captions(level)["late"]
    assert "They are all the same." in captions(level)["table"] and "best" not in captions(level)["table"]
    # Small networks nearly as good: no "underfits".
    close = dataclasses.replace(n, acc=(0.91, 0.9075, *n.acc[2:]))
    assert "underfits" not in captions(close)["few"] and "within 0.25 points of the best" in captions(close)["few"]
    # Larger networks with higher costs and shorter boundaries: neither claim.
    plain = dataclasses.replace(n, cost=(*n.cost[:5], 0.3, 0.3), length=(*n.length[:5], 30.0, 50.0))
    assert "cost is lower" not in captions(plain)["more"] and "wind more" not in captions(plain)["more"]
    # A spread-out "enough" group is not called enough.
    spread = dataclasses.replace(n, acc=(0.675, 0.6725, 0.85, 0.905, 0.9125, 0.9, 0.9075))
    assert "enough here" not in captions(spread)["enough"]


def test_the_course_table_is_shown_only_beside_the_courses_own_runs(sweep_a: Paths) -> None:
    class Run:
        def __init__(self, config: TrainConfig) -> None:
            self.config = config

    course = TrainConfig(hidden_units=50, learning_rate=1.2, iterations=5000, init_seed=2)
    assert course_accuracy(Run(course)) == COURSE_ACCURACY[50] == 0.9025  # type: ignore[arg-type]
    # The flower's 400 points written out are the same run (media_config/sweeps.toml pins them so).
    assert course_accuracy(Run(dataclasses.replace(course, points=400))) == 0.9025  # type: ignore[arg-type]
    for other in (
        dataclasses.replace(course, iterations=4999),
        dataclasses.replace(course, hidden_units=6),
        dataclasses.replace(course, points=300),
        dataclasses.replace(course, dataset="moons"),
    ):
        assert course_accuracy(Run(other)) is None  # type: ignore[arg-type]
    assert _numbers(_runs(sweep_a)).course is None  # 150 iterations: not the course's runs
    # With the course's runs, the table's caption compares honestly: same where the same, the rest listed.
    n = dataclasses.replace(_course(), course=tuple(COURSE_ACCURACY[u] for u in _course().units))
    table = captions(n)["table"]
    assert "The course printed the same for 1, 2, 3, 4, 5 and 20 units, and 90.25% for 50" in table
    assert ", where ours is 90.75%: rounding differences grow." in table  # beside the history's own number
    same = dataclasses.replace(n, acc=cast(tuple[float, ...], n.course))
    assert "printed the same for 1, 2, 3, 4, 5, 20 and 50 units." in captions(same)["table"]
    assert "rounding" not in captions(same)["table"]


def test_boundary_length_of_one_unit_is_its_straight_line(sweep_a: Paths) -> None:
    runs = _runs(sweep_a)
    h = runs[0]
    assert h.hidden_units == 1
    e = Extent(-5.0, 5.0, -5.0, 5.0)
    p = h.params(h.iterations)
    # One unit: A2 = 0.5 where W2 tanh(w . x + b1) + b2 = 0, the straight line w . x = atanh(-b2 / W2) - b1.
    w, c = p.W1[0], math.atanh(-p.b2[0, 0] / p.W2[0, 0]) - p.b1[0, 0]
    ends = []
    for x in (e.xmin, e.xmax):
        y = (c - w[0] * x) / w[1]
        if e.ymin <= y <= e.ymax:
            ends.append((x, y))
    for y in (e.ymin, e.ymax):
        x = (c - w[1] * y) / w[0]
        if e.xmin <= x <= e.xmax:
            ends.append((x, y))
    assert len(ends) == 2
    exact = math.dist(*ends)
    assert boundary_length(h, e) == pytest.approx(exact, rel=0.01)
    # A window the line misses: no boundary at all.
    far = Extent(50.0, 51.0, 50.0, 51.0) if (w @ [50.5, 50.5] - c) * (w @ [-50.5, -50.5] - c) < 0 else None
    if far is not None:
        assert boundary_length(h, far) == 0.0
    # A circle-like boundary of a bigger network: the measure converges as the grid is refined.
    coarse, fine = boundary_length(runs[-1], e, grid=150), boundary_length(runs[-1], e, grid=600)
    assert coarse == pytest.approx(fine, rel=0.03) and fine > exact


def test_read_sweep_rejects_bad_sweeps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rate = write_sweeps(
        tmp_path / "rate",
        '[sweeps.hidden_sizes]\nvary = "train.learning_rate"\nvalues = [0.5, 1.0]\n',
        BASE.format(iterations=5, init_seed=2),
    )
    diverging = write_sweeps(
        tmp_path / "div",
        '[sweeps.hidden_sizes]\nvary = "model.hidden_units"\nvalues = [1, 2]\n'
        "[sweeps.hidden_sizes.overrides.train]\nlearning_rate = 1e306\n",
        BASE.format(iterations=5, init_seed=2),
    )
    for sweeps, message in (
        (rate, "must vary model.hidden_units"),
        (diverging, "diverged at iteration"),
        (tmp_path / "missing.toml", "sweeps file not found"),
    ):
        with sweep_env(sweeps, tmp_path / "out"), pytest.raises(SystemExit) as exit_info:
            read_sweep()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err


# --- the renders ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the module's renders, so the second reuses the first's typeset TeX."""
    return tmp_path_factory.mktemp("hidden_sizes_media")


@pytest.fixture(scope="module")
def run_a(sweep_a: Paths, media: Path) -> SceneRun:
    return render_scene("scenes/hidden_sizes.py", "HiddenSizes", media, "HiddenSizes_a", sweep_vars(*sweep_a))


@pytest.fixture(scope="module")
def run_b(sweep_b: tuple, media: Path) -> SceneRun:
    """Sweep b played without animations (``-s``): captions, times, layout and each beat's last picture."""
    env = sweep_vars(*sweep_b)
    return render_scene("scenes/hidden_sizes.py", "HiddenSizes", media, "HiddenSizes_b", env, still=True)


@pytest.fixture(scope="module")
def video_a(run_a: SceneRun) -> Path:
    return run_a.mp4


@pytest.mark.render
def test_render_is_a_real_video_with_captions_and_sections(video_a: Path, sweep_a: Paths) -> None:
    cap = captions(_numbers(_runs(sweep_a)))
    frames = check_captioned_video(video_a, list(cap.values()))
    setup, early, late = frames[0], frames[1], frames[2]
    assert red_blue_share(late) > 0.1  # seven coloured boundary pictures
    assert np.abs(early - late).mean() > 0.5 and np.abs(setup - early).mean() > 0.5  # they moved
    table = frames[-1]
    assert np.abs(table - late).mean() > 5.0  # the table replaced the panels
    sections = json.loads((video_a.parent / "sections" / f"{video_a.stem}.json").read_text())
    assert [s["name"] for s in sections][: len(cap)] == list(cap)


@pytest.mark.render
def test_two_sweeps_give_two_segments(video_a: Path, run_b: SceneRun, sweep_a: Paths, sweep_b: Paths) -> None:
    texts = {}
    said = {"a": [e[2] for e in read_srt(video_a)], "b": run_b.captions}
    for key, paths in (("a", sweep_a), ("b", sweep_b)):
        entries = load_sweep("hidden_sizes", *paths, train_missing=False)
        assert said[key] == list(captions(_numbers(_runs(paths))).values())
        text = "\n".join(said[key])
        for e in entries:
            assert caption_percent(e.final_accuracy) in text
        assert ("With 20 and 50 units" in text) == (key == "a")
        texts[key] = text
    numbers = {k: set(re.findall(r"\d+\.\d+%", t)) for k, t in texts.items()}
    assert numbers["a"] - numbers["b"] and numbers["b"] - numbers["a"]
    end_a = read_frames(video_a, [read_srt(video_a)[-1][1] - 0.4])[1][0]  # the last beat's picture
    assert np.abs(end_a - run_b.beat_end(run_b.record["beats"][-1]["name"])).mean() > 1.0
    assert caption_number(load_sweep("hidden_sizes", *sweep_b, train_missing=False)[0].final_cost) not in texts["a"]


@pytest.mark.render
@pytest.mark.parametrize("which", ["a", "b"])
def test_every_beat_fits_the_frame_without_overlaps(
    which: str, run_a: SceneRun, run_b: SceneRun, sweep_a: Paths, sweep_b: Paths
) -> None:
    # The boxes on screen at the end of every beat, recorded while the scene rendered.
    boxes = (run_a if which == "a" else run_b).boxes
    expected = list(captions(_numbers(_runs(sweep_a if which == "a" else sweep_b))))
    assert list(boxes) == expected
    # The highlight frames surround what they mark by design; everything else must stay apart.
    apart = {name: [b for b in rects if b[0] != "SurroundingRectangle"] for name, rects in boxes.items()}
    assert_in_frame_without_overlaps(apart)
    marks = {name: sum(b[0] == "SurroundingRectangle" for b in rects) for name, rects in boxes.items()}
    n = _numbers(_runs(sweep_a if which == "a" else sweep_b))
    for name, _, _ in GROUPS:
        if name in marks:
            assert marks[name] == len(n.group(name))
