"""``manim render scenes/learning_rates.py LearningRates``: larger and smaller learning rates.

Optional segment *Larger and smaller learning rates* of the lecture (``-ql`` for a quick 480p
preview). It reads the sweep ``learning_rates`` of ``media_config/sweeps.toml`` (``$NN_SWEEPS``,
``$NN_SWEEP_DIR`` to read another; missing runs are trained first): the same network, the same
data and starting weights, trained at several learning rates. Beats:

1. ``runs`` — what is compared;
2. ``curves`` — every run's cost on one clock (log iteration axis; a run that leaves the axes is
   clipped, and the picture says so);
3. ``small`` — the smallest rate barely moves;
4. ``zigzag`` — how often each run's cost rises after an update;
5. ``wild`` — the largest rate: how high its cost jumps and whether it ever settles (or where a run
   diverged);
6. ``boundaries`` — the boundary each run reaches, with its accuracy and cost;
7. ``verdict`` — which rates reach the best accuracy, and the largest rate's last iterations.

:func:`rate_numbers` reads every number from the sweep and :func:`captions` narrates them; both are
free of Manim state so ``tests/test_scene_learning_rates.py`` can check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circumscribe, Line, MathTex, Text, VGroup, config

from nncore.sweep import SweepEntry
from scenes.common.clock import IterationClock
from scenes.common.comparison import RUN_COLORS, comparison_schedule, load_runs
from scenes.common.curves import CostCurves, cost_axis_top, nice_ceiling
from scenes.common.field import data_extent
from scenes.common.format import cost_text, dataset_name, percent_text, spoken_list
from scenes.common.narration import Narrated
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.panels import RunCard, arrange_cards
from scenes.common.raster import RasterScene, fade_to_black, reveal

SWEEP = "learning_rates"
CURVE_SECONDS = 24.0
"""Screen time of the clock running through every run, iteration 0 to T."""

SETTLE_WINDOW = 0.1
"""A run has settled if, over the last tenth of its iterations, its cost varies by less than
:data:`SETTLE_SPREAD` of its final value."""
SETTLE_SPREAD = 0.05

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

    @property
    def diverged(self) -> bool:
        """Training stopped because the cost was no longer finite."""
        return self.diverged_at is not None

    @property
    def drop(self) -> float:
        """How much the cost fell from iteration 0 to the end."""
        return self.cost0 - self.costT


@dataclass(frozen=True)
class RateNumbers:
    """Every number the segment says or shows in text.

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
    """

    runs: tuple[RateRun, ...]
    n_h: int
    m: int
    dataset: str
    T: int
    y_max: float
    clipped: tuple[int, ...]

    @property
    def finished(self) -> list[RateRun]:
        """The runs that did not diverge."""
        return [r for r in self.runs if not r.diverged]


def rate_label(value: float) -> str:
    """A learning rate as written on screen and in captions (``0.01``, ``5.2``, ``50``)."""
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
    label = rate_label(float(entry.value))
    h = entry.history
    if h is None:
        nan = float("nan")
        T = int(entry.config.iterations)
        return RateRun(
            label, float(entry.value), entry.diverged_at, T, nan, nan, nan, 0, nan, 0, nan, nan, nan, False, nan, nan
        )
    cost = np.asarray(h.cost, dtype=float)
    acc = np.asarray(h.accuracy, dtype=float)
    T = h.iterations
    peak_at = int(np.argmax(cost))
    after = cost[peak_at + 1 :] if peak_at < T else cost[T:]
    window = cost[T - max(int(round(SETTLE_WINDOW * T)), 1) :]
    tail = acc[max(T - LAST_ITERATIONS, 0) :]
    return RateRun(
        label=label,
        rate=float(entry.value),
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
    )


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
    )


def captions(n: RateNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Claims are made only when the numbers show them: "settles", "never settles", "zig-zags",
    "barely" and "best" are computed, and a diverged run is said to have diverged, where.
    """
    runs, done = n.runs, n.finished
    labels = [r.label for r in runs]
    diverged = [r for r in runs if r.diverged]
    diverged_text = " ".join(
        f"At {r.label} training diverged at iteration {r.diverged_at}: the cost stopped being finite, "
        "so that run has no curve and no boundary."
        for r in diverged
    )
    out: dict[str, str] = {}
    out["runs"] = (
        f"The same network, {n.n_h} hidden units on the {dataset_name(n.dataset)} data, from the same starting "
        f"weights, trained for {n.T} iterations at {len(runs)} learning rates: {spoken_list(labels)}. "
        "Only the size of each gradient-descent step differs."
    )
    ends = "; ".join(f"{r.label} ends at {cost_text(r.costT)}" for r in done)
    clip = ""
    if n.clipped:
        names = spoken_list([runs[j].label for j in n.clipped])
        peaks = spoken_list([cost_text(runs[j].peak) for j in n.clipped])
        clip = (
            f" The curve of {names} leaves the axes (its cost reaches {peaks}); "
            f"above {n.y_max:g} it is drawn at the top."
        )
    starts = {cost_text(r.cost0) for r in done}
    start = f" Every run starts at cost {starts.pop()}." if len(starts) == 1 else ""
    out["curves"] = (
        f"Their costs on one clock, with the iteration on a log scale.{start} After {n.T} iterations: {ends}.{clip}"
    )
    if done:
        small = min(done, key=lambda r: r.rate)
        best = min(done, key=lambda r: r.costT)
        share = small.drop / best.drop if best.drop > 0 else float("nan")
        if small is best or not np.isfinite(share):
            out["small"] = (
                f"The smallest rate, {small.label}, takes the cost from {cost_text(small.cost0)} to "
                f"{cost_text(small.costT)} in {small.T} iterations: accuracy {percent_text(small.accT)}."
            )
        else:
            barely = "barely moves" if share < 0.25 else "moves slowly"
            out["small"] = (
                f"The smallest rate, {small.label}, {barely}: in {small.T} iterations its cost falls only from "
                f"{cost_text(small.cost0)} to {cost_text(small.costT)}, {100 * share:.0f}% of the fall at "
                f"{best.label}, and it classifies {percent_text(small.accT)} of the points correctly."
            )
    else:
        out["small"] = "No learning rate of this sweep finished training."
    counts = "; ".join(f"{r.label}: {r.rises}" for r in done)
    zig = [r for r in done if r.settles and r.rises >= 0.25 * r.T]
    zig_text = " ".join(
        f"At {r.label} the cost rises after {100 * r.rises / max(r.T, 1):.0f}% of the steps, a zig-zag, "
        f"yet it settles at {cost_text(r.costT)}."
        for r in zig
    )
    out["zigzag"] = (
        f"Each step should lower the cost. Counting the updates, of {n.T}, after which it rose instead: {counts}."
        + (f" {zig_text}" if zig_text else "")
    )
    wild = [r for r in done if not r.settles and r.peak > r.cost0]
    wild_parts = []
    for r in wild:
        wild_parts.append(
            f"At {r.label} the steps are far too large: within {r.peak_at} updates the cost jumps from "
            f"{cost_text(r.cost0)} to {cost_text(r.peak)}, then keeps jumping between {cost_text(r.late_lo)} and "
            f"{cost_text(r.late_hi)}, above its starting value {100 * r.above_start:.2f}% of the time. "
            f"It never settles: after {r.T} iterations it is at {cost_text(r.costT)}."
        )
    if not wild_parts and not diverged:
        wild_parts.append(
            f"Even the largest rate, {max(done, key=lambda r: r.rate).label}, settles in these {n.T} iterations."
            if done
            else ""
        )
    out["wild"] = " ".join([*wild_parts, diverged_text]).strip()
    finals = "; ".join(
        f"{r.label}: diverged at iteration {r.diverged_at}"
        if r.diverged
        else f"{r.label}: {percent_text(r.accT)}, cost {cost_text(r.costT)}"
        for r in runs
    )
    out["boundaries"] = f"The boundaries they reach after {n.T} iterations, with accuracy and cost. {finals}."
    if done:
        top = max(r.accT for r in done)
        winners = [r.label for r in done if r.accT == top]
        worst = min(done, key=lambda r: r.accT)
        verdict = f"The best accuracy, {percent_text(top)}, is reached at {spoken_list(winners)}"
        if worst.accT < top:
            verdict += f"; {worst.label} only reaches {percent_text(worst.accT)}"
        verdict += "."
        for r in wild:
            if r.tail_acc_hi > r.tail_acc_lo:
                verdict += (
                    f" In its last {LAST_ITERATIONS} iterations the boundary at {r.label} keeps jumping: "
                    f"accuracy between {percent_text(r.tail_acc_lo)} and {percent_text(r.tail_acc_hi)}."
                )
        out["verdict"] = verdict
    else:
        out["verdict"] = diverged_text or "No run finished."
    return out


