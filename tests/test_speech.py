"""The lecture's spoken lines: every caption can be said as written, with the numbers it writes.

``speak`` (``voice/spoken.py``) turns a caption into the line the voice says. Here: its
rules on tricky inputs, the caption formatters it relies on (``scenes/common/format.py``), and
every caption of every segment — on the two fixture histories, the lecture's own run
(``media_config/lecture.toml``), the optional segments' sweeps (``media_config/sweeps.toml``) and
a few odd runs — checked by ``caption_problems``: at most 200 characters, at most three
significant digits (percentages of counted points at most two decimals, integers as they are),
nothing unspeakable in the spoken line, and the same numbers in the same order in both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scene_checks import lecture_sweeps, sweep_env, write_sweeps

from nncore import History, TrainConfig, load_config, train
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.format import caption_number, caption_percent, caption_setting
from scenes.common.layout import shown_hidden_units
from voice.spoken import (
    MAX_CAPTION_CHARS,
    caption_parts,
    caption_problems,
    pronounce,
    said_numbers,
    speak,
    unspeakable,
)

ROOT = Path(__file__).resolve().parents[1]

MAX_HIDDEN_SHOWN = 8
"""The backprop scene's diagram draws at most this many hidden units (its chosen weight is one of theirs)."""


# --- speak() on tricky inputs -----------------------------------------------------------------------

SPOKEN = [
    # symbols kept whole, operators as words
    ("dZ2 = A2 − Y", "d Z2 equals A2 minus Y"),
    ("z = wᵀx + b", "z equals w transpose x plus b"),
    ("dW1 = dZ1 Xᵀ / m", "d W1 equals d Z1 X transpose over m"),
    ("z = w·x + b, then tanh(z).", "z equals w dot x plus b, then tanh of z."),
    ("σ(z2) = 0.000322", "sigma of z2 equals 0.000322"),
    ("tanh(W1 x + b1)", "tanh of W1 x plus b1"),
    ("α = 1.2", "alpha equals 1.2"),
    ("tanh′ = 1 − tanh², which is 1 − A1².", "tanh prime equals 1 minus tanh squared, which is 1 minus A1 squared."),
    ("the sigmoid's slope, A2(1 − A2).", "the sigmoid's slope, A2 times 1 minus A2."),
    ("A1 ≈ Z1", "A1 is about Z1"),
    # absolute values, with or without a determiner
    ("Here is |A2 − Y| for each point", "Here is the absolute value of A2 minus Y for each point"),
    ("the largest |W2| is 0.0229", "the largest absolute value of W2 is 0.0229"),
    ("|z| is at most 0.052", "the absolute value of z is at most 0.052"),
    ("the mean of A1", "the mean of A1"),
    # shapes, matrix entries, a network's shape
    ("W1 (4 × 2) and X (2 × 400)", "W1, 4 by 2, and X, 2 by 400."),
    ("still 4 × 400.", "still 4 by 400."),
    ("W1[1,2] = 0.0591.", "W1 row 1, column 2 equals 0.0591."),
    ("W1[4,1], from x1 to hidden unit 4:", "W1 row 4, column 1, from x1 to hidden unit 4:"),
    ("Our 2-4-1 network", "Our 2 4 1 network"),
    # numbers: minus signs (unary and binary), products of decimals, powers of ten, percentages
    ("−0.522 − 1.2 × (−0.0233) ≈ −0.5", "minus 0.522 minus 1.2 times minus 0.0233 is about minus 0.5"),
    ("z2 = 2.78 × 10⁻⁵ and", "z2 equals 2.78 times 10 to the minus 5 and"),
    ("At 10³⁰⁶ training diverged", "At 10 to the 306 training diverged"),
    ("1e+306 and 3.1e-05", "1 times 10 to the 306 and 3.1 times 10 to the minus 5"),
    ("90.75% of the points, 88 %", "90.75 percent of the points, 88 percent"),
    ("+1 (blue) on one side, −1 (red)", "plus 1, blue, on one side, minus 1, red."),
    ("about ln 2, the cost", "about the natural log of 2, the cost"),
    ("(−0.00417)(1.20)", "minus 0.00417 times 1.20."),
    # punctuation a voice cannot say becomes pauses or words
    ("x = (1.20, 3.58) gives", "x equals 1.20, 3.58, gives"),
    ("The shapes — the inner sizes — match", "The shapes, the inner sizes, match"),
    ("A2 = (0.5, 0.5), …", "A2 equals 0.5, 0.5, and so on."),
    ("η → 0 ≤ 1", "eta to 0 is at most 1"),
    # words with hyphens and apostrophes stay as they are
    ("a zig-zag, half-way; the network's output", "a zig-zag, half-way; the network's output"),
]


