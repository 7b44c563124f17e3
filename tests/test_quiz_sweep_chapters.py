"""The questions of the five experiment chapters, made from their sweeps.

For the lecture's own sweeps (``media_config/sweeps.toml``, trained once per test run) and for a
small sweep of each chapter with other settings (other rates, a diverged run, a test set, another
λ and mini-batch size), every marked answer is recomputed here by another route: the chapter's own
scene numbers (``scenes/*.py``: its claims, "never settles", "identical units", the weights it
follows), the histories' arrays (the L2 term is the cost minus the cross-entropy; Adam's bias
correction from β1 and the number of mini-batches), and the lecture's own pictures (the boundary
raster, the cost axis). No wrong choice equals the right one, and a which-picture question's right
picture is its run's.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scene_checks import ROOT, lecture_sweeps, write_sweeps

from lecture.quiz.bank import BANK_FILE, Bank, Choice, Question, check_chapters, read_bank, read_question, write_bank
from lecture.quiz.chapters import GENERATORS, generate
from lecture.quiz.pictures import BOUNDARY_SIZE, CURVE_SIZE, cost_curve_png
from lecture.quiz.questions import RunInputs
from nncore import History
from nncore.network import predict_proba
from nncore.paths import DEFAULT_SWEEPS
from nncore.sweep import SweepEntry, load_sweep, run_sweep
from nncore.sweeps_file import load_sweeps
from scenes.common.field import Extent, data_extent
from scenes.common.format import caption_number, caption_percent, caption_setting

CHAPTERS = ["learning_rates", "initialization", "optimizers", "regularization", "hidden_sizes"]
SWEEPS = [*CHAPTERS, "dropout"]
BEATS = {
    "learning_rates": ["runs", "curves", "small", "zigzag", "wild", "boundaries", "verdict"],
    "initialization": ["runs", "training", "random", "zeros", "verdict"],
    "optimizers": ["runs", "training", "paths", "steps", "verdict"],
    "regularization": ["runs", "training", "overfit", "remedies", "verdict"],
    "hidden_sizes": ["setup", "early", "late", "few", "enough", "more", "table"],
}
TEACHES = {
    "learning_rates.curve": "small",
    "learning_rates.small_accuracy": "small",
    "learning_rates.unstable": "wild",
    "learning_rates.best_accuracy": "verdict",
    "initialization.infinite_start": "random",
    "initialization.symmetric": "zeros",
    "initialization.best_accuracy": "verdict",
    "optimizers.bias_correction": "paths",
    "optimizers.step_ratio": "steps",
    "optimizers.best": "verdict",
    "regularization.overfit": "overfit",
    "regularization.peak": "overfit",
    "regularization.l2_term": "remedies",
    "regularization.best_test": "verdict",
    "hidden_sizes.boundary": "few",
    "hidden_sizes.more_units": "more",
    "hidden_sizes.best": "table",
}
"""The beat that teaches each question of the lecture's sweeps: the one whose caption says its answer."""

Sweeps = dict[str, list[SweepEntry]]

# Other settings for every chapter, small enough to train in seconds: other learning rates, one of
# which diverges; hidden sizes with a test set (3 units fit the training points best, 8 the test
# points); the notebook's initialisations cut short; two optimisers on other mini-batches and
# another beta1; another lambda and keep probability.
CHANGED = """
[sweeps.learning_rates]
vary = "train.learning_rate"
values = [0.3, 2.0, 1e306]

[sweeps.hidden_sizes]
vary = "model.hidden_units"
values = [1, 3, 8]

[sweeps.hidden_sizes.overrides.data]
dataset = "moons"
points = 120
test_points = 80
test_seed = 2

[sweeps.hidden_sizes.overrides.train]
iterations = 1500
learning_rate = 1.0

[sweeps.initialization]
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
iterations = 300
init_seed = 3

[sweeps.optimizers]
vary = "train.optimizer"
values = ["gd", "adam"]

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
learning_rate = 0.001
iterations = 30
batch_size = 32
beta1 = 0.8
"""
REGULARIZED = """
[sweeps.{name}]
vary = "{key}"
values = {values}

[sweeps.{name}.overrides.data]
dataset = "moons"
seed = 1
points = 50
noise = 0.4
test_points = 100
test_seed = 2

[sweeps.{name}.overrides.model]
hidden_layers = [20, 20]
activation = "relu"
init = "he"

[sweeps.{name}.overrides.train]
learning_rate = 0.3
iterations = 400
"""
CHANGED += REGULARIZED.format(name="regularization", key="train.l2", values="[0.0, 0.7]")
CHANGED += REGULARIZED.format(name="dropout", key="train.keep_prob", values="[0.8]")
CHANGED_BASE = "[model]\nhidden_units = 3\n\n[train]\niterations = 90\ninit_seed = 7\n"


