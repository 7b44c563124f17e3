"""``manim render scenes/learning_rates.py LearningRates``: larger and smaller learning rates.

Optional segment *Larger and smaller learning rates* of the lecture (``-ql`` for a quick 480p
preview). It reads the sweep ``learning_rates`` of ``media_config/sweeps.toml`` (``$NN_SWEEPS``,
``$NN_SWEEP_DIR`` to read another; missing runs are trained first): the same network, the same
data and starting weights, trained at several learning rates. Beats:

1. ``runs`` — what is compared;
2. ``curves`` — every run's cost on one clock (log iteration axis; a run that leaves the axes is
   clipped, and the picture says so);
3. ``small`` — the smallest rate barely moves;
4. ``zigzag`` — whether each update lowers the cost: where it always does, and where it zig-zags
   yet settles;
5. ``wild`` — the largest rate: how high its cost jumps and whether it ever settles (or where a run
   diverged);
6. ``boundaries`` — the boundary each run reaches, with its accuracy and cost;
7. ``verdict`` — which rates reach the best accuracy, and the largest rate's last iterations.

:func:`rate_numbers` reads every number from the sweep, and every claim ("zig-zags", "never
settles", "barely moves", "best") is a property of :class:`RateRun` or :class:`RateNumbers`;
:func:`captions` narrates them and the scene's beats mark the runs the same properties name. Both
are free of Manim state so ``tests/test_scene_learning_rates.py`` can check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circumscribe, Line, MathTex, Text, VGroup, config

from nncore import History
from nncore.network import predict_proba
from nncore.sweep import SweepEntry
from scenes.common.clock import IterationClock
from scenes.common.comparison import RUN_COLORS, RunSelection, comparison_schedule, load_runs, plane_extent
from scenes.common.curves import CostCurves, cost_axis_top, finite_peak, nice_ceiling
from scenes.common.format import (
    caption_number,
    caption_percent,
    caption_setting,
    cost_text,
    count,
    dataset_name,
    spoken_list,
)
from scenes.common.frame import keep_in_frame
from scenes.common.model_text import step_word, training_sentence, units_words
from scenes.common.narration import Narrated
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.panels import RunCard, arrange_cards
from scenes.common.raster import RasterScene, fade_to_black, reveal
from scenes.common.tex import prefetch

SWEEP = "learning_rates"
CURVE_SECONDS = 24.0
"""Screen time of the clock running through every run, iteration 0 to T."""

SETTLE_WINDOW = 0.1
"""A run has settled if, over the last tenth of its iterations, its cost varies by less than
:data:`SETTLE_SPREAD` of its final value."""
SETTLE_SPREAD = 0.05

ZIGZAG_SHARE = 0.25
"""A settling run zig-zags when its cost rises after at least this share of its updates."""

BARELY = 0.25
"""The smallest rate "barely moves" when its cost falls by less than this share of the best run's fall
(else it "moves slowly")."""

LAST_ITERATIONS = 24
"""The ``verdict`` beat replays this many last iterations of a run that never settles."""

HEADING_SIZE = 36


@dataclass(frozen=True)
class RateRun:
    """One learning rate's run, as the segment narrates it.

    Attributes
    ----------
    label : str
        The rate as written (``0.01``, ``50``).
    rate : float
    diverged_at : int or None
        Iteration where the cost stopped being finite (no history then; the numbers below are NaN/0).
    T : int
        Iterations run.
    cost0, costT, accT : float
        Cost before training, after the last update, final accuracy (fraction).
    rises : int
        Updates after which the cost was higher than before.
    peak, peak_at : float, int
        The highest cost and its first iteration.
    late_lo, late_hi : float
        Lowest and highest cost over iterations ``peak_at + 1 .. T`` (after the peak).
    above_start : float
        Fraction of iterations ``1..T`` whose cost is above ``cost0``.
    settles : bool
        Over the last :data:`SETTLE_WINDOW` of the run the cost varies by less than
        :data:`SETTLE_SPREAD` of its final value.
    tail_acc_lo, tail_acc_hi : float
        Lowest and highest accuracy over the last :data:`LAST_ITERATIONS` iterations.
    one_class : bool
        The final network predicts the same class for every training point (a ReLU network whose
        units all died outputs one value everywhere).
    """

    label: str
    rate: float
    diverged_at: int | None
    T: int
    cost0: float
    costT: float
    accT: float
    rises: int
    peak: float
    peak_at: int
    late_lo: float
    late_hi: float
    above_start: float
    settles: bool
    tail_acc_lo: float
    tail_acc_hi: float
    one_class: bool = False

    @property
    def diverged(self) -> bool:
        """Training stopped because the cost was no longer finite."""
        return self.diverged_at is not None

    @property
    def drop(self) -> float:
        """How much the cost fell from iteration 0 to the end."""
        return self.cost0 - self.costT

    @property
    def rise_percent(self) -> float:
        """Percentage of the updates after which the cost rose."""
        return 100 * self.rises / max(self.T, 1)

    @property
    def zigzags(self) -> bool:
        """The cost rises after at least :data:`ZIGZAG_SHARE` of the updates, yet the run settles."""
        return not self.diverged and self.settles and self.rises >= ZIGZAG_SHARE * self.T

    @property
    def wild(self) -> bool:
        """The steps are far too large: the cost climbs above its start and never settles."""
        return not self.diverged and not self.settles and self.peak > self.cost0

    @property
    def tail_jumps(self) -> bool:
        """The accuracy still changes over the last :data:`LAST_ITERATIONS` iterations."""
        return self.tail_acc_hi > self.tail_acc_lo


@dataclass(frozen=True)
class RateNumbers(RunSelection[RateRun]):
    """Every number the segment says or shows in text, and every claim it makes about the runs.

    The claims are properties giving run indices (in the sweep's order, as the legend's rows and
    the cards are), so that the caption and the picture name the same runs.

    Attributes
    ----------
    runs : tuple of RateRun
        In the sweep's order.
    n_h, m : int
        Hidden units and training points (shared by the runs).
    dataset : str
    T : int
        The longest run's iterations.
    y_max : float
        Top of the cost axis.
    clipped : tuple of int
        Runs whose cost leaves the axis.
    unit : str
        What the runs count: "iteration", or "epoch" for runs on mini-batches.
    network : str
        The network in words (:func:`~scenes.common.model_text.units_words`: "4 hidden units").
    training : str
        A sentence saying how the runs learn, empty for full-batch gradient descent.
    """

    runs: tuple[RateRun, ...]
    n_h: int
    m: int
    dataset: str
    T: int
    y_max: float
    clipped: tuple[int, ...]
    unit: str = "iteration"
    network: str = ""
    training: str = ""

    @property
    def updates_word(self) -> str:
        """What a run's snapshots are: one update each on the whole set, or one epoch of mini-batches."""
        return "update" if self.unit == "iteration" else "epoch"

    @property
    def start_cost(self) -> float | None:
        """The cost every finished run starts at, if they all show the same (``None`` otherwise)."""
        starts = {cost_text(r.cost0) for r in self.pick(self.finished)}
        return self.runs[self.finished[0]].cost0 if len(starts) == 1 else None

    @property
    def smallest(self) -> int | None:
        """The finished run with the smallest rate."""
        return min(self.finished, key=lambda j: self.runs[j].rate, default=None)

    @property
    def largest(self) -> int | None:
        """The finished run with the largest rate."""
        return max(self.finished, key=lambda j: self.runs[j].rate, default=None)

    @property
    def lowest_cost(self) -> int | None:
        """The finished run that ends at the lowest cost."""
        return min(self.finished, key=lambda j: self.runs[j].costT, default=None)

    @property
    def small_share(self) -> float | None:
        """The smallest rate's fall in cost as a share of :attr:`lowest_cost`'s (``None``: no comparison).

        ``None`` when no run finished, when the smallest rate is itself the lowest, or when the
        lowest did not fall.
        """
        if self.smallest is None or self.lowest_cost is None:
            return None
        small, best = self.runs[self.smallest], self.runs[self.lowest_cost]
        share = small.drop / best.drop if best.drop > 0 else float("nan")
        return None if small is best or not np.isfinite(share) else share

    @property
    def highest_cost(self) -> int | None:
        """The finished run that ends at the highest cost."""
        return max(self.finished, key=lambda j: self.runs[j].costT, default=None)

    @property
    def steady(self) -> tuple[int, ...]:
        """The finished runs whose cost fell after every update (it never rose)."""
        return tuple(j for j in self.finished if self.runs[j].rises == 0)

    @property
    def zigzag(self) -> tuple[int, ...]:
        """The runs that zig-zag yet settle (:attr:`RateRun.zigzags`)."""
        return tuple(j for j, r in enumerate(self.runs) if r.zigzags)

    @property
    def wild(self) -> tuple[int, ...]:
        """The runs whose steps are far too large (:attr:`RateRun.wild`)."""
        return tuple(j for j, r in enumerate(self.runs) if r.wild)

    @property
    def top_accuracy(self) -> float | None:
        """The best final accuracy of a finished run."""
        return max((r.accT for r in self.pick(self.finished)), default=None)

    @property
    def most_accurate(self) -> tuple[int, ...]:
        """The finished runs that reach :attr:`top_accuracy`."""
        return tuple(j for j in self.finished if self.runs[j].accT == self.top_accuracy)

    @property
    def least_accurate(self) -> int | None:
        """The finished run with the lowest final accuracy (the first of them)."""
        return min(self.finished, key=lambda j: self.runs[j].accT, default=None)

    @property
    def least_accurate_runs(self) -> tuple[int, ...]:
        """Every finished run at the lowest final accuracy."""
        low = min((r.accT for r in self.pick(self.finished)), default=None)
        return tuple(j for j in self.finished if self.runs[j].accT == low)

    @property
    def clipped_tex(self) -> str:
        """The clipped runs' rates as TeX, comma separated (the clip note's and the inset's title)."""
        return ", ".join(rate_tex(self.runs[j].rate) for j in self.clipped)

    @property
    def clipped_peak(self) -> float:
        """The highest cost of a clipped run (NaN when none is clipped)."""
        return max((self.runs[j].peak for j in self.clipped), default=float("nan"))


