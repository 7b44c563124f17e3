"""``manim render scenes/learning_rates.py`` and ``scenes/datasets.py`` use it: several runs of a sweep compared.

The comparison segments show one sweep (:func:`nncore.sweep.load_sweep`): several runs of the
same network that differ in one setting. The pieces they share:

- :func:`load_runs` — a sweep's entries for a scene: one line and exit code 2 on bad input.
- :class:`CostCurves` — every run's cost on one pair of axes (log iteration axis), drawn up to the
  iteration the clock shows, clipped at a top value that keeps the well-behaved runs readable;
  :attr:`CostCurves.clipped` says which runs leave the axes, so a scene can say so on screen.
- :class:`RunCard` — one run's boundary panel with its name above and its accuracy and cost below
  (numbers that follow the clock), or, for a run whose training diverged, a framed box saying
  at which iteration.
- :func:`comparison_schedule` — the iterations a clock shows for runs of different lengths.

Every number shown is read from the histories.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Dot,
    Group,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Rectangle,
    VGroup,
    VMobject,
)

from nncore import History, NNCoreError
from nncore.sweep import SweepEntry, load_sweep
from scenes.common.boundary import BoundaryPanel, Extent, HistoryNumber, sample_iterations
from scenes.common.palette import MUTED, TEXT

RUN_COLORS: tuple[ManimColor, ...] = (
    ManimColor("#9A9A9A"),
    ManimColor("#58C4DD"),
    ManimColor("#9BE564"),
    ManimColor("#FFBF69"),
    ManimColor("#F15BB5"),
    ManimColor("#B388EB"),
    ManimColor("#FFD166"),
)
"""One colour per run, in the sweep's order (curves and their legend)."""


def load_runs(name: str) -> list[SweepEntry]:
    """The entries of sweep ``name`` (``$NN_SWEEPS``, ``$NN_SWEEP_DIR``), trained first if missing.

    On bad input (a malformed sweeps file, an unknown sweep, an unreadable history) this prints
    one line to stderr and exits with code 2, as :func:`scenes.common.load_history` does.
    """
    try:
        return load_sweep(name)
    except NNCoreError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def comparison_schedule(histories: Sequence[History | None], frames: int) -> np.ndarray:
    """Iterations a shared clock shows: log spaced up to the longest run, at most ``frames`` of them.

    Log spacing gives each decade the same screen time, so curves on a log iteration axis grow at
    an even pace; no single run's cost decides the pace.
    """
    T = max((h.iterations for h in histories if h is not None), default=0)
    return sample_iterations(T, max(int(frames), 2))


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= value * (1 - 1e-9):
            return m * mag
    return 10 * mag


def cost_axis_top(histories: Sequence[History | None], headroom: float = 1.4) -> float:
    """The top of a shared cost axis: a round number ``headroom`` times above the highest starting cost.

    A run whose cost climbs above it is clipped (and named in :attr:`CostCurves.clipped`): one wild
    run would otherwise squash every other curve into a line at the bottom.
    """
    starts = [float(h.cost[0]) for h in histories if h is not None and np.isfinite(h.cost[0])]
    return nice_ceiling(headroom * max(starts, default=1.0))


def _decade_labels(T: int) -> list[int]:
    ticks = [0] + [10**k for k in range(1, 8) if 10**k <= T]
    if T > ticks[-1]:
        ticks.append(T)
    return ticks


