"""``manim render scenes/initialization.py Initialization``: what the first weights do to training.

Segment *Initialisation* of the lecture (``-ql`` for a quick 480p preview), the course's
"Initialization" notebook (Improving Deep Neural Networks, week 1). It reads the sweep
``initialization`` of ``media_config/sweeps.toml`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR`` to read
another; missing runs are trained first): one network, one training, one run per way of drawing
the first weights (the notebook's zeros, random x 10 and He). Beats:

1. ``runs`` — the three runs before training: boundaries over the training points (dots) and the
   test points (rings), and their cost axes;
2. ``training`` — every boundary, train and test accuracy and cost on one iteration clock;
3. ``random`` — the large random weights: a cost that starts infinite (a saturated output on a
   point of the other class), drawn whole in an inset, not clipped;
4. ``zeros`` — why zeros fail: each run's first hidden layer, a dot per unit at its two weights,
   through training; with zeros every unit stays where every other is;
5. ``verdict`` — train and test accuracy side by side, and what the course's notebook printed.

:func:`init_numbers` reads every number from the sweep, and every claim is a property of
:class:`InitRun` or :class:`InitNumbers`; :func:`captions` narrates them and the beats mark the runs
the same properties name. Both are free of Manim state so ``tests/test_scene_initialization.py``
can check them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Rectangle,
    VGroup,
    config,
)

from nncore import History
from nncore.course import INITIALIZATION_ACCURACIES, notebook_initialization
from nncore.sweep import SweepEntry
from scenes.common.clock import IterationClock
from scenes.common.comparison import RunSelection, comparison_schedule
from scenes.common.curves import CostCurves, cost_axis_top, finite_peak, nice_ceiling
from scenes.common.experiment import SideBySide, VariedRun, checked_runs, varied_problem
from scenes.common.field import clamp_iteration
from scenes.common.format import (
    caption_number,
    caption_percent,
    caption_setting,
    count,
    dataset_name,
    sentence_start,
    spoken_list,
    tex_number,
    train_test_text,
)
from scenes.common.model_text import step_word, training_words, units_words
from scenes.common.palette import HIGHLIGHT, MUTED
from scenes.common.raster import fade_to_black, reveal

SWEEP = "initialization"
TRAIN_SECONDS = 20.0
"""Screen time of the clock running through every run, iteration 0 to T."""

UNIT_SECONDS = 8.0
"""Screen time of the clock running the first layer's units through training, in the ``zeros`` beat."""


MAX_RUNS = 5
"""The most runs the segment draws side by side (their cards share the left of the frame)."""

INIT_TITLES: dict[str, str] = {
    "zeros": r"\text{zeros}",
    "random": r"\text{random} \times 10",
    "he": r"\text{He}",
    "xavier": r"\text{Xavier}",
    "course": r"\text{random} \times 0.01",
}
"""Each initialisation as a card's title (TeX)."""

INIT_NAMES: dict[str, str] = {
    "zeros": "zeros",
    "random": "random",
    "he": "He",
    "xavier": "Xavier",
    "course": "small random",
}
"""Each initialisation as a caption names it."""

INIT_WORDS: dict[str, str] = {
    "zeros": "all zero",
    "random": "random, Gaussian times 10",
    "he": "He's, Gaussian times the square root of 2 over the previous layer's size",
    "xavier": "Xavier's, Gaussian times the square root of 1 over the previous layer's size",
    "course": "small random, Gaussian times 0.01",
}
"""Each initialisation as the first caption describes it (the biases start at zero in every one)."""