def rate_label(value: float) -> str:
    """A learning rate as written on screen (``0.01``, ``5.2``, ``50``); captions write :func:`caption_setting`."""
    return f"{float(value):g}"


def rate_tex(value: float) -> str:
    """A learning rate as TeX: :func:`rate_label`, with ``1e+306`` written ``10^{306}``."""
    label = rate_label(value)
    if "e" not in label:
        return label
    mantissa, exponent = label.split("e")
    power = rf"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \cdot {power}"


def rate_run(entry: SweepEntry) -> RateRun:
    """Read one run's numbers from its sweep entry."""
    if not isinstance(entry.value, (int, float)):
        raise TypeError(f"a learning rate is a number, not {entry.value!r}")
    rate = float(entry.value)
    label = rate_label(rate)
    h = entry.history
    if h is None:
        nan = float("nan")
        T = int(entry.config.iterations)
        return RateRun(label, rate, entry.diverged_at, T, nan, nan, nan, 0, nan, 0, nan, nan, nan, False, nan, nan)
    cost = np.asarray(h.cost, dtype=float)  # (T + 1,)
    acc = np.asarray(h.accuracy, dtype=float)  # (T + 1,)
    T = h.iterations
    peak_at = int(np.argmax(cost))
    after = cost[peak_at + 1 :] if peak_at < T else cost[T:]
    window = cost[T - max(int(round(SETTLE_WINDOW * T)), 1) :]
    tail = acc[max(T - LAST_ITERATIONS, 0) :]
    return RateRun(
        label=label,
        rate=rate,
        diverged_at=None,
        T=T,
        cost0=float(cost[0]),
        costT=float(cost[T]),
        accT=float(acc[T]),
        rises=int(np.count_nonzero(np.diff(cost) > 0)),
        peak=float(cost[peak_at]),
        peak_at=peak_at,
        late_lo=float(after.min()),
        late_hi=float(after.max()),
        above_start=float(np.mean(cost[1:] > cost[0])) if T > 0 else 0.0,
        settles=bool(np.ptp(window) < SETTLE_SPREAD * abs(cost[T])),
        tail_acc_lo=float(tail.min()),
        tail_acc_hi=float(tail.max()),
        one_class=one_class(h),
    )


