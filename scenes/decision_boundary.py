r"""``manim render scenes/decision_boundary.py``: training moves the decision boundary.

Segment *Training moves the decision boundary* of the lecture (``-ql`` for a quick 480p
preview; ``NN_HISTORY=path.npz`` to read another history). One iteration clock drives the
picture of the predicted probability over the input plane (the data points, the 0.5 contour,
rings round the misclassified points), the iteration / cost / accuracy readout, the cost curve and
the network diagram's weights:

1. ``picture`` — what the picture shows, at iteration 0;
2. ``before`` — the untrained network: its cost, accuracy and misclassified points;
3. ``early`` — the clock runs through the first iterations, where the boundary forms;
4. ``late`` — the remaining iterations, faster;
5. ``result`` — the final cost, accuracy and the points still misclassified;
6. ``units`` — each hidden unit's ``tanh`` field as a small heatmap;
7. ``sum`` — weighted by ``W^{[2]}``, summed with ``b^{[2]}`` and squashed by the sigmoid, unit by
   unit, into the final boundary.

Every number comes from the history (:func:`scenes.common.load_history`, ``$NN_HISTORY``);
:func:`boundary_numbers` computes them and :func:`captions` narrates them, both free of Manim
state so that ``tests/test_scene_decision_boundary.py`` can check them. The reusable pieces live
in :mod:`scenes.common.boundary`; ``benchmarks/bench_decision_boundary.py`` measures the speed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Circle,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    Succession,
    SurroundingRectangle,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    linear,
)
from scipy.special import expit

from nncore import History
from scenes.common import (
    HIGHLIGHT,
    MUTED,
    SYMBOL_COLORS,
    TEXT,
    NetworkDiagram,
    load_history,
    probability_rgb,
    tex_number,
    value_color,
)
from scenes.common.clock import IterationClock, sample_iterations
from scenes.common.colors import value_rgb
from scenes.common.curves import CostCurves
from scenes.common.field import BoundaryField, data_extent, top_units
from scenes.common.format import cost_text, percent_text
from scenes.common.narration import Narrated
from scenes.common.numbers import IterationReadout
from scenes.common.panels import BoundaryPanel, FieldPanel
from scenes.common.raster import RasterScene, fade_to_black, pixels_per_unit, reveal

TRAIN_SECONDS = 36.0
"""Screen time of the whole run, iteration 0 to T (the ``early`` and ``late`` beats together)."""

MILESTONE_DROP = 0.8
"""The ``early`` beat ends where the cost has made this fraction of its total decrease."""

MAX_UNITS = 6
"""At most this many hidden units get their own heatmap (those with the largest ``|W2|``)."""

HEADING_SIZE = 36
PANEL_HEIGHT = 6.5


@dataclass(frozen=True)
class BoundaryNumbers:
    """Every number the segment says or shows in text, read from one history.

    Attributes
    ----------
    T, m, n_h : int
        Iterations, training points, hidden units.
    learning_rate : float
    cost0, acc0 : float
        Cost and accuracy before training (iteration 0).
    wrong0 : int
        Misclassified points at iteration 0.
    w_max0 : float
        Largest ``|weight|`` (``W1`` and ``W2``) at iteration 0.
    spread0 : float
        Largest ``|A2 - 0.5|`` over the training points at iteration 0.
    milestone : int
        Where the ``early`` beat stops: the first scheduled iteration at which the cost has made
        :data:`MILESTONE_DROP` of its total decrease.
    cost_m, acc_m : float
        At the milestone.
    early_seconds, late_seconds : float
        Screen time of iterations ``0..milestone`` and ``milestone..T``.
    every_iteration : bool
        The schedule shows every iteration (a short run).
    weights_grow : bool
        The weights' norm is larger at ``T`` than at the milestone.
    sharpens : bool
        The mean ``|Z2|`` over the training points is larger at ``T`` than at the milestone
        (the output is more confident, so the colours change more abruptly at the boundary).
    costT, accT : float
        After the last update.
    wrongT : int
        Misclassified points at the end.
    W2 : ndarray, shape (n_h,)
        Final output weights.
    b2 : float
        Final output bias.
    shown_units : tuple of int
        Hidden units that get a heatmap, largest ``|W2|`` first.
    """

    T: int
    m: int
    n_h: int
    learning_rate: float
    cost0: float
    acc0: float
    wrong0: int
    w_max0: float
    spread0: float
    milestone: int
    cost_m: float
    acc_m: float
    early_seconds: float
    late_seconds: float
    every_iteration: bool
    weights_grow: bool
    sharpens: bool
    costT: float
    accT: float
    wrongT: int
    W2: np.ndarray  # (n_h,)
    b2: float
    shown_units: tuple[int, ...]

    @property
    def late_is_faster(self) -> bool:
        """The ``late`` beat passes more iterations per second than the ``early`` one."""
        early = self.milestone / max(self.early_seconds, 1e-9)
        late = (self.T - self.milestone) / max(self.late_seconds, 1e-9)
        return late > 1.5 * early


def misclassified_count(history: History, i: int) -> int:
    """Training points on the wrong side of 0.5 at iteration ``i`` (from the history's accuracy)."""
    return int(round((1.0 - float(history.accuracy[i])) * history.m))


def milestone_iteration(history: History, schedule: np.ndarray, drop: float = MILESTONE_DROP) -> int:
    """The first scheduled iteration whose cost has made ``drop`` of the run's total decrease.

    Falls back to the middle of the schedule when the cost does not decrease (a diverging run),
    and never returns 0 or ``T`` when the schedule has anything in between.
    """
    cost = np.asarray(history.cost, dtype=float)
    c = cost[schedule]
    best = np.minimum.accumulate(np.where(np.isfinite(c), c, np.inf))
    total = best[0] - best[-1]
    if np.isfinite(total) and total > 0:
        k = int(np.argmax(best <= best[0] - drop * total))
    else:
        k = len(schedule) // 2
    k = int(np.clip(k, 1, max(len(schedule) - 2, 1)))
    return int(schedule[min(k, len(schedule) - 1)])


def training_schedule(history: History, frame_rate: float | None = None) -> np.ndarray:
    """The iterations the training beats show: one per frame of :data:`TRAIN_SECONDS`, denser early."""
    fps = float(frame_rate or config.frame_rate)
    return sample_iterations(history.iterations, int(round(TRAIN_SECONDS * fps)) + 1, history.cost)


def early_seconds(schedule: np.ndarray, milestone: int) -> float:
    """Screen time up to the milestone: its share of the schedule, at least 10 s each side."""
    k_m = int(np.searchsorted(schedule, milestone, side="right") - 1)
    share = k_m / max(len(schedule) - 1, 1)
    return float(np.clip(TRAIN_SECONDS * share, 10.0, TRAIN_SECONDS - 10.0))


def _outputs(history: History, i: int) -> np.ndarray:
    """``Z2`` of iteration ``i`` at the training points, shape ``(m,)``."""
    p = history.params(i)
    return (p.W2 @ np.tanh(p.W1 @ history.X + p.b1) + p.b2)[0]


def boundary_numbers(history: History, schedule: np.ndarray | None = None) -> BoundaryNumbers:
    """Read every number of the segment from ``history`` (``schedule``: default :func:`training_schedule`)."""
    h = history
    T = h.iterations
    sched = training_schedule(h) if schedule is None else np.asarray(schedule)
    mi = milestone_iteration(h, sched)
    t_early = early_seconds(sched, mi)
    W2 = np.array(h.W2[T][0], dtype=float)

    def weight_norm(i: int) -> float:
        return float(np.sqrt((h.W1[i] ** 2).sum() + (h.W2[i] ** 2).sum()))

    z0 = _outputs(h, 0)
    return BoundaryNumbers(
        T=T,
        m=h.m,
        n_h=h.hidden_units,
        learning_rate=float(h.config.learning_rate),
        cost0=float(h.cost[0]),
        acc0=float(h.accuracy[0]),
        wrong0=misclassified_count(h, 0),
        w_max0=float(max(np.abs(h.W1[0]).max(), np.abs(h.W2[0]).max())),
        spread0=float(np.abs(expit(z0) - 0.5).max()),
        milestone=mi,
        cost_m=float(h.cost[mi]),
        acc_m=float(h.accuracy[mi]),
        early_seconds=t_early,
        late_seconds=TRAIN_SECONDS - t_early,
        every_iteration=len(sched) == T + 1,
        weights_grow=weight_norm(T) > weight_norm(mi),
        sharpens=float(np.abs(_outputs(h, T)).mean()) > float(np.abs(_outputs(h, mi)).mean()),
        costT=float(h.cost[T]),
        accT=float(h.accuracy[T]),
        wrongT=misclassified_count(h, T),
        W2=W2,
        b2=float(h.b2[T][0, 0]),
        shown_units=tuple(int(u) for u in top_units(W2[None, :], MAX_UNITS)),
    )


def _plain(value: float, digits: int = 3) -> str:
    """A number for a caption, with a real minus sign."""
    return cost_text(value, digits).replace("-", "\u2212")


def _moved(before: float, after: float, down: str, up: str) -> str:
    return down if after < before else (up if after > before else "stays at")


def captions(n: BoundaryNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Every claim is checked against the history: "faster", "sharpens", "weights keep growing",
    "down to" / "up to" are only said when the numbers show it.
    """
    k = len(n.shown_units)
    weights = ", ".join(f"unit {u + 1}: {_plain(n.W2[u])}" for u in n.shown_units)
    shown = "" if k == n.n_h else f" Shown: the {k} of {n.n_h} units with the largest |W2|."
    rest = "" if k == n.n_h else f", then the other {n.n_h - k} together"
    pace = (
        "Every iteration gets its own frames"
        if n.every_iteration
        else "The clock slows down where the picture changes most"
    )
    late_opening = (
        f"The remaining {n.T - n.milestone} iterations pass faster."
        if n.late_is_faster
        else f"Then the remaining {n.T - n.milestone} iterations."
    )
    changes = []
    if n.sharpens:
        changes.append("the output grows more confident (the colours sharpen)")
    if n.weights_grow:
        changes.append("the weights keep growing (thicker edges)")
    cost_tail = f"the cost goes from {cost_text(n.cost_m)} to {cost_text(n.costT)}."
    late_text = (
        f"{late_opening} {' and '.join(changes).capitalize()}; {cost_tail}"
        if changes
        else f"{late_opening} {cost_tail[0].upper()}{cost_tail[1:]}"
    )
    wrong_text = (
        f"{n.wrongT} of the {n.m} points are still on the wrong side, ringed."
        if n.wrongT
        else f"all {n.m} points are on the right side."
    )
    return {
        "picture": (
            "Every pixel is an input (x1, x2), coloured by the network's output there: red where it "
            "predicts class 0, blue for class 1, dark where it is unsure. The "
            f"{n.m} training points keep their true colours; the light line is the decision boundary, "
            "where the output is 0.5."
        ),
        "before": (
            f"Before training, at iteration 0, the largest weight is {_plain(n.w_max0)} in size, so the "
            f"output is within {_plain(n.spread0)} of 0.5 at every point: cost {cost_text(n.cost0)}, "
            f"accuracy {percent_text(n.acc0)}. Yellow rings mark the {n.wrong0} points on the wrong side."
        ),
        "early": (
            f"Gradient descent with learning rate {n.learning_rate:g}. {pace}: by iteration "
            f"{n.milestone} the cost is {_moved(n.cost0, n.cost_m, 'down to', 'up to')} "
            f"{cost_text(n.cost_m)} and the accuracy {_moved(n.acc0, n.acc_m, 'down to', 'up to')} "
            f"{percent_text(n.acc_m)}."
        ),
        "late": late_text,
        "result": (
            f"After {n.T} iterations the cost is {cost_text(n.costT)} and the accuracy "
            f"{percent_text(n.accT)}: {wrong_text}"
        ),
        "units": (
            f"Where does this shape come from? Each of the {n.n_h} hidden units computes "
            "tanh(W1 x + b1) with its own weights: a step across one straight line (softer where its weights "
            f"are small), blue (+1) on one side, red (\u22121) on the other.{shown}"
        ),
        "sum": (
            f"The output weighs the units by W2 ({weights}) and adds b2 = {_plain(n.b2)}. Added one at a "
            f"time{rest}, they bend the boundary; the sigmoid of the full sum is the trained boundary."
        ),
    }


def _probability_legend(width: float, font_size: float) -> Group:
    """A colour bar for the predicted probability, with the contour and ring explained."""
    ppu = pixels_per_unit()
    w_px, h_px = max(round(width * ppu), 2), max(round(0.16 * ppu), 2)
    rgb = np.repeat(probability_rgb(np.linspace(0.0, 1.0, w_px)[None, :]), h_px, axis=0)
    bar = ImageMobject(np.concatenate([rgb, np.full((h_px, w_px, 1), 255, np.uint8)], axis=2))
    bar.height = h_px / ppu
    bar.width = w_px / ppu
    frame = SurroundingRectangle(bar, buff=0.0, color=MUTED, stroke_width=1)
    title = MathTex(r"\text{output } \hat{y} = P(\text{blue})", font_size=font_size, color=MUTED)
    title.next_to(bar, UP, buff=0.12).align_to(bar, LEFT)
    corner = bar.get_corner(DOWN + LEFT)
    ticks = VGroup(
        *[
            MathTex(t, font_size=font_size, color=MUTED).next_to(corner + f * width * RIGHT, DOWN, 0.1)
            for t, f in (("0", 0.0), ("0.5", 0.5), ("1", 1.0))
        ]
    )
    line = Line(ORIGIN, 0.35 * RIGHT, color=TEXT, stroke_width=2.5)
    line_label = MathTex(r"\hat{y} = 0.5", font_size=font_size, color=MUTED).next_to(line, RIGHT, buff=0.12)
    ring = Circle(radius=0.07, color=HIGHLIGHT, stroke_width=2.5)
    ring_label = MathTex(r"\text{misclassified}", font_size=font_size, color=MUTED).next_to(ring, RIGHT, buff=0.12)
    keys = VGroup(VGroup(line, line_label), VGroup(ring, ring_label)).arrange(RIGHT, buff=0.45)
    keys.next_to(ticks, DOWN, buff=0.18).align_to(bar, LEFT)
    return Group(bar, frame, title, ticks, keys)


def _running_sum_tex(n: BoundaryNumbers, added: list[int], rest: bool) -> str:
    terms = [rf"{tex_number(n.b2)}"]
    for u in added:
        w = n.W2[u]
        sign = "-" if w < 0 else "+"
        terms.append(rf"{sign} {tex_number(abs(w))}\,a_{{{u + 1}}}")
    if rest:
        terms.append(rf"+ \textstyle\sum_{{\text{{other {n.n_h - len(added)}}}}}")
    return r"\hat{y} = \sigma\big(" + " ".join(terms) + r"\big)"


class DecisionBoundary(Narrated, RasterScene):
    """Training moves the decision boundary; then the boundary taken apart into its hidden units."""

    def construct(self) -> None:
        """Build and play every beat."""
        h = load_history()
        schedule = training_schedule(h)
        n = boundary_numbers(h, schedule)
        cap = captions(n)
        T = n.T
        extent = data_extent(h.X, aspect=1.0)

        # --- the training view ---------------------------------------------------------------
        heading = Text("Training moves the decision boundary", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        panel = BoundaryPanel(h, PANEL_HEIGHT, extent=extent, iteration=0)
        panel.to_corner(DOWN + LEFT, buff=0.3)
        x_right = panel.get_right()[0] + 0.45  # left edge of the right-hand column

        readout = IterationReadout(h, 0, font_size=30)
        readout.move_to([x_right, panel.get_top()[1], 0], aligned_edge=UP + LEFT)
        diagram = NetworkDiagram(h, 0, width=2.5, height=2.0, node_radius=0.2, max_hidden_shown=7)
        diagram.move_to([6.8, readout.get_center()[1], 0], aligned_edge=RIGHT)
        legend = _probability_legend(3.2, 22)
        legend.next_to(readout, DOWN, buff=0.4).align_to(readout, LEFT)
        curve = CostCurves.single(h, width=5.3, height=2.5, font_size=22, iteration=0)
        curve.move_to([6.8, -3.75, 0], aligned_edge=DOWN + RIGHT)

        clock = IterationClock(schedule)

        # Fades in are black curtains fading out (see reveal): one rectangle per frame, not hundreds
        # of glyphs.
        with self.beat("picture", cap["picture"]):
            self.play(reveal(self, heading, panel, legend, run_time=1.5))

        with self.beat("before", cap["before"]):
            self.play(reveal(self, readout, diagram, curve, run_time=1.5))

        views = (panel, readout, curve, (diagram, [diagram.edges_1, diagram.edges_2]))
        with self.beat("early", cap["early"]):
            with clock.driving(self, *views):
                self.play(clock.advance_to(n.milestone, run_time=n.early_seconds))

        with self.beat("late", cap["late"]):
            with clock.driving(self, *views):
                self.play(clock.advance_to(T, run_time=n.late_seconds))

        with self.beat("result", cap["result"]):
            self.play(
                Succession(
                    Circumscribe(readout, color=HIGHLIGHT, buff=0.1, run_time=1.5),
                    Circumscribe(panel, color=HIGHLIGHT, buff=0.05, run_time=1.5),
                )
            )

        # --- the decomposition (its first beat starts by fading the training view out) --------
        self._decomposition(h, n, extent, cap)

    def _decomposition(self, h: History, n: BoundaryNumbers, extent: object, cap: dict[str, str]) -> None:
        T = n.T
        params = h.params(T)
        heading = Text("Where the boundary comes from", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        # Symbols with a subscript are separate parts, coloured as the palette says: the subscript
        # must stay with its symbol for TeX to stack it under the superscript.
        law_parts = [
            (r"\hat{y} = \sigma\Big(\sum_{u}", None),
            (r"W^{[2]}_u", "W^{[2]}"),
            (r"\,a_u +", None),
            (r"b^{[2]}", "b^{[2]}"),
            (r"\Big),\qquad a_u = \tanh\big(", None),
            (r"W^{[1]}_u", "W^{[1]}"),
            (r"x +", None),
            (r"b^{[1]}_u", "b^{[1]}"),
            (r"\big)", None),
        ]
        law = MathTex(*[t for t, _ in law_parts], font_size=32, color=TEXT)
        for part, (_, symbol) in zip(law, law_parts, strict=True):
            if symbol is not None:
                part.set_color(SYMBOL_COLORS[symbol])
        law.next_to(heading, DOWN, buff=0.3).align_to(heading, LEFT)

        units = list(n.shown_units)
        k = len(units)
        extra = None
        if k < n.n_h:
            extra = MathTex(rf"+\,{n.n_h - k}\ \text{{more}}", font_size=26, color=MUTED)
        row_width = 8.2 - (extra.width + 0.25 if extra is not None else 0.0)
        gap = 0.45
        side = min(2.1, (row_width - gap * (k - 1)) / k)
        ppu = pixels_per_unit()
        side_px = max(round(side * ppu), 2)
        small = BoundaryField(h, side_px, side_px, extent, point_radius_px=0)
        fields = small.hidden(params)  # (n_h, side_px, side_px)
        scale_2 = float(np.abs(n.W2).max()) or 1.0
        cells = []
        for u in units:
            tile = FieldPanel(fields[u], 1.0)
            name = MathTex(rf"a_{{{u + 1}}}", font_size=28, color=TEXT).next_to(tile, UP, buff=0.12)
            weight = MathTex(
                rf"\times\,{tex_number(n.W2[u])}", font_size=28, color=value_color(n.W2[u], scale_2)
            ).next_to(tile, DOWN, buff=0.12)
            cells.append(Group(tile, name, weight))
        row = Group(*cells).arrange(RIGHT, buff=gap)
        row.move_to([-6.8, 0.45, 0], aligned_edge=LEFT)
        if extra is not None:
            extra.next_to(row, RIGHT, buff=0.25)

        tanh_bar_w = 2.4
        bar_px = max(round(tanh_bar_w * ppu), 2)
        bar_h_px = max(round(0.14 * ppu), 2)
        bar_rgb = np.repeat(value_rgb(np.linspace(-1.0, 1.0, bar_px)[None, :], 1.0), bar_h_px, axis=0)
        bar = ImageMobject(np.concatenate([bar_rgb, np.full((bar_h_px, bar_px, 1), 255, np.uint8)], axis=2))
        bar.width, bar.height = bar_px / ppu, bar_h_px / ppu
        bar_lo = MathTex(r"{-}1", font_size=22, color=MUTED).next_to(bar, LEFT, buff=0.12)
        bar_hi = MathTex(r"{+}1", font_size=22, color=MUTED).next_to(bar, RIGHT, buff=0.12)
        bar_name = MathTex(r"a_u", font_size=22, color=MUTED).next_to(bar_lo, LEFT, buff=0.2)
        tanh_legend = Group(bar_name, bar_lo, bar, bar_hi)
        tanh_legend.next_to(row, DOWN, buff=0.35).align_to(row, LEFT)

        out = BoundaryPanel(h, 4.5, extent=extent, iteration=T, misclassified=False)
        out.move_to([6.75, 0.1, 0], aligned_edge=RIGHT)
        out_label = MathTex(r"\hat{y}", font_size=30, color=TEXT).next_to(out, UP, buff=0.12)
        arrow = Arrow(
            [(extra if extra is not None else row).get_right()[0] + 0.1, row.get_center()[1], 0],
            [out.get_left()[0] - 0.05, row.get_center()[1], 0],
            color=MUTED,
            buff=0.05,
            stroke_width=3,
        )
        out_hidden = out.field.hidden(params)  # (n_h, h, w) on the output panel's grid
        z = np.full(out_hidden.shape[1:], n.b2)
        out.show_logits(z)

        added: list[int] = []
        # Left-aligned, so that each new sum cross-fades over the old one's common beginning.
        sum_corner = np.array([-6.8, -3.1, 0.0])
        total = MathTex(_running_sum_tex(n, added, False), font_size=30, color=TEXT)
        total.move_to(sum_corner, aligned_edge=LEFT)

        with self.beat("units", cap["units"]):
            fade_to_black(self, run_time=1.0)
            self.play(reveal(self, heading, law, run_time=1.2))
            tail = [tanh_legend] + ([extra] if extra is not None else [])
            self.play(LaggedStart(*[reveal(self, c) for c in cells], reveal(self, *tail), lag_ratio=0.25, run_time=2.6))

        with self.beat("sum", cap["sum"]):
            self.play(Create(arrow), reveal(self, out, out_label, total), run_time=1.2)
            for u, cell in zip(units, cells, strict=True):
                term = n.W2[u] * out_hidden[u]
                start = z
                mark = SurroundingRectangle(cell, color=HIGHLIGHT, buff=0.06)
                added.append(u)
                new_total = MathTex(_running_sum_tex(n, added, False), font_size=30, color=TEXT)
                new_total.move_to(sum_corner, aligned_edge=LEFT)
                self._add_term(mark, out, start, term, total, new_total)
                total = new_total
                z = start + term
            if k < n.n_h:
                rest = sum(n.W2[u] * out_hidden[u] for u in range(n.n_h) if u not in units)
                start = z
                new_total = MathTex(_running_sum_tex(n, added, True), font_size=30, color=TEXT)
                new_total.move_to(sum_corner, aligned_edge=LEFT)
                mark = SurroundingRectangle(extra, color=HIGHLIGHT, buff=0.06)
                self._add_term(mark, out, start, rest, total, new_total)
                total = new_total
            # The full sum is the trained network: show its picture of iteration T exactly.
            out.set_iteration(T)
            self.play(Circumscribe(out, color=HIGHLIGHT, buff=0.05), run_time=1.2)

        fade_to_black(self, run_time=1.0)

    def _add_term(
        self,
        mark: VMobject,
        out: BoundaryPanel,
        start: np.ndarray,
        term: np.ndarray,
        total: MathTex,
        new_total: MathTex,
    ) -> None:
        """Mark a unit, morph the output picture from ``start`` to ``start + term``, update the sum.

        One play. The picture follows a tracker through an updater rather than being animated
        itself: animating a part of a group makes Manim split the group in the scene's list.
        """
        alpha = ValueTracker(0.0)
        shown = [-1.0]

        def follow(_: Mobject) -> None:
            a = alpha.get_value()
            if a != shown[0]:
                out.show_logits(start + a * term)
                shown[0] = a

        out.image.add_updater(follow)
        self.play(
            Succession(
                Create(mark, run_time=0.4),
                AnimationGroup(
                    alpha.animate(rate_func=linear).set_value(1.0),
                    FadeOut(total),
                    FadeIn(new_total),
                    run_time=1.4,
                ),
                FadeOut(mark, run_time=0.3),
            )
        )
        out.image.remove_updater(follow)
        follow(out.image)


__all__ = ["BoundaryNumbers", "DecisionBoundary", "boundary_numbers", "captions", "milestone_iteration"]