@pytest.mark.parametrize(("caption", "line"), SPOKEN)
def test_speak_says_symbols_as_words(caption: str, line: str) -> None:
    assert speak(caption) == line
    assert unspeakable(line) == ""
    assert said_numbers(line) == said_numbers(caption)


def test_speak_keeps_what_it_cannot_say_visible() -> None:
    # An unknown symbol is not dropped silently: unspeakable() finds it in the line.
    assert unspeakable(speak("the set ∅ is empty")) == "∅"
    assert unspeakable(speak("a_b")) == "_"
    assert unspeakable("a stray - sign") == "-" and unspeakable("zig-zag") == ""
    assert unspeakable("−1") == "−"


def test_only_the_synthetic_voice_hears_the_respellings() -> None:
    line = speak("tanh′ = 1 − tanh², the mean of A1, |A2 − Y| for A2 and A12")
    assert "tanch" not in line and "'" not in line
    said = pronounce(line)
    assert said == (
        "tanch prime equals 1 minus tanch squared, the mean of 'A1', "
        "the absolute value of 'A2' minus Y for 'A2' and A12"
    )
    assert said_numbers(said) == said_numbers(line)


def test_said_numbers_read_captions_and_lines_alike() -> None:
    assert said_numbers("W1[1,2] = −0.0591, x2 = 3, A1² and 2-4-1") == ["1", "2", "-0.0591", "3", "2", "4", "1"]
    assert said_numbers("−4.5 × 10⁻⁵") == said_numbers("minus 4.5 times 10 to the minus 5") == ["-4.5", "10", "-5"]
    assert said_numbers("0.5 − 0.25 = 0.25") == said_numbers("0.5 minus 0.25 equals 0.25") == ["0.5", "-0.25", "0.25"]
    assert said_numbers("90.75% in 10000 iterations") == ["90.75", "10000"]


