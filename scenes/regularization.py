"""``manim render scenes/regularization.py Regularization``: a network that overfits, and L2 and dropout against it.

Segment *Regularisation* of the lecture (``-ql`` for a quick 480p preview). It reads two sweeps of
``media_config/sweeps.toml`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR`` to read others; missing runs are
trained first) of the same run: ``regularization`` varies L2's lambda (its ``0`` is the run without
regularisation) and ``dropout`` its keep probability. Beats:

1. ``runs`` — the runs before training: a network far larger than its few, noisy training points;
2. ``training`` — every boundary, the cost and the training and test accuracy on one clock;
3. ``overfit`` — the run without regularisation: its training accuracy climbs while its test
   accuracy peaks and falls;
4. ``remedies`` — L2 and dropout: less right on the training points, more on the test points;
5. ``verdict`` — the test accuracies side by side.

:func:`regularization_numbers` reads every number from the sweeps, and every claim is a property of
:class:`RegularizedRun` or :class:`RegularizationNumbers`; :func:`captions` narrates them and the
beats mark the runs the same properties name. Both are free of Manim state so
``tests/test_scene_regularization.py`` can check them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, MathTex, VGroup

from nncore import History, TrainConfig
from nncore.sweep import SweepEntry
from scenes.common.comparison import RunSelection
from scenes.common.curves import CostCurves
from scenes.common.experiment import SideBySide, VariedRun, checked_runs, varied_problem
from scenes.common.format import (
    caption_percent,
    caption_setting,
    count,
    dataset_name,
    sentence_start,
    spoken_list,
)
from scenes.common.model_text import step_word, training_words, units_words
from scenes.common.raster import fade_to_black, reveal

SWEEPS = ("regularization", "dropout")
"""The sweeps the segment reads: lambda, then the keep probability, of the same run."""

TRAIN_SECONDS = 20.0
"""Screen time of the clock running through every run, iteration 0 to T."""

MAX_RUNS = 5
"""The most runs the segment draws side by side (both sweeps together)."""

L2_TEX = (
    r"J = -\frac{1}{m}\sum \big(y \log a + (1 - y)\log(1 - a)\big)"
    r" + \frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert^2, \quad dW \mathrel{+}= \frac{\lambda}{m} W"
)
"""L2 regularisation as the course writes it: the cost's penalty and the gradient's extra term (TeX)."""

DROPOUT_TEX = (
    r"D^{[l]} = (\text{rand} < p_{\text{keep}}), \quad A^{[l]} \leftarrow A^{[l]} \odot D^{[l]} / p_{\text{keep}}"
)
"""Inverted dropout as the course writes it: a fresh mask per hidden layer and update, the kept scaled up (TeX)."""

FALL = 0.01
"""A test accuracy "falls" when it ends at least this far (a fraction) below its peak."""


@dataclass(frozen=True)
class RegularizedRun:
    """One run, as the segment narrates it.

    Attributes
    ----------
    l2, keep_prob : float
        Its regularisation (``0`` and ``1``: none).
    diverged_at : int or None
        Where training stopped being finite (no history then; numbers NaN).
    T : int
    accT, test_accT : float
        Training and test accuracy at the end.
    test_peak : float
        The highest test accuracy over the run, first reached at :attr:`peak_at`.
    peak_at : int
    costT : float
    """

    l2: float
    keep_prob: float
    diverged_at: int | None
    T: int
    accT: float
    test_accT: float
    test_peak: float
    peak_at: int
    costT: float

    @property
    def diverged(self) -> bool:
        """Training stopped because the numbers were no longer finite."""
        return self.diverged_at is not None

    @property
    def plain(self) -> bool:
        """The run has no regularisation."""
        return self.l2 == 0 and self.keep_prob == 1

    @property
    def name(self) -> str:
        """The run as a caption names it."""
        parts = []
        if self.l2 > 0:
            parts.append(f"L2 regularisation of lambda {caption_setting(self.l2)}")
        if self.keep_prob < 1:
            parts.append(f"dropout keeping {caption_percent(self.keep_prob)} of the hidden units")
        return " and ".join(parts) or "no regularisation"

    @property
    def title(self) -> str:
        """The run as a card's title (TeX)."""
        parts = []
        if self.l2 > 0:
            parts.append(rf"\text{{L2}}, \lambda = {caption_setting(self.l2)}")
        if self.keep_prob < 1:
            parts.append(rf"\text{{dropout, keep }} {self.keep_prob:g}")
        return r",\ ".join(parts) or r"\text{no regularisation}"

    @property
    def gap(self) -> float:
        """Training minus test accuracy at the end."""
        return self.accT - self.test_accT

    @property
    def falls(self) -> bool:
        """The test accuracy ends at least :data:`FALL` below its peak."""
        return not self.diverged and self.test_peak - self.test_accT >= FALL