class LearningRates(Narrated, RasterScene):
    """The same network at several learning rates: the cost curves together, then the boundaries."""

    def construct(self) -> None:
        """Build and play every beat."""
        entries = load_runs(SWEEP)
        n = rate_numbers(entries)
        cap = captions(n)
        histories = [e.history for e in entries]
        colors = [RUN_COLORS[j % len(RUN_COLORS)] for j in range(len(entries))]

        heading = Text("Larger and smaller learning rates", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        setup = MathTex(
            rf"\text{{{n.n_h} hidden units, {dataset_name(n.dataset)} data, the same starting weights}}",
            font_size=26,
            color=MUTED,
        )
        setup.next_to(heading, DOWN, buff=0.2).align_to(heading, LEFT)

        # --- the curves ------------------------------------------------------------------------
        curves = CostCurves(histories, colors, width=8.2, height=4.6, y_max=n.y_max, font_size=22)
        curves.move_to([-6.7, -3.45, 0], aligned_edge=DOWN + LEFT)
        legend_title = MathTex(r"\text{learning rate} \quad \text{cost}", font_size=24, color=MUTED)
        rows = VGroup()
        numbers: list[HistoryNumber] = []
        for run, h, color in zip(n.runs, histories, colors, strict=True):
            swatch = Line(0.35 * LEFT, 0.35 * RIGHT, color=color, stroke_width=5)
            name = MathTex(rf"\alpha = {rate_tex(run.rate)}", font_size=26, color=TEXT)
            name.next_to(swatch, RIGHT, buff=0.15)
            row = VGroup(swatch, name)
            if h is None:
                note = MathTex(rf"\text{{diverged at iteration {run.diverged_at}}}", font_size=22, color=HIGHLIGHT)
                note.next_to(name, DOWN, buff=0.12).align_to(name, LEFT)
                row.add(note)
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.32)
        block = VGroup(legend_title, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        block.move_to([3.0, curves.axes.get_top()[1], 0], aligned_edge=UP + LEFT)
        cost_x = block.get_left()[0] + 3.6
        for row, h in zip(rows, histories, strict=True):
            if h is not None:
                number = HistoryNumber(h, "cost", 0, font_size=26, align="right", color=TEXT)
                number.set_anchor([cost_x, row[1].get_bottom()[1]])
                numbers.append(number)
        block.add(*numbers)  # one legend: the numbers sit in its cost column
        clip_note = None
        if n.clipped:
            names = ", ".join(rate_tex(n.runs[j].rate) for j in n.clipped)
            clip_note = MathTex(
                rf"\text{{clipped: cost of }}\alpha = {names}",
                rf"\text{{goes above {n.y_max:g} (up to {cost_text(max(n.runs[j].peak for j in n.clipped))})}}",
                font_size=22,
                color=HIGHLIGHT,
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            clip_note.next_to(block, DOWN, buff=0.45).align_to(block, LEFT)

        schedule = comparison_schedule(histories, int(round(CURVE_SECONDS * config.frame_rate)) + 1)
        clock = IterationClock(schedule)

        with self.beat("runs", cap["runs"]):
            extra = [clip_note] if clip_note is not None else []
            self.play(reveal(self, heading, setup, curves, block, *extra, run_time=1.5))

        with self.beat("curves", cap["curves"]):
            with clock.driving(self, curves, *numbers):
                self.play(clock.advance_to(n.T, run_time=CURVE_SECONDS))

        def mark(j: int) -> list[object]:
            return [Circumscribe(rows[j], color=HIGHLIGHT, buff=0.08, run_time=1.2)]

        done_idx = [j for j, r in enumerate(n.runs) if not r.diverged]
        with self.beat("small", cap["small"]):
            if done_idx:
                self.play(*mark(min(done_idx, key=lambda j: n.runs[j].rate)))

        with self.beat("zigzag", cap["zigzag"]):
            zig = [j for j in done_idx if n.runs[j].settles and n.runs[j].rises >= 0.25 * n.runs[j].T]
            for j in zig:
                self.play(*mark(j))

        wild_idx = [j for j in done_idx if not n.runs[j].settles and n.runs[j].peak > n.runs[j].cost0]
        with self.beat("wild", cap["wild"]):
            for j in wild_idx + [j for j, r in enumerate(n.runs) if r.diverged]:
                self.play(*mark(j))
            if clip_note is not None:
                # The clipped runs in full, where the note was: how high they really go.
                inset = self._unclipped_inset(n, histories, colors)
                inset.move_to([block.get_left()[0], -3.75, 0], aligned_edge=DOWN + LEFT)
                self.remove(clip_note)
                self.play(reveal(self, inset, run_time=1.0))

        # --- the boundaries (their beat starts by fading the curves out) ------------------------
        extent = data_extent(next(h for h in histories if h is not None).X, aspect=1.0) if done_idx else None
        count = len(entries)
        size = min(3.0, (13.4 - 0.3 * (count - 1)) / count)
        cards = [
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
            for r, h, color in zip(n.runs, histories, colors, strict=True)
        ]
        row = arrange_cards(cards, 13.4, 1.6)
        subtitle = MathTex(rf"\text{{after {n.T} iterations}}", font_size=26, color=MUTED)
        subtitle.next_to(heading, DOWN, buff=0.2).align_to(heading, LEFT)
        with self.beat("boundaries", cap["boundaries"]):
            fade_to_black(self, run_time=0.8)
            self.play(reveal(self, heading, subtitle, row, run_time=1.5))

        with self.beat("verdict", cap["verdict"]):
            top = max((n.runs[j].accT for j in done_idx), default=None)
            best = [j for j in done_idx if n.runs[j].accT == top]
            if best:
                self.play(*[Circumscribe(cards[j].body, color=HIGHLIGHT, buff=0.05, run_time=1.5) for j in best])
            for j in wild_idx:
                h = histories[j]
                T = n.runs[j].T
                first = max(T - LAST_ITERATIONS, 0)
                name = MathTex(r"\text{iteration}", font_size=24, color=HIGHLIGHT)
                name.next_to(cards[j], DOWN, buff=0.3).align_to(cards[j], LEFT)
                counter = HistoryNumber(h, "iteration", first, font_size=24, align="right", color=HIGHLIGHT)
                counter.set_anchor([cards[j].get_right()[0], name.get_bottom()[1]])
                self.play(reveal(self, name, counter, run_time=0.5))
                replay = IterationClock(np.arange(first, T + 1))
                with replay.driving(self, *cards[j].views(), counter):
                    self.play(replay.advance_to(T, run_time=0.25 * LAST_ITERATIONS))

        fade_to_black(self, run_time=0.8)

    @staticmethod
    def _unclipped_inset(n: RateNumbers, histories: list, colors: list) -> VGroup:
        """Small axes with the clipped runs' whole cost, from 0 to above their peak."""
        shown = [h if j in n.clipped else None for j, h in enumerate(histories)]
        top = nice_ceiling(max(n.runs[j].peak for j in n.clipped))
        inset = CostCurves(shown, colors, width=3.0, height=1.55, y_max=top, iteration=n.T, font_size=20)
        inset.remove(inset.x_label)
        names = ", ".join(rate_tex(n.runs[j].rate) for j in n.clipped)
        title = MathTex(rf"\text{{unclipped: }}\alpha = {names}", font_size=22, color=HIGHLIGHT)
        title.next_to(inset.y_label, RIGHT, buff=0.3).align_to(inset.y_label, DOWN)
        inset.add(title)
        return inset


__all__ = ["LearningRates", "RateNumbers", "RateRun", "captions", "rate_label", "rate_numbers", "rate_run", "rate_tex"]