def one_class(history: History) -> bool:
    """The run's final network predicts one class for every training point (nncore's forward pass, ``A > 0.5``)."""
    predicted = predict_proba(history.X, history.net(history.iterations), history.config.activation) > 0.5  # (1, m)
    return bool(predicted.all() or not predicted.any())


def rate_numbers(entries: Sequence[SweepEntry]) -> RateNumbers:
    """Read every number of the segment from the sweep's entries (in the sweep's order)."""
    if not entries:
        raise ValueError("the learning-rate sweep has no variations")
    runs = tuple(rate_run(e) for e in entries)
    histories = [e.history for e in entries]
    y_max = cost_axis_top(histories)
    clipped = tuple(j for j, h in enumerate(histories) if h is not None and float(np.nanmax(h.cost)) > y_max)
    cfg = entries[0].config
    first = next((h for h in histories if h is not None), None)
    return RateNumbers(
        runs=runs,
        n_h=int(cfg.hidden_units),
        m=int(first.m) if first is not None else 0,
        dataset=str(cfg.dataset),
        T=max(r.T for r in runs),
        y_max=y_max,
        clipped=clipped,
        unit=step_word(cfg),
        network=units_words(cfg),
        training=training_sentence(cfg, "Every run"),
    )


# --- the narration, one helper per beat -----------------------------------------------------------