@dataclass(frozen=True)
class RegularizationNumbers(RunSelection[RegularizedRun]):
    """Every number the segment says or shows in text, and which runs its claims are about.

    Attributes
    ----------
    runs : tuple of RegularizedRun
        The first sweep's, then the second's.
    T : int
    unit : str
    learning_rate : float
    dataset : str
    m, m_test : int
    network, training : str
    y_min : float
        Bottom of the accuracy axes, in percent: a multiple of 10 at or below every run's lowest accuracy.
    """

    runs: tuple[RegularizedRun, ...]
    T: int
    unit: str
    learning_rate: float
    dataset: str
    m: int
    m_test: int
    network: str
    training: str
    y_min: float

    @property
    def plain(self) -> int | None:
        """The finished run without regularisation, if there is one."""
        return next((j for j in self.finished if self.runs[j].plain), None)

    @property
    def helped(self) -> tuple[int, ...]:
        """The regularised runs that end with a higher test accuracy and a smaller train-test gap than the plain run."""
        if self.plain is None:
            return ()
        p = self.runs[self.plain]
        return tuple(
            j
            for j in self.finished
            if not self.runs[j].plain and self.runs[j].test_accT > p.test_accT and self.runs[j].gap < p.gap
        )

    @property
    def best(self) -> tuple[int, ...]:
        """The finished runs with the highest final test accuracy."""
        done = self.finished
        key = [self.runs[j].test_accT for j in done]
        return tuple(j for j, k in zip(done, key, strict=True) if k == max(key)) if done else ()


def sweep_problem(sweeps: Mapping[str, Sequence[VariedRun]]) -> str | None:
    """What keeps the segment from drawing its two sweeps, or ``None``.

    ``regularization`` must vary ``train.l2`` and ``dropout`` ``train.keep_prob``
    (:func:`~scenes.common.experiment.varied_problem`), both of one run with a test set: their
    configs may differ in those two keys only. The build asks before any render (with the declared
    variations), :func:`read_runs` after training.
    """
    first, second = sweeps[SWEEPS[0]], sweeps[SWEEPS[1]]
    problem = varied_problem(SWEEPS[0], "train.l2", first, MAX_RUNS - 1) or varied_problem(
        SWEEPS[1], "train.keep_prob", second, MAX_RUNS - len(first)
    )
    if problem is not None:
        return problem
    common = {dataclasses.replace(r.config, l2=0.0, keep_prob=1.0) for r in [*first, *second]}
    if len(common) > 1:
        return f"sweeps {SWEEPS[0]!r} and {SWEEPS[1]!r} must train the same run but for train.l2 and train.keep_prob"
    if not next(iter(common)).test_points:
        return (
            f"sweeps {SWEEPS[0]!r} and {SWEEPS[1]!r} need a test set (data.test_points > 0): the chapter shows "
            "what regularisation does on it"
        )
    return None


def read_runs() -> list[SweepEntry]:
    """Both sweeps' entries, lambda's then dropout's; on bad input (:func:`sweep_problem`) one line and exit code 2."""
    runs = checked_runs(SWEEPS, sweep_problem)
    return [*runs[SWEEPS[0]], *runs[SWEEPS[1]]]


def regularized_run(entry: SweepEntry) -> RegularizedRun:
    """Read one run's numbers from its sweep entry."""
    cfg: TrainConfig = entry.config
    h = entry.history
    if h is None:
        nan = float("nan")
        return RegularizedRun(cfg.l2, cfg.keep_prob, entry.diverged_at, cfg.iterations, nan, nan, nan, 0, nan)
    test = np.asarray(h.more["test_accuracy"], dtype=float)
    peak = int(np.argmax(test))
    return RegularizedRun(
        l2=float(cfg.l2),
        keep_prob=float(cfg.keep_prob),
        diverged_at=None,
        T=h.iterations,
        accT=float(h.accuracy[-1]),
        test_accT=float(test[-1]),
        test_peak=float(test[peak]),
        peak_at=peak,
        costT=float(h.cost[-1]),
    )