@dataclass(frozen=True)
class InitRun:
    """One initialisation's run, as the segment narrates it.

    Attributes
    ----------
    init : str
        The config's ``init`` (``zeros``, ``random``, ``he``, ...).
    diverged_at : int or None
        Where training stopped being finite (no history then; numbers NaN).
    T : int
        Iterations.
    cost0, costT : float
        Cost before training (infinite when the output saturates on a point of the other class) and at the end.
    accT, test_accT : float
        Train and test accuracy at the end (``test_accT`` NaN without a test set).
    infinite : int
        Snapshots whose cost is infinite.
    last_infinite : int or None
        The last of them.
    units : int
        Units of the first hidden layer.
    identical : bool
        At every snapshot, every unit of the first hidden layer has the same weights and bias as the others.
    all_zero : bool
        Every weight of every layer is exactly zero at every snapshot.
    distinct_end : int
        Distinct weight rows (with bias) of the first hidden layer at the end.
    weight0 : float
        The largest first-layer weight in absolute value before training.
    printed : tuple of float or None
        The train and test accuracy the course's notebook printed for this run, when it is the notebook's run.
    peak : float
        The highest finite cost of the run.
    """

    init: str
    diverged_at: int | None
    T: int
    cost0: float
    costT: float
    accT: float
    test_accT: float
    infinite: int
    last_infinite: int | None
    units: int
    identical: bool
    all_zero: bool
    distinct_end: int
    weight0: float
    printed: tuple[float, float] | None
    peak: float = float("nan")

    @property
    def diverged(self) -> bool:
        """Training stopped because the numbers were no longer finite."""
        return self.diverged_at is not None

    @property
    def name(self) -> str:
        """The initialisation as a caption names it."""
        return INIT_NAMES.get(self.init, self.init)

    @property
    def starts_infinite(self) -> bool:
        """The cost before training is infinite."""
        return not self.diverged and math.isinf(self.cost0)

    @property
    def reproduces(self) -> bool:
        """The run ends at the accuracies the notebook printed (to 12 decimals, as its 2018 edition printed them)."""
        if self.printed is None or self.diverged:
            return False
        return round(self.accT, 12) == round(self.printed[0], 12) and round(self.test_accT, 12) == round(
            self.printed[1], 12
        )


@dataclass(frozen=True)
class InitNumbers(RunSelection[InitRun]):
    """Every number the segment says or shows in text, and which runs its claims are about.

    Attributes
    ----------
    runs : tuple of InitRun
        In the sweep's order.
    T : int
        The longest run.
    learning_rate : float
    dataset : str
        As spoken.
    m, m_test : int
        Training and test points.
    network : str
        The hidden layers in words ("two hidden layers of 10 and 5 ReLU units").
    training : str
        How the runs learn ("full-batch gradient descent").
    y_max : float
        Top of the shared cost axes: a round number above the finite starting costs.
    unit : str
        What the runs count: "iteration", or "epoch" for runs on mini-batches.
    """

    runs: tuple[InitRun, ...]
    T: int
    unit: str
    learning_rate: float
    dataset: str
    m: int
    m_test: int
    network: str
    training: str
    y_max: float

    @property
    def zeros(self) -> tuple[int, ...]:
        """The runs whose first-layer units stay identical through training (the symmetry zeros cannot break)."""
        return tuple(j for j in self.finished if self.runs[j].identical and self.runs[j].units > 1)

    @property
    def saturated(self) -> tuple[int, ...]:
        """The runs whose cost starts infinite."""
        return tuple(j for j in self.finished if self.runs[j].starts_infinite)

    @property
    def best(self) -> tuple[int, ...]:
        """The finished runs with the highest final test accuracy (training accuracy without a test set)."""
        done = self.finished
        if not done:
            return ()
        key = [self.runs[j].test_accT if self.m_test else self.runs[j].accT for j in done]
        top = max(key)
        return tuple(j for j, k in zip(done, key, strict=True) if k == top)

    @property
    def clipped(self) -> tuple[int, ...]:
        """The runs whose cost goes above :attr:`y_max` (or is infinite) somewhere."""
        return tuple(j for j in self.finished if self.runs[j].infinite or self.runs[j].peak > self.y_max)

    @property
    def notebook(self) -> bool:
        """Every finished run is the notebook's (its printed accuracies belong on screen)."""
        done = self.pick(self.finished)
        return bool(done) and all(r.printed is not None for r in done)


def sweep_problem(sweeps: Mapping[str, Sequence[VariedRun]]) -> str | None:
    """What keeps the segment from drawing its sweep: it must vary ``model.init`` over 1 to :data:`MAX_RUNS` values.

    The build asks before any render (with the declared variations), :func:`read_runs` after training.
    """
    return varied_problem(SWEEP, "model.init", sweeps[SWEEP], MAX_RUNS)