class CostCurves(VGroup):
    """Several runs' costs against the iteration (log axis), each drawn up to the clock's iteration.

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
    iteration : int
        Drawn up to here at first.
    font_size : float
    max_points : int
        Points per curve at most (log spaced, plus the exact tip).

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
        iteration: int = 0,
        font_size: float = 22,
        max_points: int = 1200,
    ) -> None:
        super().__init__()
        self.histories = list(histories)
        self.y_max = float(y_max if y_max is not None else cost_axis_top(self.histories))
        T = max((h.iterations for h in self.histories if h is not None), default=1)
        self.T = T
        self.x_max = math.log10(1 + T) if T > 0 else 1.0
        step = nice_ceiling(self.y_max / 4)
        self.axes = Axes(
            x_range=[0, self.x_max, self.x_max],
            y_range=[0, self.y_max, step],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"include_ticks": False, "stroke_width": 2, "color": MUTED},
        )
        ticks, labels = VGroup(), VGroup()
        for v in _decade_labels(T):
            p = self.axes.c2p(math.log10(1 + v), 0)
            power = v >= 1000 and 10 ** round(math.log10(v)) == v
            tex = rf"10^{{{round(math.log10(v))}}}" if power else str(v)
            label = MathTex(tex, font_size=font_size, color=MUTED).next_to(p, DOWN, buff=0.12)
            if len(labels) and label.get_left()[0] < labels[-1].get_right()[0] + 0.2:
                continue
            ticks.add(Line(p + 0.06 * UP, p + 0.06 * DOWN, color=MUTED, stroke_width=2))
            labels.add(label)
        k = 1
        while k * step <= self.y_max * (1 + 1e-9):
            p = self.axes.c2p(0, k * step)
            ticks.add(Line(p + 0.06 * LEFT, p + 0.06 * RIGHT, color=MUTED, stroke_width=2))
            labels.add(MathTex(f"{k * step:g}", font_size=font_size, color=MUTED).next_to(p, LEFT, buff=0.12))
            k += 1
        self.x_label = MathTex(r"\text{iteration (log scale)}", font_size=font_size, color=MUTED)
        self.x_label.next_to(self.axes.x_axis, DOWN, buff=0.45).align_to(self.axes.x_axis, RIGHT)
        self.y_label = MathTex(r"\text{cost}", font_size=font_size, color=MUTED)
        self.y_label.next_to(self.axes.y_axis, UP, buff=0.2)
        self.add(self.axes, ticks, labels, self.x_label, self.y_label)
        self.clipped: list[int] = []
        self.curves: list[VMobject | None] = []
        self.tips: list[Dot | None] = []
        self._its: list[np.ndarray] = []
        self._xy: list[np.ndarray] = []
        for j, (h, color) in enumerate(zip(self.histories, colors, strict=False)):
            if h is None:
                self.curves.append(None)
                self.tips.append(None)
                self._its.append(np.zeros(0, dtype=np.int64))
                self._xy.append(np.zeros((0, 2)))
                continue
            cost = np.nan_to_num(np.asarray(h.cost, dtype=float), nan=self.y_max, posinf=self.y_max)
            if float(cost.max()) > self.y_max:
                self.clipped.append(j)
            Th = h.iterations
            if Th + 1 <= max_points:
                its = np.arange(Th + 1)
            else:
                its = np.unique(np.round(np.expm1(np.linspace(0, math.log1p(Th), max_points))).astype(np.int64))
            self._its.append(its)
            self._xy.append(np.column_stack([np.log10(1 + its.astype(float)), np.clip(cost[its], 0, self.y_max)]))
            curve = VMobject(stroke_color=color, stroke_width=3)
            tip = Dot(radius=0.05, color=color)
            self.curves.append(curve)
            self.tips.append(tip)
            self.add(curve, tip)
        self.iteration: int | None = None
        self.set_iteration(iteration)

    def _points(self, xy: np.ndarray) -> np.ndarray:
        origin = self.axes.c2p(0, 0)
        ux = self.axes.c2p(1, 0) - origin
        uy = self.axes.c2p(0, 1) - origin
        return origin + xy[:, :1] * ux + xy[:, 1:2] * uy  # (k, 3)

    def point_of(self, run: int, iteration: int) -> np.ndarray:
        """The scene point of run ``run``'s cost at ``iteration`` (clipped to the axes)."""
        h = self.histories[run]
        if h is None:
            raise ValueError(f"run {run} has no history")
        i = min(max(int(iteration), 0), h.iterations)
        c = float(np.nan_to_num(h.cost[i], nan=self.y_max, posinf=self.y_max))
        return self._points(np.array([[math.log10(1 + i), min(max(c, 0.0), self.y_max)]]))[0]

    def moving_parts(self) -> list[Mobject]:
        """The curves and their tips (the axes stay)."""
        return [m for pair in zip(self.curves, self.tips, strict=True) for m in pair if m is not None]

    def set_iteration(self, iteration: int) -> CostCurves:
        """Draw every curve from iteration 0 up to ``iteration`` (each at most its run's last)."""
        if iteration == self.iteration:
            return self
        for j, h in enumerate(self.histories):
            curve, tip = self.curves[j], self.tips[j]
            if h is None or curve is None or tip is None:
                continue
            i = min(max(int(iteration), 0), h.iterations)
            k = int(np.searchsorted(self._its[j], i, side="left"))
            end = self.point_of(j, i)
            pts = np.vstack([self._points(self._xy[j][:k]), end[None]])
            curve.set_points_as_corners(pts if len(pts) >= 2 else np.vstack([end, end]))
            tip.move_to(end)
        self.iteration = int(iteration)
        return self


