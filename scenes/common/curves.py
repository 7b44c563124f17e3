"""Cost curves that grow with the clock: one run's or several runs' cost against the iteration.

``python -c "from scenes.common.curves import CostCurves"``; the decision-boundary segment draws
one run (:meth:`CostCurves.single`), the learning-rate segment several on one pair of axes.

The iteration axis is ``log10(1 + i)``, so each decade gets the same width, matching the clock's
roughly logarithmic pace. Every curve's points are computed once; following the clock only
slices them (``set_points_as_corners``).

A mini-batch run's clock counts epochs: :meth:`CostCurves.single` with ``detail=True`` then also
draws the cost of every update (each on its own mini-batch, ``batch_cost``), thin under the
whole training set's cost of each epoch, with the epochs marked on the axis; and a run with a
test set gets its test cost as a second curve.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Axes, Dot, Line, ManimColor, MathTex, Mobject, VGroup, VMobject

from nncore import History
from scenes.common.axis import axis_top, nice_ceiling
from scenes.common.field import clamp_iteration
from scenes.common.palette import HIGHLIGHT, MUTED, TEXT
from scenes.common.tex import prefetch

TEST_COLOR = TEXT
"""The test cost's curve (the training cost's is the highlight)."""

BATCH_OPACITY = 0.45
"""The per-update cost is drawn this faint under the epochs' cost: it is noisy, each on its own mini-batch."""


SERIES_LABELS: dict[str, str] = {
    "cost": r"\text{cost}",
    "accuracy": r"\text{training accuracy (\%)}",
    "test_accuracy": r"\text{test accuracy (\%)}",
}
"""What :class:`CostCurves` can draw, and its axis's label (TeX)."""


def cost_axis_top(histories: Sequence[History | None], headroom: float = 1.4) -> float:
    """The top of a shared cost axis: :func:`scenes.common.axis.axis_top` of the runs' starting costs.

    A run whose cost climbs above it is clipped (and named in :attr:`CostCurves.clipped`): one wild
    run would otherwise squash every other curve into a line at the bottom.
    """
    return axis_top([float(h.cost[0]) for h in histories if h is not None], headroom)


def finite_peak(costs: Iterable[np.ndarray]) -> float | None:
    """The highest finite value of the arrays ``costs``; ``None`` when none of them has one.

    A run's cost is infinite when its output saturates on a wrong label: an axis is sized by the
    finite costs, and :func:`on_axis` draws the infinite ones at its top.
    """
    peaks = []
    for cost in costs:
        values = np.asarray(cost, dtype=float)
        finite = values[np.isfinite(values)]
        if finite.size:
            peaks.append(float(finite.max()))
    return max(peaks, default=None)


def on_axis(cost: np.ndarray | float, top: float) -> np.ndarray:
    """Costs where a curve draws them: an infinite (or NaN) cost at the axis' ``top``, the others as they are."""
    return np.nan_to_num(np.asarray(cost, dtype=float), nan=top, posinf=top)


LARGEST_PLAIN_AXIS = 1e4
"""A cost axis reaching this high counts in a power of ten (:func:`axis_power`)."""


def axis_power(top: float) -> int:
    """The power of ten a cost axis up to ``top`` counts in: 0, or ``k`` for an axis read "cost (x 10^k)".

    A wild run's finite cost can be astronomical (1.7 x 10^153: weights grown by a huge rate, under
    L2), and manim's axes lose their length in floating point from about 10^12 (at 10^17 the axis
    is a point); ``5e+152`` is no tick label either. Such an axis is drawn from 0 to ``top / 10^k``.
    """
    if not math.isfinite(top) or top < LARGEST_PLAIN_AXIS:
        return 0
    return math.floor(math.log10(top))


def cost_label_tex(power: int) -> str:
    r"""TeX of a cost axis's label: ``cost``, or ``cost (\times 10^{k})`` on an axis counting in ``10^k``."""
    return r"\text{cost}" if power == 0 else rf"\text{{cost }}(\times 10^{{{power}}})"