def read_runs() -> list[SweepEntry]:
    """The sweep's entries, in its order; on bad input (:func:`sweep_problem`) one line on stderr and exit code 2."""
    return checked_runs([SWEEP], sweep_problem)[SWEEP]


def _peak(history: History) -> float:
    peak = finite_peak([history.cost])
    return peak if peak is not None else float("nan")


def init_run(entry: SweepEntry) -> InitRun:
    """Read one run's numbers from its sweep entry."""
    init = str(entry.config.init)
    h = entry.history
    printed = INITIALIZATION_ACCURACIES.get(init) if notebook_initialization(entry.config) else None
    if h is None:
        nan = float("nan")
        units = int(entry.config.layers[0])
        T = int(entry.config.iterations)
        return InitRun(init, entry.diverged_at, T, nan, nan, nan, nan, 0, None, units, False, False, 0, nan, printed)
    T = h.iterations
    W1, b1 = h.W1, h.b1  # (T+1, n1, n_x), (T+1, n1, 1)
    rows = np.concatenate([W1, b1], axis=2)  # each unit's weights and bias
    identical = bool((rows == rows[:, :1, :]).all())
    all_zero = all(not np.any(getattr(h, f"W{layer}")) for layer in range(1, h.layers + 1))
    infinite = np.flatnonzero(np.isinf(h.cost))
    test = h.more.get("test_accuracy")
    return InitRun(
        init=init,
        diverged_at=None,
        T=T,
        cost0=float(h.cost[0]),
        costT=float(h.cost[T]),
        accT=float(h.accuracy[T]),
        test_accT=float(test[T]) if test is not None else float("nan"),
        infinite=int(infinite.size),
        last_infinite=int(infinite[-1]) if infinite.size else None,
        units=int(W1.shape[1]),
        identical=identical,
        all_zero=all_zero,
        distinct_end=int(len(np.unique(rows[T], axis=0))),
        weight0=float(np.abs(W1[0]).max()),
        printed=printed,
        peak=_peak(h),
    )


def init_numbers(entries: Sequence[SweepEntry]) -> InitNumbers:
    """Read every number of the segment from the sweep's entries (in the sweep's order)."""
    if not entries:
        raise ValueError("the initialisation sweep has no variations")
    runs = tuple(init_run(e) for e in entries)
    cfg = entries[0].config
    histories = [e.history for e in entries]
    done = [h for h in histories if h is not None]
    first = next(iter(done), None)
    return InitNumbers(
        runs=runs,
        T=max(r.T for r in runs),
        unit=step_word(cfg),
        learning_rate=float(cfg.learning_rate),
        dataset=dataset_name(cfg.dataset),
        m=first.m if first is not None else int(cfg.points or 0),
        m_test=int(first.more["X_test"].shape[1]) if first is not None and "X_test" in first.more else 0,
        network=units_words(cfg),
        training=training_words(cfg),
        y_max=cost_axis_top(done),
    )


# --- the narration, one helper per beat -----------------------------------------------------------


def _runs_caption(n: InitNumbers) -> str:
    test = f"; the rings are {n.m_test} held-out test points" if n.m_test else ""
    words = [INIT_WORDS.get(r.init, r.init) for r in n.runs]
    whose = "The course's" if n.notebook else "An"
    listed = "; ".join(words[:-1]) + f"; and {words[-1]}" if len(words) > 1 else "".join(words)
    return (
        f"{whose} initialisation experiment: {n.network}, trained by {n.training} at learning rate "
        f"{caption_setting(n.learning_rate)} for {count(n.T, n.unit)}. It learns from {n.m} {n.dataset} points{test}. "
        f"Only the first weights differ: {listed}."
    )


def _diverged_text(n: InitNumbers) -> str:
    return " ".join(f"{sentence_start(r.name)} diverged at {n.unit} {r.diverged_at}." for r in n.pick(n.diverged))


def _training_caption(n: InitNumbers) -> str:
    text = f"All of them train on one clock for {count(n.T, n.unit)}."
    best = n.pick(n.best)
    if best:
        r = best[0]
        text += (
            f" {sentence_start(spoken_list([b.name for b in best]))} ends at {train_test_text(r.accT, r.test_accT)}."
        )
    for r in n.pick(n.zeros):
        end = f"cost {caption_number(r.costT)}, accuracy {caption_percent(r.accT)}"
        text += f" {sentence_start(r.name)} ends where it began: {end}."
    diverged = _diverged_text(n)
    return text + (f" {diverged}" if diverged else "")