WHICH = [pytest.param("lecture", marks=pytest.mark.course), "changed"]
"""The lecture's own sweeps, whose training is the course notebooks' full runs (``make test-fast``
leaves them out, as it does the notebooks' tests), and small sweeps of other settings."""


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> Sweeps:
    """The lecture's sweeps (``media_config/sweeps.toml``), trained once per test run."""
    folder = lecture_sweeps(tmp_path_factory)
    return {name: load_sweep(name, ROOT / DEFAULT_SWEEPS, folder, train_missing=False) for name in SWEEPS}


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Sweeps:
    """Small sweeps of every chapter with other settings."""
    folder = tmp_path_factory.mktemp("changed")
    path = write_sweeps(folder, CHANGED, CHANGED_BASE)
    return {name: run_sweep(sweep, folder / "out") for name, sweep in load_sweeps(path).items()}


def made(history: History, sweeps: Sweeps, folder: Path) -> Bank:
    """The bank of the five chapters, written into ``folder`` and read back with the schema's checks.

    ``history`` is the lecture's run, which these chapters do not read (only their sweeps).
    """
    run = RunInputs(history, sweeps, folder / "questions", BEATS)
    bank = generate("a lecture", "digest", run, CHAPTERS)
    write_bank(bank, folder)
    again = read_bank(folder / BANK_FILE)  # pictures included: each must exist
    assert again == bank
    check_chapters(again, "questions.json", BEATS)
    return bank


@pytest.fixture(scope="module")
def lecture_bank(
    lecture: Sweeps, fixture_history: History, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Bank, Path]:
    folder = tmp_path_factory.mktemp("lecture_bank")
    return made(fixture_history, lecture, folder), folder


@pytest.fixture(scope="module")
def changed_bank(
    changed: Sweeps, fixture_history: History, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Bank, Path]:
    folder = tmp_path_factory.mktemp("changed_bank")
    return made(fixture_history, changed, folder), folder


def by_id(bank: Bank) -> dict[str, Question]:
    return {q.id: q for q in bank.questions}


def right(q: Question) -> str:
    return q.correct.text


def wrong(q: Question) -> list[str]:
    return [c.text for c in q.choices if not c.correct]


def close(q: Question, value: float) -> None:
    """A numeric question's answer is ``value`` (to rounding), within its own tolerance too."""
    assert q.kind == "numeric" and q.answer is not None and q.tolerance is not None
    assert abs(q.answer - value) <= 1e-9 * max(1.0, abs(value)), (q.id, q.answer, value)
    assert abs(q.answer - value) <= q.tolerance


def histories(entries: Sequence[SweepEntry]) -> list[History]:
    return [e.history for e in entries if e.history is not None]


def picture_bytes(folder: Path, q: Question, text: str | None = None) -> bytes:
    """The PNG of the choice ``text`` (the right one by default)."""
    c = q.correct if text is None else next(c for c in q.choices if c.text == text)
    assert c.picture is not None and c.picture.alt.strip()
    return (folder / c.picture.file).read_bytes()


def alt(c: Choice) -> str:
    """A picture choice's text alternative."""
    assert c.picture is not None
    return c.picture.alt


def named_run(feedback: str, pattern: str) -> str:
    """What a picture choice's feedback says the picture is ("That is the run at 50." → ``50``)."""
    found = re.search(pattern, feedback)
    assert found, feedback
    return found.group(1)