def test_caption_problems_name_each_problem() -> None:
    assert caption_problems("The cost went from 0.693 to 0.218 in 10000 iterations, 90.75% right.") == []
    long_caption = "word " * (MAX_CAPTION_CHARS // 5 + 1)
    assert caption_problems(long_caption) == [f"{len(long_caption)} characters (at most {MAX_CAPTION_CHARS})"]
    assert caption_problems("a cost of 0.6930") == ["0.6930: more than 3 significant digits"]
    assert caption_problems("an accuracy of 90.755%") == ["90.755%: more than 2 decimals"]
    assert caption_problems("23.75 points below, 0.00703 and 12.3") == []
    assert caption_problems("the set ∅")[0].startswith("unspeakable '∅'")


# --- the caption formatters ------------------------------------------------------------------------


def test_caption_numbers_round_for_a_listener() -> None:
    assert caption_number(-0.0070312) == "−0.00703" and caption_number(-0.0070312, 1) == "−0.007"
    assert caption_number(-4.54e-5, 2) == "−4.5 × 10⁻⁵" and caption_number(3.1e-7) == "3.10 × 10⁻⁷"
    assert caption_number(0.0, exact_zero=True) == "0"
    # A bound is rounded so that its claim stays true: "at most" up, "at least" down.
    assert caption_number(0.000581, 1, bound="up") == "0.0006" and caption_number(0.0229, 2, bound="up") == "0.023"
    assert caption_number(1.1652, bound="down") == "1.16" and caption_number(1.1652) == "1.17"
    assert caption_number(0.3, 1, bound="up") == "0.3"  # exact at these digits: not pushed to 0.4
    assert caption_number(-0.0229, 2, bound="up") == "−0.023"  # the magnitude is bounded
    rng = np.random.default_rng(0)
    for v in rng.uniform(1e-4, 50, 300):
        up, down = caption_number(v, 2, bound="up"), caption_number(v, 2, bound="down")
        assert float(up) >= v >= float(down) and float(up) - float(down) <= 10 ** (np.floor(np.log10(v)) - 1) + 1e-12


def test_caption_percent_and_setting() -> None:
    assert [caption_percent(f) for f in (0.9075, 0.905, 0.88, 1.0, 0.0, 1 / 3)] == [
        "90.75%",
        "90.5%",
        "88%",
        "100%",
        "0%",
        "33.33%",
    ]
    assert [caption_setting(v) for v in (1.2, 0.01, 50.0, 1e306, 2.5e-5)] == [
        "1.2",
        "0.01",
        "50",
        "10³⁰⁶",
        "2.5 × 10⁻⁵",
    ]


# --- every caption of every segment ----------------------------------------------------------------


def history_captions(h: History) -> dict[str, list[str]]:
    """Every caption of the segments that read one history, as each scene computes them (480p15 schedules)."""
    import scenes.backprop_numbers as backprop
    import scenes.decision_boundary as boundary
    import scenes.forward_pass as forward
    import scenes.matrix_algebra_numbers as matrix
    import scenes.summary as summary
    import scenes.title_card as title

    units = shown_hidden_units(h.hidden_units, MAX_HIDDEN_SHOWN)
    segments: dict[str, dict[str, str] | dict[str, dict[str, str]]] = {
        "title_card": title.captions(h),
        "matrix_algebra": matrix.captions(matrix.matrix_numbers(h)),
        "forward_pass": forward.captions(forward.forward_numbers(h)),
        "backprop": backprop.captions(backprop.backprop_numbers(h, units)),
        "decision_boundary": boundary.captions(boundary.boundary_numbers(h, boundary.training_schedule(h, 15))),
        "summary": summary.captions(h),
    }
    return {name: _flat(caps) for name, caps in segments.items()}


def sweep_captions(sweeps: Path, out: Path) -> dict[str, list[str]]:
    """Every caption of the segments that read a sweep (those ``sweeps`` declares), as each scene computes them."""
    import tomllib

    import scenes.datasets as datasets
    import scenes.hidden_sizes as hidden
    import scenes.initialization as initialization
    import scenes.learning_rates as rates
    import scenes.optimizers as optimizers
    import scenes.regularization as regularization

    declared = tomllib.loads(sweeps.read_text())["sweeps"]
    found: dict[str, list[str]] = {}
    if "hidden_sizes" in declared:
        runs = [e.history for e in load_sweep("hidden_sizes", sweeps, out)]
        assert all(r is not None for r in runs)
        numbers = hidden.sweep_numbers(runs, hidden.clock_schedule(runs, 15), hidden.shared_extent(runs))  # type: ignore[arg-type]
        found["hidden_sizes"] = _flat(hidden.captions(numbers))
    if "learning_rates" in declared:
        found["learning_rates"] = _flat(rates.captions(rates.rate_numbers(load_sweep("learning_rates", sweeps, out))))
    if "initialization" in declared:
        found["initialization"] = _flat(
            initialization.captions(initialization.init_numbers(load_sweep("initialization", sweeps, out)))
        )
    if "optimizers" in declared:
        found["optimizers"] = _flat(
            optimizers.captions(optimizers.optimizer_numbers(load_sweep("optimizers", sweeps, out)))
        )
    if "regularization" in declared and "dropout" in declared:
        with sweep_env(sweeps, out):
            regularized = regularization.regularization_numbers(regularization.read_runs())
        found["regularization"] = _flat(regularization.captions(regularized))
    if "datasets" in declared:
        found["datasets"] = _flat(datasets.captions(datasets.dataset_numbers(load_sweep("datasets", sweeps, out))))
    return found


def _flat(captions: dict[str, str] | dict[str, dict[str, str]]) -> list[str]:
    out: list[str] = []
    for value in captions.values():
        out.extend([value] if isinstance(value, str) else value.values())
    return out


def assert_narration(segments: dict[str, list[str]]) -> None:
    """Every caption is good narration: :func:`caption_problems` finds nothing in any of the lines a beat says it in.

    A caption longer than a line is said in turn, a line per part (:func:`caption_parts`, as
    :meth:`scenes.common.narration.Narrated.beat` does).
    """
    found = {
        f"{name} {k}: {part}": problems
        for name, captions in segments.items()
        for k, caption in enumerate(captions)
        for part in caption_parts(caption)
        if (problems := caption_problems(part))
    }
    assert not found, "\n".join(f"{where}\n    {problems}" for where, problems in found.items())


@pytest.fixture(scope="module")
def lecture_history() -> History:
    """The lecture's own run, trained from ``media_config/lecture.toml`` (10000 iterations, about 2 s)."""
    return train(load_config(ROOT / "media_config" / "lecture.toml"))


ODD_RUNS: dict[str, Callable[[], History]] = {
    "one_unit": lambda: train(TrainConfig(hidden_units=1, iterations=2)),
    "nine_units": lambda: train(TrainConfig(hidden_units=9, iterations=40)),
    "many_units": lambda: train(TrainConfig(hidden_units=30, iterations=30, learning_rate=2.0, init_seed=3)),
    "moons": lambda: train(TrainConfig(dataset="gaussian_quantiles", hidden_units=4, iterations=300, points=120)),
    "large_rate": lambda: train(TrainConfig(hidden_units=4, iterations=200, learning_rate=8.0)),
}
"""Runs unlike the lecture's: one unit, more units than a diagram draws, another data set, a rate that zig-zags."""


@pytest.mark.parametrize("which", ["a", "b"])
def test_fixture_histories_narrate_well(which: str, fixture_history_path: Path, fixture_history_b_path: Path) -> None:
    h = History.load(fixture_history_path if which == "a" else fixture_history_b_path)
    assert_narration(history_captions(h))


def test_the_lecture_run_narrates_well(lecture_history: History) -> None:
    segments = history_captions(lecture_history)
    assert_narration(segments)
    # The lecture's numbers, as a listener hears them: rounded, not read out to five digits.
    h = lecture_history
    said = " ".join(speak(c) for c in segments["title_card"])
    assert f"cost {caption_number(h.cost[-1])}" in said and f"{caption_percent(h.accuracy[-1])[:-1]} percent" in said


@pytest.mark.parametrize("name", list(ODD_RUNS))
def test_odd_runs_narrate_well(name: str) -> None:
    assert_narration(history_captions(ODD_RUNS[name]()))


def test_the_lecture_sweeps_narrate_well(tmp_path_factory: pytest.TempPathFactory) -> None:
    # The comparison segments as the lecture renders them (media_config/sweeps.toml, trained once per test run).
    segments = sweep_captions(ROOT / "media_config" / "sweeps.toml", lecture_sweeps(tmp_path_factory))
    assert set(segments) == {
        "hidden_sizes",
        "learning_rates",
        "initialization",
        "optimizers",
        "regularization",
        "datasets",
    }
    assert_narration(segments)


def test_sweeps_with_a_diverged_run_narrate_well(tmp_path: Path) -> None:
    sweeps = write_sweeps(
        tmp_path / "config",
        '[sweeps.learning_rates]\nvary = "train.learning_rate"\nvalues = [0.3, 2.0, 1e306]\n\n'
        '[sweeps.datasets]\nvary = "data.dataset"\nvalues = ["moons", "circles", "blobs", "gaussian_quantiles"]\n\n'
        '[sweeps.hidden_sizes]\nvary = "model.hidden_units"\nvalues = [1, 2, 8, 12]\n',
        "[model]\nhidden_units = 3\n\n[train]\niterations = 90\ninit_seed = 7\n",
    )
    segments = sweep_captions(sweeps, tmp_path / "out")
    entries: list[SweepEntry] = load_sweep("learning_rates", sweeps, tmp_path / "out")
    assert entries[2].history is None  # 1e306 diverges: its captions say so, speakably
    assert any("10³⁰⁶" in c for c in segments["learning_rates"])
    assert any("10 to the 306" in speak(c) for c in segments["learning_rates"])
    assert_narration(segments)