def _random_caption(n: InitNumbers) -> str:
    if not n.saturated:
        big = max(n.pick(n.finished), key=lambda r: r.weight0, default=None)
        if big is None:
            return _diverged_text(n) or "No run finished."
        return (
            f"No run here starts with an infinite cost. The largest first weights, {big.name}'s, "
            f"reach {caption_number(big.weight0)}; it ends at cost {caption_number(big.costT)}."
        )
    parts = []
    for r in n.pick(n.saturated):
        parts.append(
            f"{sentence_start(r.name)} starts with an infinite cost: weights up to {caption_number(r.weight0)} "
            f"saturate the output at exactly 0 or 1 on points of the other class, and the log of 0 is minus infinity. "
            f"The cost is infinite at {count(r.infinite, n.unit)}, the last at {n.unit} {r.last_infinite}; "
            f"the inset draws them at its top, not clipped. Large weights learn slowly: "
            f"it ends at cost {caption_number(r.costT)}."
        )
    return " ".join(parts)


def _zeros_caption(n: InitNumbers) -> str:
    if not n.zeros:
        return (
            "Each dot is one unit of the first hidden layer, at its two weights. Every run starts its units at "
            "different weights, so they learn different things."
        )
    parts = []
    for r in n.pick(n.zeros):
        still = (
            f"all {r.units} units' weights stay exactly zero: the network gives every point the same probability"
            if r.all_zero
            else f"all {r.units} units keep the same weights"
        )
        parts.append(
            f"Each dot is one unit of the first hidden layer, at its two weights. With {r.name}, every unit starts "
            f"the same, gets the same gradient and stays the same: one dot for {r.units} units. Here {still}."
        )
    return " ".join(parts)


def _verdict_caption(n: InitNumbers) -> str:
    done = n.pick(n.finished)
    if not done:
        return _diverged_text(n) or "No run finished."
    text = sentence_start("; ".join(f"{r.name}, {train_test_text(r.accT, r.test_accT)}" for r in done)) + "."
    if n.notebook:
        if all(r.reproduces for r in done):
            text += " These are the accuracies the course's notebook printed."
        else:
            printed = "; ".join(
                f"{r.name}, {caption_percent(r.printed[0])} and {caption_percent(r.printed[1])}"
                for r in done
                if r.printed is not None
            )
            text += f" The course's notebook printed {printed}."
    return text