def regularization_numbers(entries: Sequence[SweepEntry]) -> RegularizationNumbers:
    """Read every number of the segment from the sweeps' entries."""
    done = [e.history for e in entries if e.history is not None]
    if not done:
        raise ValueError("the regularisation sweeps have no finished run")
    first = done[0]
    cfg = first.config
    lowest = min(float(min(h.accuracy.min(), h.more["test_accuracy"].min())) for h in done)
    return RegularizationNumbers(
        runs=tuple(regularized_run(e) for e in entries),
        T=max(h.iterations for h in done),
        unit=step_word(cfg),
        learning_rate=float(cfg.learning_rate),
        dataset=dataset_name(cfg.dataset),
        m=first.m,
        m_test=int(first.more["X_test"].shape[1]),
        network=units_words(cfg),
        training=training_words(cfg),
        y_min=10.0 * math.floor(10.0 * lowest + 1e-9),
    )


# --- the narration, one helper per beat -----------------------------------------------------------


def _runs_caption(n: RegularizationNumbers) -> str:
    others = [r.name for r in n.runs if not r.plain]
    plain = any(r.plain for r in n.runs)
    ways = ("once as it is, then with " if plain else "with ") + " and with ".join(others)
    return (
        f"Regularisation: a network far larger than its data needs, {n.network}, trained by {n.training} at "
        f"learning rate {caption_setting(n.learning_rate)}. It learns from only {n.m} noisy {n.dataset} points; "
        f"the rings are {n.m_test} test points that tell what it learnt. Trained {ways}."
    )


def _diverged_text(n: RegularizationNumbers) -> str:
    return " ".join(f"With {r.name} training diverged at {n.unit} {r.diverged_at}." for r in n.pick(n.diverged))


def _training_caption(n: RegularizationNumbers) -> str:
    text = (
        f"All of them train on one clock for {count(n.T, n.unit)}. Under the cards, the training and the test accuracy."
    )
    diverged = _diverged_text(n)
    return text + (f" {diverged}" if diverged else "")


def _overfit_caption(n: RegularizationNumbers) -> str:
    if n.plain is None:
        return "Every run here is regularised; none shows what the network does to its few points alone."
    r = n.runs[n.plain]
    text = f"Without regularisation the training accuracy reaches {caption_percent(r.accT)}."
    if r.falls:
        text += (
            f" The test accuracy peaks at {caption_percent(r.test_peak)} at {n.unit} {r.peak_at}, then falls to "
            f"{caption_percent(r.test_accT)}: the network learns the noise of its {n.m} points, not the moons."
            if n.dataset == "moons"
            else f" The test accuracy peaks at {caption_percent(r.test_peak)} at {n.unit} {r.peak_at}, then falls "
            f"to {caption_percent(r.test_accT)}: the network learns the noise of its {n.m} points."
        )
    else:
        text += f" Its test accuracy ends at {caption_percent(r.test_accT)}, near its peak: this run does not overfit."
    return text


def _remedies_caption(n: RegularizationNumbers) -> str:
    parts = []
    for r in n.pick([j for j in n.finished if not n.runs[j].plain]):
        parts.append(
            f"{r.name} ends at {caption_percent(r.accT)} on the training set and {caption_percent(r.test_accT)} on the "
            "test set"
        )
    if not parts:
        return _diverged_text(n) or "No regularised run finished."
    text = sentence_start("; ".join(parts)) + "."
    regularised = [j for j in n.finished if not n.runs[j].plain]
    if n.plain is not None and n.helped:
        who = (
            ("Both are" if len(regularised) == 2 else "Each is")
            if n.helped == tuple(regularised)
            else sentence_start(spoken_list([n.runs[j].name for j in n.helped]))
            + (" is" if len(n.helped) == 1 else " are")
        )
        text += f" {who} less right on the training points than without, and more right on new ones."
    elif n.plain is not None:
        text += " Here regularisation does not raise the test accuracy."
    return text


def _verdict_caption(n: RegularizationNumbers) -> str:
    done = n.pick(n.finished)
    if not done:
        return _diverged_text(n) or "No run finished."
    listed = "; ".join(f"{r.name}, {caption_percent(r.test_accT)}" for r in done)
    best = spoken_list([n.runs[j].name for j in n.best])
    return f"On the test set: {listed}. The best on new points: {best}."