def _rate(r: RateRun) -> str:
    """The run's learning rate in a caption: as configured, ``10³⁰⁶`` for ``1e+306``."""
    return caption_setting(r.rate)


def _rates(n: RateNumbers, indices: Sequence[int]) -> str:
    """The learning rates of runs ``indices``, as a sentence lists them."""
    return spoken_list([_rate(n.runs[j]) for j in indices])


def _diverged_text(n: RateNumbers) -> str:
    return " ".join(
        f"At {_rate(r)} training diverged at {n.unit} {r.diverged_at}: its cost stopped being finite, so it has "
        "no curve and no boundary."
        for r in n.pick(n.diverged)
    )


def _runs_caption(n: RateNumbers) -> str:
    return (
        f"The same network, {n.network or count(n.n_h, 'hidden unit')} on the {dataset_name(n.dataset)} data, from "
        f"the same starting weights, trained for {count(n.T, n.unit)} at {len(n.runs)} learning rates: "
        f"{_rates(n, range(len(n.runs)))}. " + (f"{n.training} " if n.training else "") + "Only the step size differs."
    )


def _curves_caption(n: RateNumbers) -> str:
    start = f" All start at {caption_number(n.start_cost)}." if n.start_cost is not None else ""
    lo, hi = n.lowest_cost, n.highest_cost
    if lo is None or hi is None:
        ends = ""
    elif lo == hi:
        ends = f" After {count(n.T, n.unit)} it ends at {caption_number(n.runs[lo].costT)}."
    else:
        ends = (
            f" After {count(n.T, n.unit)} they end between {caption_number(n.runs[lo].costT)} "
            f"(at {_rate(n.runs[lo])}) "
            f"and {caption_number(n.runs[hi].costT)} (at {_rate(n.runs[hi])})."
        )
    clip = ""
    if n.clipped:
        peaks = spoken_list([caption_number(r.peak) for r in n.pick(n.clipped)])
        reach = "reaches" if len(n.clipped) == 1 else "reach"
        clip = f" Above {n.y_max:g} a curve is drawn at the top: {_rates(n, n.clipped)} {reach} {peaks}."
    return f"Their costs on one clock, {n.unit}s on a log scale.{start}{ends}{clip}"