def run_axis(history: History) -> tuple[float, float]:
    """``(top, step)`` of a cost axis for one run: about three round steps up to its highest cost (or test cost)."""
    costs = [history.cost, *([history.more["test_cost"]] if "test_cost" in history.more else [])]
    peak = finite_peak(costs)
    top = peak if peak is not None else 1.0
    step = nice_ceiling(top / 3)
    return step * math.ceil(top / step * 1.0001), step


def _decade_ticks(T: int) -> list[int]:
    ticks = [0] + [10**k for k in range(1, 8) if 10**k <= T]
    if T > ticks[-1]:
        ticks.append(T)  # the end of the run, if its label has room
    return ticks


def _iteration_tick_tex(v: int) -> str:
    """An iteration axis tick's label: ``10^{4}`` for a power of ten from 1000 up, else the number."""
    power = v >= 1000 and 10 ** round(math.log10(v)) == v
    return rf"10^{{{round(math.log10(v))}}}" if power else str(v)


class CostCurves(VGroup):
    """Runs' costs against the iteration (log axis), each drawn up to the iteration the clock shows.

    Parameters
    ----------
    histories : sequence of History or None
        One per run (``None``: a run with no history, e.g. diverged; it gets no curve).
    colors : sequence of ManimColor
        One per run.
    width, height : float
        Size of the axes in scene units.
    y_max : float, optional
        Top of the cost axis (default :func:`cost_axis_top`); costs above it are drawn at it.
    y_step : float, optional
        Between the cost axis's ticks (default a round quarter of ``y_max``).
    iteration : int
        Drawn up to here at first.
    font_size : float
    max_points : int
        Each curve uses every iteration up to this many, else this many log-spaced ones (plus
        the exact tip).
    y_label_buff : float
        Gap between the top of the cost axis and its label.
    series : {"cost", "accuracy", "test_accuracy"}
        What the curves draw: the cost (the default), or the training or test accuracy in percent
        (``y_max`` 100; the axis is labelled by :data:`SERIES_LABELS`).
    y_min : float
        Bottom of the axis, where the iteration axis lies (0; an accuracy's axis may start higher,
        with values below it drawn on it).

    Attributes
    ----------
    clipped : list of int
        Indices of the runs whose cost exceeds ``y_max`` somewhere.
    curves : list of VMobject or None
    tips : list of Dot or None
    """

    def __init__(
        self,
        histories: Sequence[History | None],
        colors: Sequence[ManimColor],
        width: float = 9.0,
        height: float = 3.6,
        *,
        y_max: float | None = None,
        y_step: float | None = None,
        iteration: int = 0,
        font_size: float = 22,
        max_points: int = 1200,
        y_label_buff: float = 0.2,
        series: str = "cost",
        y_min: float = 0.0,
    ) -> None:
        super().__init__()
        if series not in SERIES_LABELS:
            raise ValueError(f"series must be one of {', '.join(SERIES_LABELS)}, got {series!r}")
        self.series_kind = series
        self.histories = list(histories)
        self.y_max = float(y_max if y_max is not None else cost_axis_top(self.histories))
        self.y_min = float(y_min)
        step = y_step if y_step is not None else nice_ceiling(self.y_max / 4)
        self.power = axis_power(self.y_max)  # the axis counts in 10^power (a wild run's astronomical cost)
        self.unit = 10.0**self.power  # the cost that 1 on the axis stands for
        T = max((h.iterations for h in self.histories if h is not None), default=1)
        self.T = T
        self.x_max = math.log10(1 + T) if T > 0 else 1.0
        self.axes = Axes(
            x_range=[0, self.x_max, self.x_max],
            y_range=[self.y_min / self.unit, self.y_max / self.unit, step / self.unit],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"include_ticks": False, "stroke_width": 2, "color": MUTED},
        )
        self.ticks, self.tick_labels = self._ticks(step, font_size)
        # A mini-batch run's snapshots are epochs (one each), a full-batch run's iterations.
        mini = any(h is not None and h.config.batch_size is not None for h in self.histories)
        unit = "epoch" if mini else "iteration"
        self.x_label = MathTex(rf"\text{{{unit} (log scale)}}", font_size=font_size, color=MUTED)
        self.x_label.next_to(self.axes.x_axis, DOWN, buff=0.45).align_to(self.axes.x_axis, RIGHT)
        label = cost_label_tex(self.power) if series == "cost" else SERIES_LABELS[series]
        self.y_label = MathTex(label, font_size=font_size, color=MUTED)
        self.y_label.next_to(self.axes.y_axis, UP, buff=y_label_buff)
        self.add(self.axes, self.ticks, self.tick_labels, self.x_label, self.y_label)
        self.clipped: list[int] = []
        self.curves: list[VMobject | None] = []
        self.tips: list[Dot | None] = []
        self._its: list[np.ndarray] = []
        self._xy: list[np.ndarray] = []
        for j, (h, color) in enumerate(zip(self.histories, colors, strict=False)):
            self._add_run(j, h, color, max_points)
        self.series: list[_Series] = []
        self.iteration: int | None = None
        self.set_iteration(iteration)

    @classmethod
    def single(
        cls,
        history: History,
        width: float = 5.5,
        height: float = 2.6,
        *,
        iteration: int = 0,
        font_size: float = 22,
        color: ManimColor = HIGHLIGHT,
        max_points: int = 1500,
        detail: bool = False,
    ) -> CostCurves:
        """One run's cost, on an axis that reaches its highest cost (:func:`run_axis`).

        ``detail``: a mini-batch run's per-update cost and epoch marks, a test set's cost and the
        key of the two curves, when the run has them (a full-batch run without a test set looks the
        same either way).
        """
        top, step = run_axis(history)
        made = cls(
            [history],
            [color],
            width,
            height,
            y_max=top,
            y_step=step,
            iteration=iteration,
            font_size=font_size,
            max_points=max_points,
            y_label_buff=0.3,
        )
        if detail:
            made._add_detail(history, color, font_size, max_points)
        return made

    def _add_detail(self, h: History, color: ManimColor, font_size: float, max_points: int) -> None:
        """Add the per-update cost and epoch marks (mini-batches) and the test cost (a test set) of run ``h``."""
        more = h.more
        E = h.iterations
        if h.config.batch_size is not None:
            B = h.batches_per_epoch
            batch = np.asarray(more["batch_cost"], dtype=float)  # (U,)
            U = batch.size
            if U <= max_points:
                us = np.arange(U)
            else:
                us = np.unique(np.round(np.expm1(np.linspace(0, math.log1p(U - 1), max_points))).astype(np.int64))
            self._add_series(us / B, batch[us], color, width=1.5, opacity=BATCH_OPACITY, tip=False)
            self.epoch_marks = self._epoch_marks(E)
            self.add_to_back(self.epoch_marks)
        if "test_cost" in more:
            test = np.asarray(more["test_cost"], dtype=float)
            its = self._its[0]
            self._add_series(its.astype(float), test[its], TEST_COLOR, width=2.5, opacity=1.0, tip=True)
        if self.series:
            # The epochs' training cost on top, where the test cost or the noisy updates' would hide it.
            self.remove(self.curve, self.tip)
            self.add(self.curve, self.tip)
            self.key = self._key(color, font_size, h.config.batch_size is not None, "test_cost" in more)
            self.add(self.key)
        self.iteration = None
        self.set_iteration(0)

    def _add_series(
        self, at: np.ndarray, values: np.ndarray, color: ManimColor, *, width: float, opacity: float, tip: bool
    ) -> None:
        """A curve of ``values`` at clock positions ``at`` (epochs, fractional between snapshots)."""
        v = np.clip(on_axis(values, self.y_max), self.y_min, self.y_max)
        xy = np.column_stack([np.log10(1 + at), v])
        curve = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        dot = Dot(radius=0.05, color=color) if tip else None
        self.series.append(_Series(at, xy, curve, dot))
        self.add(curve, *([dot] if dot is not None else []))

    def _epoch_marks(self, E: int) -> VGroup:
        """Short ticks above the axis at the epochs, where they are 0.1 apart or more (a log axis crowds them)."""
        marks = VGroup()
        last = -1.0
        for e in range(1, E + 1):
            p = self.axes.c2p(math.log10(1 + e), self.y_min / self.unit)
            if p[0] - last < 0.1:
                continue
            marks.add(Line(p, p + 0.07 * UP, color=MUTED, stroke_width=1.5))
            last = p[0]
        return marks

    def _key(self, color: ManimColor, font_size: float, updates: bool, test: bool) -> VGroup:
        """The key of the curves the run has ("training", "test", "per update"), beside the cost axis's label."""
        parts = []
        entries = [("training", color, 1.0)]
        entries += [("test", TEST_COLOR, 1.0)] if test else []
        entries += [("per update", color, BATCH_OPACITY)] if updates else []
        for name, c, opacity in entries:
            line = Line(0.3 * LEFT, ORIGIN, color=c, stroke_width=3, stroke_opacity=opacity)
            label = MathTex(rf"\text{{{name}}}", font_size=font_size, color=MUTED).next_to(line, RIGHT, buff=0.1)
            parts.append(VGroup(line, label))
        key = VGroup(*parts).arrange(RIGHT, buff=0.3)
        key.next_to(self.y_label, RIGHT, buff=0.4).align_to(self.y_label, DOWN)
        return key

    def _ticks(self, step: float, font_size: float) -> tuple[VGroup, VGroup]:
        """Tick marks and labels: decades (and the run's end) on the iteration axis, round costs up the side."""
        ticks, labels = VGroup(), VGroup()
        decades = [(v, _iteration_tick_tex(v)) for v in _decade_ticks(self.T)]
        values = []
        k = max(1, math.ceil(self.y_min / step - 1e-9))  # an axis from y_min > 0 labels its bottom
        while k * step <= self.y_max * (1 + 1e-9):
            values.append(float(f"{k * step / self.unit:.6g}"))  # on an axis counting in 10^power
            k += 1
        prefetch([tex for _, tex in decades] + [f"{value:g}" for value in values])  # one LaTeX run for all
        for v, tex in decades:
            p = self.axes.c2p(math.log10(1 + v), self.y_min / self.unit)
            label = MathTex(tex, font_size=font_size, color=MUTED).next_to(p, DOWN, buff=0.12)
            if len(labels) and label.get_left()[0] < labels[-1].get_right()[0] + 0.2:
                continue
            ticks.add(Line(p + 0.06 * UP, p + 0.06 * DOWN, color=MUTED, stroke_width=2))
            labels.add(label)
        for value in values:
            p = self.axes.c2p(0, value)
            ticks.add(Line(p + 0.06 * LEFT, p + 0.06 * RIGHT, color=MUTED, stroke_width=2))
            labels.add(MathTex(f"{value:g}", font_size=font_size, color=MUTED).next_to(p, LEFT, buff=0.12))
        return ticks, labels

    def _add_run(self, j: int, h: History | None, color: ManimColor, max_points: int) -> None:
        """Precompute run ``j``'s curve points (axis coordinates) and add its curve and tip."""
        if h is None:
            self.curves.append(None)
            self.tips.append(None)
            self._its.append(np.zeros(0, dtype=np.int64))
            self._xy.append(np.zeros((0, 2)))
            return
        cost = on_axis(self.values(h), self.y_max)
        if float(cost.max()) > self.y_max:
            self.clipped.append(j)
        Th = h.iterations
        if Th + 1 <= max_points:
            its = np.arange(Th + 1)
        else:
            its = np.unique(np.round(np.expm1(np.linspace(0, math.log1p(Th), max_points))).astype(np.int64))
        self._its.append(its)
        self._xy.append(np.column_stack([np.log10(1 + its.astype(float)), np.clip(cost[its], self.y_min, self.y_max)]))
        curve = VMobject(stroke_color=color, stroke_width=3)
        tip = Dot(radius=0.05, color=color)
        self.curves.append(curve)
        self.tips.append(tip)
        self.add(curve, tip)

    def values(self, h: History) -> np.ndarray:
        """What the curves draw of run ``h``, one value per snapshot: its cost, or an accuracy in percent."""
        if self.series_kind == "cost":
            return np.asarray(h.cost, dtype=float)
        values = h.accuracy if self.series_kind == "accuracy" else h.more[self.series_kind]
        return 100.0 * np.asarray(values, dtype=float)

    @property
    def curve(self) -> VMobject:
        """The first run's curve (the only one of :meth:`single`)."""
        curve = self.curves[0]
        if curve is None:
            raise ValueError("the first run has no history, so no curve")
        return curve

    @property
    def tip(self) -> Dot:
        """The first run's tip (the only one of :meth:`single`)."""
        tip = self.tips[0]
        if tip is None:
            raise ValueError("the first run has no history, so no tip")
        return tip

    def _points(self, xy: np.ndarray) -> np.ndarray:
        # From the axes' current placement: the curves may have been moved since they were built.
        origin = self.axes.c2p(0, 0)
        ux = self.axes.c2p(1, 0) - origin
        uy = (self.axes.c2p(0, 1) - origin) / self.unit  # costs, on an axis counting in 10^power
        return origin + xy[:, :1] * ux + xy[:, 1:2] * uy  # (k, 3)

    def point_of(self, run: int, iteration: int) -> np.ndarray:
        """The scene point of run ``run``'s cost at ``iteration`` (clipped to the axes)."""
        h = self.histories[run]
        if h is None:
            raise ValueError(f"run {run} has no history")
        i = clamp_iteration(h, iteration)
        c = float(on_axis(self.values(h)[i], self.y_max))
        return self._points(np.array([[math.log10(1 + i), min(max(c, self.y_min), self.y_max)]]))[0]

    def moving_parts(self) -> list[Mobject]:
        """The curves and their tips (the axes stay)."""
        parts: list[Mobject] = [m for pair in zip(self.curves, self.tips, strict=True) for m in pair if m is not None]
        # The extra curves first: a clock draws the moving parts in this order, the runs' own cost on top.
        extra: list[Mobject] = [m for s in self.series for m in (s.curve, s.tip) if m is not None]
        return extra + parts

    def set_iteration(self, iteration: int) -> CostCurves:
        """Draw every curve from iteration 0 up to ``iteration`` (each at most its run's last)."""
        if iteration == self.iteration:
            return self
        for j, h in enumerate(self.histories):
            curve, tip = self.curves[j], self.tips[j]
            if h is None or curve is None or tip is None:
                continue
            i = clamp_iteration(h, iteration)
            k = int(np.searchsorted(self._its[j], i, side="left"))
            end = self.point_of(j, i)
            pts = np.vstack([self._points(self._xy[j][:k]), end[None]])
            curve.set_points_as_corners(pts if len(pts) >= 2 else np.vstack([end, end]))
            tip.move_to(end)
        if self.series:
            h0 = self.histories[0]
            i = clamp_iteration(h0, iteration) if h0 is not None else int(iteration)
            for s in self.series:
                s.show(self._points(s.xy[: int(np.searchsorted(s.at, i, side="right"))]))
        self.iteration = int(iteration)
        return self


class _Series(NamedTuple):
    """One more curve of a run: values at clock positions ``at`` (ascending), drawn up to the clock."""

    at: np.ndarray  # (k,) epochs
    xy: np.ndarray  # (k, 2) axis coordinates
    curve: VMobject
    tip: Dot | None

    def show(self, pts: np.ndarray) -> None:
        """Draw the curve through ``pts`` (scene points), its tip at the last."""
        if len(pts) == 0:
            self.curve.clear_points()
            if self.tip is not None:
                self.tip.set_opacity(0)
            return
        self.curve.set_points_as_corners(pts if len(pts) >= 2 else np.vstack([pts, pts]))
        if self.tip is not None:
            self.tip.set_opacity(1).move_to(pts[-1])


__all__ = ["CostCurves", "cost_axis_top", "finite_peak", "nice_ceiling", "on_axis", "run_axis"]