# --- every chapter -----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_every_question_is_valid_and_its_wrong_choices_differ(which: str, request: pytest.FixtureRequest) -> None:
    bank, folder = request.getfixturevalue(f"{which}_bank")
    for q in bank.questions:
        assert q.id.startswith(f"{q.chapter}.") and q.chapter in CHAPTERS
        assert read_question(q.to_json(), "questions.json", 0, folder) == q  # the schema's round trip
        assert not q.edited() and q.explanation.strip()
        if q.kind == "choice":
            assert sum(c.correct for c in q.choices) == 1 and len(q.choices) >= 2
            assert right(q) not in wrong(q) and len(set(wrong(q))) == len(wrong(q))
            assert all(c.feedback.strip() for c in q.choices)
        else:
            assert q.tolerance is not None and q.tolerance >= 0
    if which == "lecture":
        counts = bank.by_chapter(CHAPTERS)
        assert all(2 <= len(counts[c]) <= 4 for c in CHAPTERS), {c: len(qs) for c, qs in counts.items()}
        assert {q.id: q.teaches.beat for q in bank.questions} == TEACHES


def test_a_chapter_without_its_sweep_asks_nothing(fixture_history: History, tmp_path: Path) -> None:
    run = RunInputs(fixture_history, {}, tmp_path / "questions", BEATS)
    assert all(GENERATORS[c](run) == [] for c in CHAPTERS)
    assert not (tmp_path / "questions").exists()