def captions(n: RegularizationNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Every claim is a property of :class:`RegularizedRun` or :class:`RegularizationNumbers`, which
    the beats read too: the test accuracy "falls" only when it ends :data:`FALL` or more below its
    peak, a regularised run is said to help only when it ends with a higher test accuracy and a
    smaller train-test gap than the run without.
    """
    return {
        "runs": _runs_caption(n),
        "training": _training_caption(n),
        "overfit": _overfit_caption(n),
        "remedies": _remedies_caption(n),
        "verdict": _verdict_caption(n),
    }


class Regularization(SideBySide):
    """An overfitting network beside the same with L2 and with dropout: boundaries, costs, train and test accuracy.

    Attributes
    ----------
    numbers : RegularizationNumbers
        Every number and claim of the segment; :attr:`captions` say them, the beats show them.
    captions : dict of str to str
        Each beat's caption.
    curves : CostCurves
        The test accuracy of every run (top right; their costs are on the cards).
    training_curves : CostCurves
        Their training accuracy, under it.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        entries = read_runs()
        self.numbers = regularization_numbers(entries)
        self.captions = captions(self.numbers)
        self.histories: list[History | None] = [e.history for e in entries]
        self.runs_beat()
        self.train_all("training", self.captions["training"], self.numbers.T, TRAIN_SECONDS)
        self.overfit_beat()
        self.remedies_beat()
        self.verdict_beat()
        fade_to_black(self, run_time=0.8)

    def runs_beat(self) -> None:
        """The heading, the cards before training, the cost axes and, under them, the two accuracies' axes."""
        n = self.numbers
        shown = self.layout_runs(
            "Regularisation",
            rf"\text{{{n.network}, learning rate {n.learning_rate:g}, {n.m} {n.dataset} points, "
            rf"{n.m_test} test points (rings)}}",
            self.histories,
            [r.title for r in n.runs],
            unit=n.unit,
            y_max=100.0,
            rows=("accuracy", "test_accuracy", "cost"),
            diverged_at=[r.diverged_at for r in n.runs],
            series="test_accuracy",
            y_min=n.y_min,
            y_step=10.0,
        )
        self.training_curves = CostCurves(
            self.histories,
            self.colors,
            width=4.0,
            height=1.2,
            y_max=100.0,
            y_min=n.y_min,
            y_step=25.0 if n.y_min <= 50 else 10.0,
            font_size=20,
            series="accuracy",
        )
        self.training_curves.move_to((6.9, -3.8, 0), aligned_edge=DOWN + RIGHT)
        self.clock_views.append(self.training_curves)
        with self.beat("runs", self.captions["runs"]):
            self.play(reveal(self, *shown, self.training_curves, run_time=1.5))

    def overfit_beat(self) -> None:
        """The plain run's card and its test accuracy's curve circled."""
        n = self.numbers
        with self.beat("overfit", self.captions["overfit"]):
            if n.plain is not None:
                self.circle([self.cards[n.plain].body, self.curves], buff=0.08)

    def remedies_beat(self) -> None:
        """What each kind of regularisation does, in the runs' colours; the runs that help circled."""
        rules = VGroup()
        runs = self.numbers.runs
        for tex, kind in ((L2_TEX, lambda r: r.l2 > 0), (DROPOUT_TEX, lambda r: r.keep_prob < 1)):
            j = next((j for j, r in enumerate(runs) if kind(r)), None)
            if j is not None:
                rules.add(MathTex(tex, font_size=22, color=self.colors[j]))
        rules.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        if len(rules):
            rules.move_to((-6.75, -2.85, 0), aligned_edge=LEFT)
            if rules.get_right()[0] > self.training_curves.get_left()[0] - 0.3:
                rules.scale_to_fit_width(self.training_curves.get_left()[0] - 0.3 + 6.75)
                rules.move_to((-6.75, -2.85, 0), aligned_edge=LEFT)
        with self.beat("remedies", self.captions["remedies"]):
            if len(rules):
                self.play(reveal(self, rules, run_time=1.0))
            self.circle([self.cards[j].body for j in self.numbers.helped])

    def verdict_beat(self) -> None:
        """The best runs' test accuracies circled."""
        n = self.numbers
        with self.beat("verdict", self.captions["verdict"]):
            marks = [self.cards[j].test_accuracy for j in n.best]
            self.circle([m for m in marks if m is not None], 0.06)


__all__ = [
    "RegularizationNumbers",
    "RegularizedRun",
    "Regularization",
    "captions",
    "read_runs",
    "regularization_numbers",
    "regularized_run",
]