def _small_caption(n: RateNumbers) -> str:
    if n.smallest is None or n.lowest_cost is None:
        return "No learning rate of this sweep finished training."
    small, best, share = n.runs[n.smallest], n.runs[n.lowest_cost], n.small_share
    if share is None:
        return (
            f"The smallest rate, {_rate(small)}, takes the cost from {caption_number(small.cost0)} to "
            f"{caption_number(small.costT)} in {count(small.T, n.unit)}: accuracy {caption_percent(small.accT)}."
        )
    barely = "barely moves" if share < BARELY else "moves slowly"
    return (
        f"The smallest rate, {_rate(small)}, {barely}: in {count(small.T, n.unit)} its cost falls only from "
        f"{caption_number(small.cost0)} to {caption_number(small.costT)}, {100 * share:.0f}% of the fall at "
        f"{_rate(best)}, and it classifies {caption_percent(small.accT)} of the points correctly."
    )


def _zigzag_caption(n: RateNumbers) -> str:
    steady = f": at {_rates(n, n.steady)} it always does" if n.steady else ""
    zig_text = " ".join(
        f"At {_rate(r)} the cost rises after {r.rise_percent:.0f}% of the steps, a zig-zag, "
        f"yet it settles at {caption_number(r.costT)}{_one_class_text(r)}."
        for r in n.pick(n.zigzag)
    )
    return f"Each step should lower the cost{steady}." + (f" {zig_text}" if zig_text else "")


def _one_class_text(r: RateRun) -> str:
    """What a settled run that gives every point one class has settled into (empty for any other run)."""
    return ", giving every point one class" if r.one_class else ""


def _wild_caption(n: RateNumbers) -> str:
    parts = [
        f"At {_rate(r)} the steps are far too large: within {count(r.peak_at, n.updates_word)} the cost jumps from "
        f"{caption_number(r.cost0)} to {caption_number(r.peak)}, then keeps jumping between "
        f"{caption_number(r.late_lo)} and {caption_number(r.late_hi)}, above its start "
        f"{caption_percent(r.above_start)} of the time. It never settles."
        for r in n.pick(n.wild)
    ]
    if not parts and not n.diverged:
        largest = n.largest
        parts.append(
            f"Even the largest rate, {_rate(n.runs[largest])}, settles in these {count(n.T, n.unit)}"
            f"{_one_class_text(n.runs[largest])}."
            if largest is not None
            else ""
        )
    return " ".join([*parts, _diverged_text(n)]).strip()


def _boundaries_caption(n: RateNumbers) -> str:
    none = " ".join(
        f"At {_rate(r)} there is none: it diverged at {n.unit} {r.diverged_at}." for r in n.pick(n.diverged)
    )
    return f"The boundaries they reach after {count(n.T, n.unit)}, each with its accuracy and cost." + (
        f" {none}" if none else ""
    )


def _verdict_caption(n: RateNumbers) -> str:
    if n.top_accuracy is None or n.least_accurate is None:
        return _diverged_text(n) or "No run finished."
    worst = n.runs[n.least_accurate]
    verdict = f"The best accuracy, {caption_percent(n.top_accuracy)}, is reached at {_rates(n, n.most_accurate)}"
    if worst.accT < n.top_accuracy:
        lowest = n.least_accurate_runs
        reach = "only reaches" if len(lowest) == 1 else "only reach"
        verdict += f"; {_rates(n, lowest)} {reach} {caption_percent(worst.accT)}"
        if all(r.one_class for r in n.pick(lowest)):
            verdict += ", predicting one class for every point"
    verdict += "."
    for r in n.pick(n.wild):
        if r.tail_jumps:
            verdict += (
                f" In its last {LAST_ITERATIONS} {n.unit}s the boundary at {_rate(r)} keeps jumping: "
                f"accuracy between {caption_percent(r.tail_acc_lo)} and {caption_percent(r.tail_acc_hi)}."
            )
    return verdict