def captions(n: InitNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Every claim is a property of :class:`InitRun` or :class:`InitNumbers`, which the beats read too:
    an infinite starting cost only for a run whose history starts at one, "exactly zero" only for
    a run whose weights are zero at every snapshot, "the accuracies the course's notebook printed"
    only when every run is the notebook's and ends at its printed accuracies.
    """
    return {
        "runs": _runs_caption(n),
        "training": _training_caption(n),
        "random": _random_caption(n),
        "zeros": _zeros_caption(n),
        "verdict": _verdict_caption(n),
    }


# --- the picture ------------------------------------------------------------------------------------

INF_LABEL = r"\infty"


class UnitCloud(VGroup):
    """One run's first hidden layer as dots, a unit each at its first two weights, following the clock.

    The window is square, centred on zero, and reaches the largest of those weights over the whole
    run (a run whose weights are all zero gets a window of 1), so that a unit never leaves it;
    :meth:`reach_tex` says how far that is.

    Parameters
    ----------
    history : History
    side : float
        The window's side in scene units.
    color : ManimColor
        The dots'.
    iteration : int
        Shown at first.
    """

    def __init__(self, history: History, side: float, color: ManimColor, iteration: int = 0) -> None:
        super().__init__()
        self.history = history
        self.weights = np.asarray(history.W1[:, :, :2], dtype=float)  # (T+1, n1, 2 or 1)
        if self.weights.shape[2] == 1:
            self.weights = np.concatenate([self.weights, np.zeros_like(self.weights)], axis=2)
        reach = float(np.abs(self.weights).max())
        self.reach = reach if reach > 0 else 1.0
        self.side = side
        self.frame = Rectangle(width=side, height=side, color=MUTED, stroke_width=2)
        self.axes = VGroup(
            Line(side / 2 * LEFT, side / 2 * RIGHT, color=MUTED, stroke_width=1, stroke_opacity=0.6),
            Line(side / 2 * DOWN, side / 2 * UP, color=MUTED, stroke_width=1, stroke_opacity=0.6),
        )
        self.dots = VGroup(*[Dot(radius=0.05, color=color, fill_opacity=0.85) for _ in range(self.weights.shape[1])])
        self.add(self.frame, self.axes, self.dots)
        self.iteration: int | None = None
        self.set_iteration(iteration)

    def reach_tex(self) -> str:
        r"""What the window's half-side stands for, in TeX: ``|w| \le 18.6`` (weights all zero: ``w = 0``)."""
        if not np.abs(self.weights).max():
            return r"w = 0 \text{ throughout}"
        return rf"|w| \le {tex_number(self.reach)}"

    def moving_parts(self) -> list[Mobject]:
        """The dots."""
        return [self.dots]

    def set_iteration(self, iteration: int) -> UnitCloud:
        """Put each unit at its weights of ``iteration`` (beyond the run, its last)."""
        i = clamp_iteration(self.history, iteration)
        if i == self.iteration:
            return self
        centre = self.frame.get_center()
        scale = 0.46 * self.side / self.reach
        for dot, (w1, w2) in zip(self.dots, self.weights[i], strict=True):
            dot.move_to(centre + np.array([w1 * scale, w2 * scale, 0.0]))
        self.iteration = i
        return self


class Initialization(SideBySide):
    """The same network from several first weights: boundaries, costs, the zeros' symmetry, the accuracies.

    Attributes
    ----------
    numbers : InitNumbers
        Every number and claim of the segment; :attr:`captions` say them, the beats show them.
    captions : dict of str to str
        Each beat's caption.
    histories : list of History or None
        One per run, in the sweep's order (``None``: the run diverged).
    colors : list of ManimColor
        One per run: its card's title, its curve, its units.
    cards : list of RunCard
        One per run, in the sweep's order: its boundary, train and test accuracy and cost.
    curves : CostCurves
        Every run's cost on one log iteration axis (clipped at ``numbers.y_max``).
    clock_views : list of ClockView
        What the training clock drives.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        entries = read_runs()
        self.numbers = init_numbers(entries)
        self.captions = captions(self.numbers)
        self.histories: list[History | None] = [e.history for e in entries]
        self.runs_beat()
        self.training_beat()
        self.random_beat()
        self.zeros_beat()
        self.verdict_beat()
        fade_to_black(self, run_time=0.8)

    def runs_beat(self) -> None:
        """The heading, one card per run before training, the empty cost axes and the iteration counter."""
        n = self.numbers
        test = rf", {n.m_test} test points (rings)" if n.m_test else ""
        shown = self.layout_runs(
            "Initialisation",
            rf"\text{{{n.network}, learning rate {n.learning_rate:g}, {n.m} {n.dataset} points{test}}}",
            self.histories,
            [INIT_TITLES.get(r.init, rf"\text{{{r.init}}}") for r in n.runs],
            unit=n.unit,
            y_max=n.y_max,
            rows=("accuracy", "test_accuracy", "cost"),
            diverged_at=[r.diverged_at for r in n.runs],
        )
        with self.beat("runs", self.captions["runs"]):
            self.play(reveal(self, *shown, run_time=1.5))

    def training_beat(self) -> None:
        """Every boundary, accuracy and cost on one iteration clock."""
        self.train_all("training", self.captions["training"], self.numbers.T, TRAIN_SECONDS)

    def random_beat(self) -> None:
        """The runs whose cost starts infinite: their cards, then their whole cost in an inset, infinity at its top."""
        n = self.numbers
        with self.beat("random", self.captions["random"]):
            self.circle([self.cards[j].body for j in n.saturated])
            if n.clipped:
                self.inset = self._unclipped_inset()
                self.play(reveal(self, self.inset, run_time=1.0))

    def _unclipped_inset(self) -> VGroup:
        """Small axes under the cost axes with the clipped runs' whole cost; an infinite cost on the top line, marked.

        The axis's top is above the highest finite cost, labelled with the infinity sign and with no
        tick of its own, so a point on it is an infinite cost and nothing else.
        """
        n = self.numbers
        shown = [h if j in n.clipped else None for j, h in enumerate(self.histories)]
        peak = finite_peak(h.cost for h in shown if h is not None)
        step = nice_ceiling((peak if peak is not None else 1.0) / 2)
        top = (math.ceil((peak if peak is not None else 1.0) / step) + 0.6) * step
        inset = CostCurves(
            shown, self.colors, width=5.0, height=1.2, y_max=top, y_step=step, iteration=n.T, font_size=20
        )
        infinity = MathTex(INF_LABEL, font_size=26, color=HIGHLIGHT)
        infinity.next_to(inset.axes.c2p(0, top / inset.unit), LEFT, buff=0.12)
        rule = Line(
            inset.axes.c2p(0, top / inset.unit),
            inset.axes.c2p(inset.x_max, top / inset.unit),
            color=HIGHLIGHT,
            stroke_width=1.5,
            stroke_opacity=0.6,
        )
        names = spoken_list([n.runs[j].name for j in n.clipped])
        title = MathTex(
            rf"\text{{{names}'s cost, unclipped: an infinite cost on the top line}}", font_size=20, color=HIGHLIGHT
        )
        inset.remove(inset.y_label, inset.x_label)
        inset.add(rule, infinity)
        title.next_to(inset.axes, UP, buff=0.25).align_to(infinity, LEFT)
        inset.add(title)
        inset.shift(np.array([-6.05, -3.4, 0.0]) - inset.axes.c2p(0, 0))
        return inset

    def zeros_beat(self) -> None:
        """Each run's first hidden layer, a dot per unit, through training again: zeros' units never part."""
        n = self.numbers
        side = 1.3
        self.clouds: list[UnitCloud | None] = []
        group = VGroup()
        for r, h, color in zip(n.runs, self.histories, self.colors, strict=True):
            if h is None:
                self.clouds.append(None)
                continue
            cloud = UnitCloud(h, side, color, iteration=0)
            name = MathTex(INIT_TITLES.get(r.init, rf"\text{{{r.init}}}"), font_size=20, color=color)
            name.next_to(cloud.frame, UP, buff=0.1)
            reach = cloud.reach_tex()
            scale = MathTex(reach, font_size=18, color=MUTED).next_to(cloud.frame, DOWN, buff=0.08)
            self.clouds.append(cloud)
            group.add(VGroup(name, cloud, scale))
        group.arrange(RIGHT, buff=0.3, aligned_edge=DOWN)
        title = MathTex(r"\text{first hidden layer: a dot per unit at } (w_1, w_2)", font_size=20, color=MUTED)
        block = VGroup(title, group).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        block.move_to((6.8, -3.85, 0), aligned_edge=DOWN + RIGHT)
        views = [c for c in self.clouds if c is not None]
        schedule = comparison_schedule(self.histories, int(round(UNIT_SECONDS * config.frame_rate)) + 1)
        clock = IterationClock(schedule)
        with self.beat("zeros", self.captions["zeros"]):
            self.play(reveal(self, block, run_time=1.0))
            with clock.driving(self, *views):
                self.play(clock.advance_to(n.T, run_time=UNIT_SECONDS))
            self.circle([c for j, c in enumerate(self.clouds) if c is not None and j in n.zeros], buff=0.08)

    def verdict_beat(self) -> None:
        """Under each card what the notebook printed (when the runs are its runs); the best runs' accuracies circled."""
        n = self.numbers
        printed = self.printed_rows([r.printed for r in n.runs] if n.notebook else [None] * len(n.runs))
        with self.beat("verdict", self.captions["verdict"]):
            if len(printed):
                self.play(reveal(self, printed, run_time=1.0))
            self.circle([m for j in n.best for m in self.cards[j].rows.values() if m is not self.cards[j].cost], 0.06)


__all__ = [
    "InitNumbers",
    "InitRun",
    "Initialization",
    "UnitCloud",
    "captions",
    "init_numbers",
    "init_run",
    "read_runs",
]