def test_the_question_modules_do_not_load_manim() -> None:
    code = (
        "import sys; import lecture.quiz.chapters, lecture.quiz.pictures; "
        "print(sorted(lecture.quiz.chapters.GENERATORS), 'manim' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    names, manim = done.stdout.strip().rsplit(" ", 1)
    assert manim == "False" and all(c in names for c in CHAPTERS)


@pytest.mark.course  # the lecture's sweeps: the course notebooks' full runs
def test_the_questions_change_with_the_sweeps(lecture_bank: tuple[Bank, Path], changed_bank: tuple[Bank, Path]) -> None:
    before, after = by_id(lecture_bank[0]), by_id(changed_bank[0])
    for qid in sorted(set(before) & set(after)):
        assert before[qid].source != after[qid].source, qid
    # what only one of the two can ask: which rate diverged; which size does best on a test set
    assert "diverge" in after["learning_rates.unstable"].prompt
    assert "hidden_sizes.best_test" in after and "hidden_sizes.best_test" not in before


# --- learning_rates ----------------------------------------------------------------------------------


def rate_of(e: SweepEntry) -> float:
    return float(e.config.learning_rate)


@pytest.mark.parametrize("which", WHICH)
def test_learning_rates(which: str, request: pytest.FixtureRequest) -> None:
    from scenes.common.curves import cost_axis_top
    from scenes.learning_rates import rate_numbers

    bank, folder = request.getfixturevalue(f"{which}_bank")
    entries = request.getfixturevalue(which)["learning_rates"]
    qs = by_id(bank)
    n = rate_numbers(entries)  # the chapter's own claims
    done = [e for e in entries if e.history is not None]
    # unstable: the largest rate that diverged, else the largest the chapter calls far too large
    pool = n.diverged or n.wild
    q = qs["learning_rates.unstable"]
    assert right(q) == caption_setting(max(n.runs[j].rate for j in pool))
    assert all(caption_setting(n.runs[j].rate) not in wrong(q) for j in (*n.diverged, *n.wild))
    # best accuracy: a rate at the top accuracy, every other choice below it
    top = max(float(e.history.accuracy[-1]) for e in done)
    acc = {caption_setting(rate_of(e)): float(e.history.accuracy[-1]) for e in done}
    q = qs["learning_rates.best_accuracy"]
    assert acc[right(q)] == top and {caption_setting(n.runs[j].rate) for j in n.most_accurate} >= {right(q)}
    assert all(acc.get(t, -1.0) < top for t in wrong(q))
    # the smallest rate's accuracy and its cost curve, on the lecture's own cost axis
    small = min(done, key=rate_of)
    h = small.history
    assert h is not None
    close(qs["learning_rates.small_accuracy"], 100 * float(h.accuracy[-1]))
    q = qs["learning_rates.curve"]
    top_cost = cost_axis_top([e.history for e in entries])
    unit = "epoch" if small.config.batch_size is not None else "iteration"
    assert picture_bytes(folder, q) == cost_curve_png(h.cost, top_cost, unit)
    assert Image.open(io.BytesIO(picture_bytes(folder, q))).size == CURVE_SIZE
    rates = {caption_setting(rate_of(e)): e for e in done}
    for c in q.choices:
        if not c.correct:  # each wrong picture is the run its feedback names, and not the right one's
            other = rates[named_run(c.feedback, r"That is the run at ([^ ]+)\. ")].history
            assert other is not None
            assert picture_bytes(folder, q, c.text) == cost_curve_png(other.cost, top_cost, unit)
            assert picture_bytes(folder, q, c.text) != picture_bytes(folder, q)
    assert caption_number(float(h.cost[-1])) in alt(q.correct)


def test_learning_rates_of_another_sweep_ask_which_diverged(changed: Sweeps, changed_bank: tuple[Bank, Path]) -> None:
    entries = changed["learning_rates"]
    gone = [e for e in entries if e.history is None]
    assert [rate_of(e) for e in gone] == [1e306]
    q = by_id(changed_bank[0])["learning_rates.unstable"]
    assert right(q) == "10³⁰⁶" and f"iteration {gone[0].diverged_at}" in q.explanation


# --- initialization ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_initialization(which: str, request: pytest.FixtureRequest) -> None:
    from lecture.quiz.chapters.initialization import NAMES
    from scenes.initialization import init_numbers

    bank, _ = request.getfixturevalue(f"{which}_bank")
    entries = request.getfixturevalue(which)["initialization"]
    qs = by_id(bank)
    n = init_numbers(entries)
    done = [e for e in entries if e.history is not None]
    names = {NAMES[str(e.config.init)]: e for e in done}
    # identical units: no first-layer row (weights and bias) ever differs from another, at any snapshot
    same = [
        e.config.init for e in done if np.ptp(np.concatenate([e.history.W1, e.history.b1], axis=2), axis=1).max() == 0
    ]
    assert same == [n.runs[j].init for j in n.zeros]
    q = qs["initialization.symmetric"]
    assert names[right(q)].config.init == same[0]
    assert all(t not in names or names[t].config.init not in same for t in wrong(q))
    # an infinite cost before training
    inf = [e.config.init for e in done if e.history.cost[0] == np.inf]
    assert inf == [n.runs[j].init for j in n.saturated]
    q = qs["initialization.infinite_start"]
    assert names[right(q)].config.init == inf[0]
    assert all(t not in names or names[t].config.init not in inf for t in wrong(q))
    # the best run on the test set: its test accuracy, not its training accuracy
    tests = [float(e.history.more["test_accuracy"][-1]) for e in done]
    best = done[int(np.argmax(tests))]
    close(qs["initialization.best_accuracy"], 100 * max(tests))
    assert NAMES[str(best.config.init)] in qs["initialization.best_accuracy"].prompt
    assert best.config.init == n.runs[n.best[0]].init


# --- optimizers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_optimizers(which: str, request: pytest.FixtureRequest) -> None:
    from scenes.optimizers import optimizer_numbers

    bank, _ = request.getfixturevalue(f"{which}_bank")
    entries = request.getfixturevalue(which)["optimizers"]
    qs = by_id(bank)
    n = optimizer_numbers(entries)
    done = [e for e in entries if e.history is not None]
    # the best final accuracy (no test set here): its optimiser, every other choice below it
    acc = {n.runs[j].name: n.runs[j].accT for j in n.finished}
    top = max(float(e.history.accuracy[-1]) for e in done)
    q = qs["optimizers.best"]
    assert acc[right(q)] == top and all(acc[t] < top for t in wrong(q))
    # Adam's bias correction at epoch 2's first update: t = the updates of an epoch, plus one
    adam = next(e for e in done if e.config.optimizer == "adam")
    cfg = adam.config
    assert adam.history is not None and cfg.batch_size is not None
    t = math.ceil(adam.history.m / cfg.batch_size) + 1
    close(qs["optimizers.bias_correction"], 1 - cfg.beta1**t)
    assert f"t = {t}" in qs["optimizers.bias_correction"].explanation
    # how much farther Adam moved the weight of the largest first gradient: the chapter's own paths
    j = n.adam[0]
    q = qs["optimizers.step_ratio"]
    assert right(q) == f"about {caption_number(n.runs[j].ratio, 2)} times as far"
    g = np.abs(done[0].history.dW1[0])  # (n_1, n_x)
    a = np.unravel_index(np.argmax(g), g.shape)
    b = np.unravel_index(np.argmin(np.where(g > 0, g, np.inf)), g.shape)
    W = adam.history.W1[n.path_epochs] - adam.history.W1[0]
    assert math.isclose(abs(W[a]) / abs(W[b]), n.runs[j].ratio, rel_tol=1e-12)
    assert f"about {caption_number(n.gradient_ratio, 2)} times as far" in wrong(q)


# --- regularization ----------------------------------------------------------------------------------


def reg_name(e: SweepEntry) -> str:
    """A run as the chapter's captions name it."""
    if e.config.l2 > 0:
        return f"L2 regularisation of lambda {caption_setting(e.config.l2)}"
    if e.config.keep_prob < 1:
        return f"dropout keeping {caption_percent(e.config.keep_prob)} of the hidden units"
    return "no regularisation"


@pytest.mark.parametrize("which", WHICH)
def test_regularization(which: str, request: pytest.FixtureRequest) -> None:
    from scenes.regularization import regularization_numbers

    bank, _ = request.getfixturevalue(f"{which}_bank")
    sweeps = request.getfixturevalue(which)
    entries = [*sweeps["regularization"], *sweeps["dropout"]]
    qs = by_id(bank)
    n = regularization_numbers(entries)
    plain = next(e.history for e in entries if e.config.l2 == 0 and e.config.keep_prob == 1)
    assert plain is not None
    test = plain.more["test_accuracy"]
    falls = test.max() - test[-1] >= 0.01
    q = qs["regularization.overfit"]
    if falls:
        assert right(q) == f"It peaks at {caption_percent(test.max())}, then falls to {caption_percent(test[-1])}"
        close(qs["regularization.peak"], float(np.flatnonzero(test == test.max())[0]))
        assert n.plain is not None and qs["regularization.peak"].answer == n.runs[n.plain].peak_at
    else:
        assert right(q).startswith(f"It ends at {caption_percent(test[-1])}") and "regularization.peak" not in qs
    assert f"to {caption_percent(plain.accuracy[-1])}" not in right(q)  # the training accuracy is a wrong choice
    # the best test accuracy
    done = [e for e in entries if e.history is not None]
    best = max(done, key=lambda e: float(e.history.more["test_accuracy"][-1]))
    q = qs["regularization.best_test"]
    assert right(q) == reg_name(best)
    top = float(best.history.more["test_accuracy"][-1])
    assert all(float(e.history.more["test_accuracy"][-1]) < top for e in done if reg_name(e) in wrong(q))
    assert n.runs[n.best[0]].l2 == best.config.l2 and n.runs[n.best[0]].keep_prob == best.config.keep_prob
    # the L2 term: what the history's cost holds beyond the cross-entropy, per squared weight
    l2 = next(e for e in entries if e.config.l2 > 0)
    h = l2.history
    assert h is not None
    squares = sum(float(np.sum(h.arrays[f"W{k}"][-1] ** 2)) for k in range(1, h.layers + 1))
    per_square = (float(h.cost[-1]) - float(h.cross_entropy[-1])) / squares
    divisor = round(l2.config.l2 / per_square)
    assert math.isclose(l2.config.l2 / divisor, per_square, rel_tol=1e-6) and divisor == 2 * h.m
    q = qs["regularization.l2_term"]
    assert right(q) == f"({caption_setting(l2.config.l2)}/{divisor}) × ΣW²"
    assert all(str(divisor) not in t for t in wrong(q))


# --- hidden_sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_hidden_sizes(which: str, request: pytest.FixtureRequest) -> None:
    from scenes.common.field import BoundaryField
    from scenes.hidden_sizes import shared_extent

    bank, folder = request.getfixturevalue(f"{which}_bank")
    runs = histories(request.getfixturevalue(which)["hidden_sizes"])
    qs = by_id(bank)
    units = {f"{h.W1.shape[1]} unit" + ("s" if h.W1.shape[1] > 1 else ""): h for h in runs}
    acc = {k: float(h.accuracy[-1]) for k, h in units.items()}
    # the best training accuracy (the fewest units among ties), every other choice below it
    top = max(acc.values())
    q = qs["hidden_sizes.best"]
    assert acc[right(q)] == top and all(acc[t] < top for t in wrong(q))
    assert right(q) == min((k for k in acc if acc[k] == top), key=lambda k: int(k.split()[0]))
    # the largest network against the best smaller one
    big = max(runs, key=lambda h: h.W1.shape[1])
    ref = max(float(h.accuracy[-1]) for h in runs if h is not big)
    said = "Higher" if big.accuracy[-1] > ref else "Lower" if big.accuracy[-1] < ref else "The same"
    assert right(qs["hidden_sizes.more_units"]) == said
    # with a test set: the size that generalises best
    tested = "test_accuracy" in runs[0].more
    assert ("hidden_sizes.best_test" in qs) == tested
    if tested:
        t = {k: float(h.more["test_accuracy"][-1]) for k, h in units.items()}
        q = qs["hidden_sizes.best_test"]
        assert t[right(q)] == max(t.values()) and all(t[w] < max(t.values()) for w in wrong(q))
        train_best = right(qs["hidden_sizes.best"])
        if train_best != right(q):  # the run that only looks best is a wrong choice, and says so
            assert "only looks best on the training set" in next(c.feedback for c in q.choices if c.text == train_best)
    # the smallest network's boundary: the lecture's raster of that run, on the chapter's window
    small = min(runs, key=lambda h: h.W1.shape[1])
    q = qs["hidden_sizes.boundary"]
    # the chapter's window, widened by the test points when there are some (the rings stay in the picture)
    ext = shared_extent(runs) if not tested else window(runs)
    picture = np.asarray(Image.open(io.BytesIO(picture_bytes(folder, q))).convert("RGB"))
    assert picture.shape == (BOUNDARY_SIZE, BOUNDARY_SIZE, 3)
    field = BoundaryField(small, BOUNDARY_SIZE, BOUNDARY_SIZE, ext, point_radius_px=2.5)
    assert np.array_equal(picture, field.raster(small.iterations))
    # and independently: blue where nncore's forward pass says class 1, red where class 0 (dots,
    # rings and the 0.5 line aside)
    xs = ext.xmin + (np.arange(BOUNDARY_SIZE) + 0.5) * (ext.xmax - ext.xmin) / BOUNDARY_SIZE
    ys = ext.ymax - (np.arange(BOUNDARY_SIZE) + 0.5) * (ext.ymax - ext.ymin) / BOUNDARY_SIZE
    gx, gy = np.meshgrid(xs, ys)
    p = predict_proba(np.vstack([gx.ravel(), gy.ravel()]), small.net(small.iterations), small.config.activation)
    blue = (p.reshape(BOUNDARY_SIZE, BOUNDARY_SIZE) > 0.5)[..., None]
    bluer = picture[..., 2].astype(int) > picture[..., 0].astype(int)
    sure = np.abs(p.reshape(BOUNDARY_SIZE, BOUNDARY_SIZE) - 0.5) > 0.02
    assert np.mean(bluer[sure] == blue[..., 0][sure]) > 0.9
    assert "straight line" in alt(q.correct)  # one tanh unit: a line
    for c in q.choices:
        if not c.correct:
            assert picture_bytes(folder, q, c.text) != picture_bytes(folder, q)
            n = int(named_run(c.feedback, r"network with (\d+) units?"))
            assert caption_percent(float(units[f"{n} unit" + ("s" if n > 1 else "")].accuracy[-1])) in alt(c)


def window(runs: Sequence[History]) -> Extent:
    """The square around every run's training and test points."""
    P = np.hstack([np.hstack([h.X, h.more["X_test"]]) for h in runs])  # (2, n): x1, x2 are the features
    return data_extent(P, aspect=1.0)