def captions(n: RateNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Claims are made only when the numbers show them: "settles", "never settles", "zig-zags",
    "barely" and "best" are properties of :class:`RateRun` and :class:`RateNumbers`, which the
    beats read too, and a diverged run is said to have diverged, where. Written to be heard: costs
    to three significant digits, no per-run list read out (the legend and the cards show every
    run's numbers; the captions say the lowest and highest, the best and the worst).
    """
    return {
        "runs": _runs_caption(n),
        "curves": _curves_caption(n),
        "small": _small_caption(n),
        "zigzag": _zigzag_caption(n),
        "wild": _wild_caption(n),
        "boundaries": _boundaries_caption(n),
        "verdict": _verdict_caption(n),
    }


class LearningRates(Narrated, RasterScene):
    """The same network at several learning rates: the cost curves together, then the boundaries.

    Attributes
    ----------
    numbers : RateNumbers
        Every number and claim of the segment; :attr:`captions` say them, the beats show them.
    captions : dict of str to str
        Each beat's caption.
    histories : list of History or None
        One per run, in the sweep's order (``None``: the run diverged).
    colors : list of ManimColor
        One per run: its curve, its legend swatch and its card's title.
    heading : Text
    curves : CostCurves
        Every run's cost on one log iteration axis (clipped at ``numbers.y_max``).
    legend : VGroup
        Title, one row per run (swatch and rate) and the cost readouts in its cost column.
    legend_rows : VGroup
        The legend's rows, in the sweep's order (the beats circle them).
    cost_readouts : list of HistoryNumber
        The finished runs' costs in the legend, following the clock.
    clip_note : MathTex or None
        Which runs the axes clip and how high they go (``None`` when none is clipped).
    cards : list of RunCard
        The boundary each run reaches, in the sweep's order.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        entries = load_runs(SWEEP)
        self.numbers = rate_numbers(entries)
        self.captions = captions(self.numbers)
        self.histories: list[History | None] = [e.history for e in entries]
        self.colors = [RUN_COLORS[j % len(RUN_COLORS)] for j in range(len(entries))]
        self.runs_beat()
        self.curves_beat()
        self.small_beat()
        self.zigzag_beat()
        self.wild_beat()
        self.boundaries_beat()
        self.verdict_beat()
        fade_to_black(self, run_time=0.8)

    # --- the curves -------------------------------------------------------------------------------

    def runs_beat(self) -> None:
        """What is compared: the heading, the empty cost axes, the legend (and the clip note)."""
        n = self.numbers
        self.heading = Text("Larger and smaller learning rates", font_size=HEADING_SIZE, color=TEXT)
        self.heading.to_corner(UP + LEFT, buff=0.3)
        network = n.network or count(n.n_h, "hidden unit")
        setup_line = MathTex(
            rf"\text{{{network}, {dataset_name(n.dataset)} data, the same starting weights}}",
            font_size=26,
            color=MUTED,
        )
        setup_line.next_to(self.heading, DOWN, buff=0.2).align_to(self.heading, LEFT)
        self.curves = CostCurves(self.histories, self.colors, width=8.2, height=4.6, y_max=n.y_max, font_size=22)
        self.curves.move_to((-6.7, -3.45, 0), aligned_edge=DOWN + LEFT)
        self.legend = self._legend()
        self.clip_note = self._clip_note() if n.clipped else None
        with self.beat("runs", self.captions["runs"]):
            extra = [self.clip_note] if self.clip_note is not None else []
            self.play(reveal(self, self.heading, setup_line, self.curves, self.legend, *extra, run_time=1.5))

    def _legend(self) -> VGroup:
        """Right of the axes: a row per run (swatch, rate, where it diverged) with its cost beside it."""
        title = MathTex(r"\text{learning rate} \quad \text{cost}", font_size=24, color=MUTED)
        self.legend_rows = VGroup()
        prefetch([rf"\alpha = {rate_tex(run.rate)}" for run in self.numbers.runs])  # one LaTeX run for all
        for run, h, color in zip(self.numbers.runs, self.histories, self.colors, strict=True):
            swatch = Line(0.35 * LEFT, 0.35 * RIGHT, color=color, stroke_width=5)
            name = MathTex(rf"\alpha = {rate_tex(run.rate)}", font_size=26, color=TEXT)
            name.next_to(swatch, RIGHT, buff=0.15)
            row = VGroup(swatch, name)
            if h is None:
                note = MathTex(
                    rf"\text{{diverged at {self.numbers.unit} {run.diverged_at}}}", font_size=22, color=HIGHLIGHT
                )
                note.next_to(name, DOWN, buff=0.12).align_to(name, LEFT)
                row.add(note)
            self.legend_rows.add(row)
        # rows with a "diverged" note under them are two lines high: closer together, they leave room
        # below the legend for the clipped runs' inset
        diverged = any(h is None for h in self.histories)
        self.legend_rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2 if diverged else 0.32)
        legend = VGroup(title, self.legend_rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        legend.move_to((3.0, self.curves.axes.get_top()[1], 0), aligned_edge=UP + LEFT)
        cost_x = legend.get_left()[0] + 3.6
        self.cost_readouts: list[HistoryNumber] = []
        for legend_row, h in zip(self.legend_rows, self.histories, strict=True):
            if h is not None:
                number = HistoryNumber(h, "cost", 0, font_size=26, align="right", color=TEXT)
                number.set_anchor([cost_x, legend_row[1].get_bottom()[1]])
                self.cost_readouts.append(number)
        legend.add(*self.cost_readouts)  # one legend: the numbers sit in its cost column
        return legend

    def _clip_note(self) -> MathTex:
        """Below the legend: which runs the axes clip, and how high their cost really goes."""
        n = self.numbers
        note = MathTex(
            rf"\text{{clipped: cost of }}\alpha = {n.clipped_tex}",
            rf"\text{{goes above {n.y_max:g} (up to {cost_text(n.clipped_peak)})}}",
            font_size=22,
            color=HIGHLIGHT,
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.next_to(self.legend, DOWN, buff=0.45).align_to(self.legend, LEFT)
        return note

    def curves_beat(self) -> None:
        """Every run's cost on one clock, the legend's readouts following it."""
        schedule = comparison_schedule(self.histories, int(round(CURVE_SECONDS * config.frame_rate)) + 1)
        clock = IterationClock(schedule)
        scale = self.fit_to_speech({"curves": (self.captions["curves"], CURVE_SECONDS)})  # 1 without a voice
        with self.beat("curves", self.captions["curves"]):
            with clock.driving(self, self.curves, *self.cost_readouts):
                self.play(clock.advance_to(self.numbers.T, run_time=CURVE_SECONDS * scale))

    def _mark_rows(self, indices: Sequence[int]) -> None:
        """Circle the legend rows of the runs at ``indices``, one after the other."""
        for j in indices:
            self.play(Circumscribe(self.legend_rows[j], color=HIGHLIGHT, buff=0.08, run_time=1.2))

    def small_beat(self) -> None:
        """The smallest rate barely moves: its legend row."""
        with self.beat("small", self.captions["small"]):
            smallest = self.numbers.smallest
            self._mark_rows([smallest] if smallest is not None else [])

    def zigzag_beat(self) -> None:
        """How often each cost rises: the rows of the runs that zig-zag yet settle."""
        with self.beat("zigzag", self.captions["zigzag"]):
            self._mark_rows(self.numbers.zigzag)

    def wild_beat(self) -> None:
        """The rates far too large (and the diverged runs), then the clipped runs unclipped."""
        n = self.numbers
        with self.beat("wild", self.captions["wild"]):
            self._mark_rows([*n.wild, *n.diverged])
            if self.clip_note is not None:
                # The clipped runs in full, where the note was: how high they really go.
                inset = self._unclipped_inset()
                inset.move_to((self.legend.get_left()[0], -3.75, 0), aligned_edge=DOWN + LEFT)
                top = self.legend.get_bottom()[1] - 0.25
                if inset.get_top()[1] > top:  # a legend made tall by diverged runs' notes: the inset shrinks under it
                    inset.scale((top - inset.get_bottom()[1]) / inset.height, about_point=inset.get_corner(DOWN + LEFT))
                keep_in_frame(inset)  # a one-iteration run's last tick can reach past the right edge
                self.remove(self.clip_note)
                self.play(reveal(self, inset, run_time=1.0))

    def _unclipped_inset(self) -> VGroup:
        """Small axes with the clipped runs' whole cost, from 0 to above their peak."""
        n = self.numbers
        shown = [h if j in n.clipped else None for j, h in enumerate(self.histories)]
        # an infinite peak (a saturated output) is drawn at the top, as on the main axes: the top
        # covers the highest finite cost of the clipped runs
        peak = finite_peak(h.cost for h in shown if h is not None)
        top = nice_ceiling(peak if peak is not None else 1.0)
        inset = CostCurves(shown, self.colors, width=3.0, height=1.55, y_max=top, iteration=n.T, font_size=20)
        inset.remove(inset.x_label)
        title = MathTex(rf"\text{{unclipped: }}\alpha = {n.clipped_tex}", font_size=22, color=HIGHLIGHT)
        title.next_to(inset.y_label, RIGHT, buff=0.3).align_to(inset.y_label, DOWN)
        inset.add(title)
        return inset

    # --- the boundaries -----------------------------------------------------------------------------

    def boundaries_beat(self) -> None:
        """The curves fade out; each run's final boundary, accuracy and cost on a card."""
        n = self.numbers
        finished = next((h for h in self.histories if h is not None), None)
        extent = plane_extent(finished) if finished is not None else None
        panels = len(n.runs)
        size = min(3.0, (13.4 - 0.3 * (panels - 1)) / panels)
        self.cards = [
            RunCard(
                rf"\alpha = {rate_tex(r.rate)}",
                h,
                size,
                extent=extent,
                iteration=r.T if h is not None else 0,
                diverged_at=r.diverged_at,
                font_size=24,
                point_radius=0.028,
                title_color=color,
            )
            for r, h, color in zip(n.runs, self.histories, self.colors, strict=True)
        ]
        row = arrange_cards(self.cards, 13.4, 1.6)
        subtitle = MathTex(rf"\text{{after {count(n.T, n.unit)}}}", font_size=26, color=MUTED)
        subtitle.next_to(self.heading, DOWN, buff=0.2).align_to(self.heading, LEFT)
        with self.beat("boundaries", self.captions["boundaries"]):
            fade_to_black(self, run_time=0.8)
            self.play(reveal(self, self.heading, subtitle, row, run_time=1.5))

    def verdict_beat(self) -> None:
        """The most accurate runs' boundaries, then the last iterations of every run far too large."""
        n = self.numbers
        with self.beat("verdict", self.captions["verdict"]):
            if n.most_accurate:
                self.play(
                    *[
                        Circumscribe(self.cards[j].body, color=HIGHLIGHT, buff=0.05, run_time=1.5)
                        for j in n.most_accurate
                    ]
                )
            for j in n.wild:
                self._replay_last_iterations(j)

    def _replay_last_iterations(self, j: int) -> None:
        """Run ``j``'s card through its last :data:`LAST_ITERATIONS` iterations, an iteration counter below it."""
        card, history, T = self.cards[j], self.histories[j], self.numbers.runs[j].T
        assert history is not None, "a diverged run has no iterations to replay"
        first = max(T - LAST_ITERATIONS, 0)
        name = MathTex(rf"\text{{{self.numbers.unit}}}", font_size=24, color=HIGHLIGHT)
        name.next_to(card, DOWN, buff=0.3).align_to(card, LEFT)
        counter = HistoryNumber(history, "iteration", first, font_size=24, align="right", color=HIGHLIGHT)
        counter.set_anchor([card.get_right()[0], name.get_bottom()[1]])
        self.play(reveal(self, name, counter, run_time=0.5))
        replay = IterationClock(np.arange(first, T + 1))
        with replay.driving(self, *card.views(), counter):
            self.play(replay.advance_to(T, run_time=0.25 * LAST_ITERATIONS))


__all__ = ["LearningRates", "RateNumbers", "RateRun", "captions", "rate_label", "rate_numbers", "rate_run", "rate_tex"]