class RunCard(Group):
    r"""One run of a comparison: a title, its boundary panel, and its accuracy and cost below.

    Parameters
    ----------
    title : str
        TeX (text mode inside ``\text{}`` is up to the caller), shown above the panel.
    history : History or None
        The run; ``None`` for a diverged run (then ``diverged_at`` is shown instead of a panel).
    size : float
        Panel height in scene units (its width follows ``extent``'s aspect).
    extent : Extent, optional
        Input-space rectangle of the panel (default: the run's data, square).
    iteration : int
        Shown at first.
    diverged_at : int, optional
    font_size : float
    point_radius : float
    title_color : ManimColor

    Attributes
    ----------
    panel : BoundaryPanel or None
    accuracy, cost : HistoryNumber or None
        Follow the clock with the panel.
    """

    def __init__(
        self,
        title: str,
        history: History | None,
        size: float,
        *,
        extent: Extent | None = None,
        iteration: int = 0,
        diverged_at: int | None = None,
        font_size: float = 24,
        point_radius: float = 0.03,
        title_color: ManimColor = TEXT,
    ) -> None:
        super().__init__()
        self.history = history
        self.title = MathTex(title, font_size=font_size, color=title_color)
        self.panel: BoundaryPanel | None = None
        self.accuracy: HistoryNumber | None = None
        self.cost: HistoryNumber | None = None
        if history is None:
            box = Rectangle(width=size * (extent.aspect if extent else 1.0), height=size, color=MUTED, stroke_width=2)
            words = MathTex(
                r"\text{diverged at}",
                rf"\text{{iteration {diverged_at if diverged_at is not None else '?'}}}",
                font_size=font_size,
                color=TEXT,
            )
            words.arrange(DOWN, buff=0.15).move_to(box)
            self.body: Mobject = VGroup(box, words)
            self.title.next_to(self.body, UP, buff=0.12)
            self.numbers = VGroup()
            self.add(self.title, self.body)
            return
        self.panel = BoundaryPanel(history, size, extent=extent, iteration=iteration, point_radius=point_radius)
        self.body = self.panel
        self.title.next_to(self.panel, UP, buff=0.12)
        names = VGroup(
            MathTex(r"\text{accuracy}", font_size=font_size, color=MUTED),
            MathTex(r"\text{cost}", font_size=font_size, color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        names.next_to(self.panel, DOWN, buff=0.15).align_to(self.panel, LEFT)
        self.accuracy = HistoryNumber(history, "accuracy", iteration, font_size=font_size, align="right")
        self.cost = HistoryNumber(history, "cost", iteration, font_size=font_size, align="right", color=TEXT)
        right = self.panel.get_right()[0]
        for name, number in zip(names, (self.accuracy, self.cost), strict=True):
            number.set_anchor([right, name.get_bottom()[1]])
        self.numbers = VGroup(names, self.accuracy, self.cost)
        self.add(self.title, self.panel, self.numbers)

    def views(self) -> list[Mobject]:
        """What follows the clock: the panel and the two numbers (none for a diverged run)."""
        return [v for v in (self.panel, self.accuracy, self.cost) if v is not None]


def arrange_cards(cards: Sequence[RunCard], width: float, y_top: float) -> Group:
    """Put cards side by side, panels level, spread over ``width`` (gaps at most 0.9), centred, the top at ``y_top``."""
    row = Group(*cards).arrange(RIGHT, buff=0.3, aligned_edge=UP)
    if len(cards) > 1:
        spare = width - row.width
        if spare > 0:
            row.arrange(RIGHT, buff=min(0.3 + spare / (len(cards) - 1), 0.9), aligned_edge=UP)
    # Titles differ in height (ascenders, descenders): line the panels up, not the titles.
    top = max(card.body.get_top()[1] for card in cards)
    for card in cards:
        card.shift((top - card.body.get_top()[1]) * UP)
    row.move_to([0.0, y_top - row.height / 2, 0.0])
    return row


__all__ = [
    "RUN_COLORS",
    "CostCurves",
    "RunCard",
    "arrange_cards",
    "comparison_schedule",
    "cost_axis_top",
    "load_runs",
    "nice_ceiling",
]
