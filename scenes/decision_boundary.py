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

Any run the core trains draws the same way: the picture is the network's own output over the plane
(every layer, its activation, its input features, :class:`~scenes.common.field.BoundaryField`); a
test set's points are hollow rings beside the filled training points, its accuracy under the
training accuracy and its cost beside the training cost; a mini-batch run's clock counts epochs and
its cost curve shows every update's cost; ``units`` and ``sum`` take apart the last hidden layer
(the units the output weighs, by ``W^{[L]}``), in its activation's colours.

Every number comes from the history (:func:`scenes.common.history.load_history`, ``$NN_HISTORY``);
:func:`boundary_numbers` computes them, once, and both :func:`captions` and the beats of
:class:`DecisionBoundary` read them (the captions free of Manim state, so that
``tests/test_scene_decision_boundary.py`` can check them). The reusable pieces live in
:mod:`scenes.common` (panels, clock, raster, numbers, curves); ``benchmarks/bench_decision_boundary.py``
measures the speed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

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
    config,
    linear,
)
from scipy.special import expit

from nncore import History
from nncore.network import forward
from scenes.common.clock import IterationClock, early_seconds, milestone_iteration, passes_faster, sample_iterations
from scenes.common.colors import probability_rgb, value_rgb
from scenes.common.curves import CostCurves
from scenes.common.field import (
    POINT_RADIUS,
    TEST_HOLE,
    TEST_RADIUS,
    BoundaryField,
    history_extent,
    separable_tanh,
    top_units,
)
from scenes.common.format import caption_number, caption_percent, caption_setting, count, percent_text, tex_number
from scenes.common.history import load_history
from scenes.common.layout import DiagramSize
from scenes.common.model_text import ACTIVATIONS, OPTIMIZERS
from scenes.common.narration import Narrated
from scenes.common.network import NetworkDiagram
from scenes.common.numbers import GlyphNumber, IterationReadout
from scenes.common.palette import CLASS_1, HIGHLIGHT, MUTED, SYMBOL_COLORS, TEXT, value_color
from scenes.common.panels import BoundaryPanel, FieldPanel
from scenes.common.raster import RasterScene, fade_to_black, pixels_per_unit, reveal
from scenes.common.tex import prefetch

LAYERED_DIAGRAM = hasattr(NetworkDiagram, "set_layer_values")
"""The network diagram draws networks of any depth (else only one hidden layer's, and deeper runs show none)."""

TRAIN_SECONDS = 36.0
"""Screen time of the whole run, iteration 0 to T (the ``early`` and ``late`` beats together)."""

MILESTONE_DROP = 0.8
"""The ``early`` beat ends where the cost has made this fraction of its total decrease."""

MIN_CLOCK_SECONDS = 10.0
"""Neither the ``early`` nor the ``late`` beat runs the clock for less than this."""

MAX_UNITS = 6
"""At most this many hidden units get their own heatmap (those with the largest ``|W2|``)."""

HEADING_SIZE = 36
PANEL_HEIGHT = 6.5
"""Height of the training view's boundary picture, in scene units (the page's explorer scales its sizes by it)."""

DIAGRAM = DiagramSize(width=2.5, height=2.0, node_radius=0.2, max_hidden_shown=7)
"""The network diagram beside the boundary picture (the page's explorer draws the same one)."""
SUM_CORNER = np.array([-6.8, -3.1, 0.0])
"""Left end of the running sum's formula (left-aligned, so each new sum cross-fades over the old one's beginning)."""


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
        Hidden units that get a heatmap, largest ``|W2|`` first (:attr:`other_units`: the rest).
    layers : int
        ``L``, the layers with parameters: ``W2``/``b2`` above are layer ``L``'s, the output's, and
        ``n_h`` is the last hidden layer's units (the ones the output weighs).
    activation, optimizer : str
        The run's config values.
    batch_size : int or None
        Mini-batch size (``None``: full batch; then the clock counts iterations, else epochs).
    m_test : int
        Test points (0 without a test set).
    test_acc0, test_accT : float or None
        Test accuracy before and after training (``None`` without a test set).
    test_wrongT : int or None
        Misclassified test points at the end.
    dead_units : tuple of int
        Units of the last hidden layer that are 0 at every training point at the end (a ReLU
        that never turns on adds nothing to the output).
    diagram : bool
        The network diagram is drawn beside the picture (one hidden layer; any depth once
        :class:`~scenes.common.network.NetworkDiagram` draws every layer, :data:`LAYERED_DIAGRAM`).
    """

    T: int
    m: int
    n_h: int
    learning_rate: float
    layers: int
    activation: str
    optimizer: str
    batch_size: int | None
    m_test: int
    test_acc0: float | None
    test_accT: float | None
    test_wrongT: int | None
    diagram: bool
    dead_units: tuple[int, ...]
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
        """The ``late`` beat passes iterations clearly faster than the ``early`` one (:func:`passes_faster`)."""
        return passes_faster(self.T, self.milestone, self.early_seconds, self.late_seconds)

    @property
    def step(self) -> str:
        """What the clock counts: "iteration" (full batch) or "epoch" (mini-batches)."""
        return "iteration" if self.batch_size is None else "epoch"

    @property
    def other_units(self) -> tuple[int, ...]:
        """Hidden units without a heatmap of their own, in order (the ``sum`` beat adds them together)."""
        shown = set(self.shown_units)
        return tuple(u for u in range(self.n_h) if u not in shown)


def misclassified_count(history: History, i: int) -> int:
    """Training points on the wrong side of 0.5 at iteration ``i`` (from the history's accuracy)."""
    return int(round((1.0 - float(history.accuracy[i])) * history.m))


def training_schedule(history: History, frame_rate: float | None = None) -> np.ndarray:
    """The iterations the training beats show: one per frame of :data:`TRAIN_SECONDS`, denser early."""
    fps = float(frame_rate or config.frame_rate)
    return sample_iterations(history.iterations, int(round(TRAIN_SECONDS * fps)) + 1, history.cost)


def _outputs(history: History, i: int) -> np.ndarray:
    """The output's logit ``Z[L]`` of iteration ``i`` at the training points, shape ``(m,)``."""
    if separable_tanh(history):
        p = history.params(i)
        return (p.W2 @ np.tanh(p.W1 @ history.X + p.b1) + p.b2)[0]
    return forward(history.X, history.net(i), history.config.activation).Z[-1][0]


def _weights(history: History, i: int) -> list[np.ndarray]:
    """Every layer's weights at snapshot ``i``."""
    return [history.arrays[f"W{l}"][i] for l in range(1, history.layers + 1)]


def _dead_units(history: History) -> tuple[int, ...]:
    """The last hidden layer's ReLU units that are 0 at every training point after training."""
    if history.config.activation != "relu":
        return ()
    trace = forward(history.X, history.net(history.iterations), "relu")
    last = trace.A[-2]  # (n_{L-1}, m)
    return tuple(int(u) for u in np.flatnonzero((last == 0).all(axis=1)))


def boundary_numbers(history: History, schedule: np.ndarray | None = None) -> BoundaryNumbers:
    """Read every number of the segment from ``history`` (``schedule``: default :func:`training_schedule`)."""
    h = history
    T = h.iterations
    sched = training_schedule(h) if schedule is None else np.asarray(schedule)
    mi = milestone_iteration(sched, h.cost, MILESTONE_DROP)
    t_early = early_seconds(sched, mi, TRAIN_SECONDS, MIN_CLOCK_SECONDS)
    L, cfg = h.layers, h.config
    W2 = np.array(h.arrays[f"W{L}"][T][0], dtype=float)
    has_test = "test_accuracy" in h.more

    def weight_norm(i: int) -> float:
        return float(np.sqrt(sum((W**2).sum() for W in _weights(h, i))))

    z0 = _outputs(h, 0)
    return BoundaryNumbers(
        T=T,
        m=h.m,
        n_h=int(W2.size),
        learning_rate=float(cfg.learning_rate),
        layers=L,
        activation=cfg.activation,
        optimizer=cfg.optimizer,
        batch_size=cfg.batch_size,
        m_test=int(h.more["X_test"].shape[1]) if has_test else 0,
        test_acc0=float(h.more["test_accuracy"][0]) if has_test else None,
        test_accT=float(h.more["test_accuracy"][T]) if has_test else None,
        diagram=L == 2 or LAYERED_DIAGRAM,
        test_wrongT=int(round((1 - float(h.more["test_accuracy"][T])) * h.more["X_test"].shape[1]))
        if has_test
        else None,
        cost0=float(h.cost[0]),
        acc0=float(h.accuracy[0]),
        wrong0=misclassified_count(h, 0),
        w_max0=float(max(np.abs(W).max() for W in _weights(h, 0))),
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
        b2=float(h.arrays[f"b{L}"][T][0, 0]),
        shown_units=tuple(int(u) for u in top_units(W2[None, :], MAX_UNITS)),
        dead_units=_dead_units(h),
    )


def _before_caption(n: BoundaryNumbers) -> str:
    """The ``before`` beat: the untrained weights' size and what it means for the output (when it says something)."""
    w_max = caption_number(n.w_max0, 2, bound="up")
    start = f"cost {caption_number(n.cost0)}, accuracy {caption_percent(n.acc0)}. {_rings(n.wrong0)}"
    spread = caption_number(n.spread0, 1, bound="up")
    if n.layers == 2 and n.activation == "tanh":  # small weights, so a flat output: the lecture's own start
        return (
            f"Before training every weight is at most {w_max} in size, so the output is within {spread} of 0.5 "
            f"at every point: {start}"
        )
    if n.spread0 < 0.45:
        return (
            f"Before training every weight is at most {w_max} in size and the output is within {spread} of 0.5 "
            f"at every point: {start}"
        )
    return f"Before training every weight is at most {w_max} in size: {start}"


def _moved(before: float, after: float, down: str, up: str) -> str:
    return down if after < before else (up if after > before else "stays at")


def _late_caption(n: BoundaryNumbers) -> str:
    """The ``late`` beat: its pace ("faster" only if it is) and what changes after the milestone."""
    opening = (
        f"The remaining {count(n.T - n.milestone, n.step)} pass faster."
        if n.late_is_faster
        else f"Then the remaining {count(n.T - n.milestone, n.step)}."
    )
    changes = []
    if n.sharpens:
        changes.append("the output grows more confident (the colours sharpen)")
    if n.weights_grow:  # the edges of the diagram beside the picture (one hidden layer's)
        changes.append("the weights keep growing (thicker edges)" if n.diagram else "the weights keep growing")
    cost_tail = f"the cost goes from {caption_number(n.cost_m)} to {caption_number(n.costT)}."
    if changes:
        return f"{opening} {' and '.join(changes).capitalize()}; {cost_tail}"
    return f"{opening} {cost_tail[0].upper()}{cost_tail[1:]}"


def captions(n: BoundaryNumbers) -> dict[str, str]:
    """The narration of every beat, with its numbers (becomes the lecture's captions).

    Every claim is checked against the history: "faster", "sharpens", "weights keep growing",
    "down to" / "up to" are only said when the numbers show it. Numbers are rounded to be heard
    (three significant digits; a bound rounded up so that "at most" and "within" stay true), and
    the output weights are not read out one by one: the running sum on screen writes each one.
    """
    k, others = len(n.shown_units), len(n.other_units)
    top = n.shown_units[0]
    W_out, b_out = f"W{n.layers}", f"b{n.layers}"
    shown = f" Shown: the {k} of {n.n_h} units with the largest |{W_out}|." if others else ""
    if others and n.layers > 2:
        shown = f" Shown: the {k} with the largest |{W_out}|."
    rest = f", then the other {others} together" if others else ""
    pace = (
        "Every iteration gets its own frames"
        if n.every_iteration
        else "The clock slows down where the picture changes most"
    )
    training = " training" if n.m_test else ""
    wrong_text = (
        f"{n.wrongT} of the {n.m}{training} points {'is' if n.wrongT == 1 else 'are'} still on the wrong side, ringed."
        if n.wrongT
        else f"all {n.m}{training} points are on the right side."
    )
    if n.test_accT is not None:
        accuracy_end = (
            f"the accuracy {caption_percent(n.accT)} on the training set and {caption_percent(n.test_accT)} "
            "on the test set"
        )
    else:
        accuracy_end = f"the accuracy {caption_percent(n.accT)}"
    if n.m_test:  # shorter words for the same picture, to make room for the test points
        picture = (
            "Each pixel is an input, coloured by the network's output: red for class 0, blue for class 1. Filled "
            f"dots: {n.m} training points; hollow: {n.m_test} test points. The light line, output 0.5, is the boundary."
        )
    else:
        picture = (
            "Each pixel is an input, coloured by the network's output: red for class 0, blue for class 1, dark "
            f"where unsure. Dots are the {n.m} training points; the light line, output 0.5, is the decision "
            "boundary."
        )
    if n.optimizer == "gd" and n.batch_size is None:
        how = "Gradient descent"
    else:
        how = training_words_of(n)
    return {
        "picture": picture,
        "before": _before_caption(n),
        "early": (
            f"{how} with learning rate {caption_setting(n.learning_rate)}. {pace}: by {n.step} "
            f"{n.milestone} the cost is {_moved(n.cost0, n.cost_m, 'down to', 'up to')} "
            f"{caption_number(n.cost_m)} and the accuracy {_moved(n.acc0, n.acc_m, 'down to', 'up to')} "
            f"{caption_percent(n.acc_m)}."
        ),
        "late": _late_caption(n),
        "result": (
            f"After {count(n.T, n.step)} the cost is {caption_number(n.costT)} and {accuracy_end}: {wrong_text}"
        ),
        "units": f"Where does this shape come from? {_units_caption(n)}{shown}{_dead_caption(n)}",
        "sum": (
            f"The output weighs the units by {W_out}, unit {top + 1} the most, at {caption_number(n.W2[top])}, "
            f"and adds {b_out} = {caption_number(n.b2, 2)}. Added one at a time{rest}, they bend the boundary into "
            "the trained one."
        ),
    }


# --- the pictures ----------------------------------------------------------------------------------


def _colour_bar(
    rgb: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, width: float, height: float
) -> ImageMobject:
    """A horizontal bar of the colours ``rgb`` gives the values ``lo..hi``, one value per pixel column."""
    ppu = pixels_per_unit()
    w_px, h_px = max(round(width * ppu), 2), max(round(height * ppu), 2)
    colors = np.repeat(rgb(np.linspace(lo, hi, w_px)[None, :]), h_px, axis=0)  # (h_px, w_px, 3)
    bar = ImageMobject(np.concatenate([colors, np.full((h_px, w_px, 1), 255, np.uint8)], axis=2))
    bar.height = h_px / ppu
    bar.width = w_px / ppu
    return bar


def _probability_legend(width: float, font_size: float, test: bool = False) -> Group:
    """A colour bar for the predicted probability, with the contour and ring explained (and the test points' shape)."""
    bar = _colour_bar(probability_rgb, 0.0, 1.0, width, 0.16)
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
    if not test:
        return Group(bar, frame, title, ticks, keys)
    # The two kinds of point by shape: a filled disc and a hollow one, both in a class colour.
    r = POINT_RADIUS
    disc = Circle(radius=r, color=CLASS_1, fill_opacity=1.0, stroke_width=0)
    disc_label = MathTex(r"\text{training}", font_size=font_size, color=MUTED).next_to(disc, RIGHT, buff=0.12)
    hollow = Circle(radius=TEST_RADIUS * r * (1 + TEST_HOLE) / 2, color=CLASS_1, stroke_width=3)
    hollow_label = MathTex(r"\text{test point}", font_size=font_size, color=MUTED).next_to(hollow, RIGHT, buff=0.12)
    kinds = VGroup(VGroup(disc, disc_label), VGroup(hollow, hollow_label)).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
    kinds.next_to(frame, RIGHT, buff=0.35).align_to(frame, UP)
    return Group(bar, frame, title, ticks, keys, kinds)


def _tanh_legend(lo: float = -1.0, hi: float = 1.0, scale: float = 1.0) -> Group:
    """A colour bar for a hidden unit's value, from ``lo`` to ``hi`` (a tanh's -1 to +1), coloured at ``scale``."""
    bar = _colour_bar(lambda v: value_rgb(v, scale), lo, hi, 2.4, 0.14)

    def end(v: float) -> str:
        return {-1.0: r"{-}1", 1.0: r"{+}1", 0.0: "0"}.get(v, tex_number(v))

    lo_tex = MathTex(end(lo), font_size=22, color=MUTED).next_to(bar, LEFT, buff=0.12)
    hi_tex = MathTex(end(hi), font_size=22, color=MUTED).next_to(bar, RIGHT, buff=0.12)
    name = MathTex(r"a_u", font_size=22, color=MUTED).next_to(lo_tex, LEFT, buff=0.2)
    return Group(name, lo_tex, bar, hi_tex)


_G_TEX = {"tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "leaky_relu": r"\mathrm{LReLU}", "sigmoid": r"\sigma"}


def _law(layers: int = 2, activation: str = "tanh") -> MathTex:
    """The network's output as a weighted sum of its last hidden layer's units, the parameters in their colours.

    ``a_u`` is unit ``u`` of layer ``L - 1``: ``g(W^{[1]}_u x + b^{[1]}_u)`` for one hidden layer,
    ``g(W^{[L-1]}_u a^{[L-2]} + b^{[L-1]}_u)`` for more.
    """
    L, g = layers, _G_TEX[activation]
    below = "x" if L == 2 else f"a^{{[{L - 2}]}}"
    # Symbols with a subscript are separate parts, coloured as the palette says: the subscript
    # must stay with its symbol for TeX to stack it under the superscript.
    parts = [
        (r"\hat{y} = \sigma\Big(\sum_{u}", None),
        (rf"W^{{[{L}]}}_u", f"W^{{[{L}]}}"),
        (r"\,a_u +", None),
        (rf"b^{{[{L}]}}", f"b^{{[{L}]}}"),
        (rf"\Big),\qquad a_u = {g}\big(", None),
        (rf"W^{{[{L - 1}]}}_u", f"W^{{[{L - 1}]}}"),
        (rf"{below} +", None),
        (rf"b^{{[{L - 1}]}}_u", f"b^{{[{L - 1}]}}"),
        (r"\big)", None),
    ]
    law = MathTex(*[t for t, _ in parts], font_size=32, color=TEXT)
    for part, (_, symbol) in zip(law, parts, strict=True):
        if symbol is not None and symbol in SYMBOL_COLORS:
            part.set_color(SYMBOL_COLORS[symbol])
    return law


def _unit_range(activation: str, fields: np.ndarray) -> tuple[float, float, float]:
    """``(lo, hi, scale)`` of the unit heatmaps' colour key: tanh's -1..+1; else the shown fields' own range.

    ``scale`` is the value of full colour (the largest ``|a|`` shown, rounded up to 3 digits, so the
    key's ends are the colours' ends).
    """
    if activation == "tanh":
        return -1.0, 1.0, 1.0
    top = float(np.abs(fields).max()) if fields.size else 0.0
    if not np.isfinite(top) or top <= 0:
        return 0.0, 1.0, 1.0
    step = 10.0 ** (math.floor(math.log10(top)) - 1)  # two significant digits, rounded up
    top = math.ceil(top / step * (1 - 1e-12)) * step
    lo = -top if float(fields.min()) < -1e-3 * top else 0.0
    return lo, top, top


class TestAccuracy(VGroup):
    """The test set's accuracy of the iteration shown, a row under an :class:`IterationReadout`'s accuracy.

    Train and test accuracy side by side, in the same column, the same format.
    """

    def __init__(self, history: History, readout: IterationReadout, font_size: float) -> None:
        super().__init__()
        self.history = history
        self.values = history.more["test_accuracy"]  # (E+1,)
        size = font_size
        accuracy = readout.labels[2]
        self.label = MathTex(r"\text{test accuracy}", font_size=size, color=MUTED)
        self.label.next_to(accuracy, DOWN, buff=0.22 * size / 28, aligned_edge=LEFT)
        self.number = GlyphNumber("0", font_size=size, color=TEXT)
        gap = self.label[0][0].get_bottom()[1] - accuracy[0][0].get_bottom()[1]
        anchor = readout.numbers[2].anchor_point
        x = max(anchor[0], self.label.get_right()[0] + 0.3 + self.number.width_of("100.00%"))
        self.number.set_anchor([x, anchor[1] + gap])
        if x > anchor[0]:  # one column of numbers: the readout's move right to this one's
            for number in readout.numbers:
                number.set_anchor([x, number.anchor_point[1]])
        self.add(self.label, self.number)
        self.iteration: int | None = None
        self.set_iteration(0)

    @classmethod
    def of(cls, history: History, readout: IterationReadout, font_size: float) -> TestAccuracy | None:
        """The row for ``history`` (``font_size``: the readout's), or ``None`` when it has no test set."""
        return cls(history, readout, font_size) if "test_accuracy" in history.more else None

    def moving_parts(self) -> list[Mobject]:
        """The number's glyphs."""
        return [self.number.body]

    def set_iteration(self, iteration: int) -> TestAccuracy:
        """Show the test accuracy of ``iteration`` (beyond the run, its last)."""
        i = min(max(int(iteration), 0), len(self.values) - 1)
        if i != self.iteration:
            self.number.set_text(percent_text(float(self.values[i])))
            self.iteration = i
        return self


def _rings(wrong: int) -> str:
    """The sentence about the yellow rings round the points on the wrong side, however many."""
    if wrong == 0:
        return "No point is on the wrong side yet."
    if wrong == 1:
        return "A yellow ring marks the one point on the wrong side."
    return f"Yellow rings mark the {wrong} points on the wrong side."


def training_words_of(n: BoundaryNumbers) -> str:
    """How the run learns, capitalised for the start of a sentence: "Adam on mini-batches of 64"."""
    if n.batch_size is None:
        words = f"{OPTIMIZERS[n.optimizer]} on the whole training set"
    else:
        words = f"{OPTIMIZERS[n.optimizer]} on mini-batches of {n.batch_size}"
    return words[0].upper() + words[1:]


_DEEP_SHAPES = {
    "tanh": "is built from the layers before it: between −1 (red) and +1 (blue)",
    "sigmoid": "is built from the layers before it: between 0 (grey) and 1 (blue)",
    "relu": "is 0 (grey) where off, growing (blue) where on",
    "leaky_relu": "is near 0 (grey) where off, growing (blue) where on",
}

_ONE_LAYER_SHAPES = {
    "sigmoid": "steps across a line: 1 (blue) on one side, 0 (grey) on the other",
    "relu": "is 0 (grey) on one side of a line and grows (blue) on the other",
    "leaky_relu": "is almost 0 (grey) on one side of a line and grows (blue) on the other",
}


def _dead_caption(n: BoundaryNumbers) -> str:
    """The ReLU units that never turn on, when the heatmaps show any of them (empty otherwise)."""
    dead = sorted(u for u in n.shown_units if u in n.dead_units)
    if not dead:
        return ""
    if len(dead) == 1:
        return f" Unit {dead[0] + 1} is off at every training point."
    names = ", ".join(str(u + 1) for u in dead[:-1]) + f" and {dead[-1] + 1}"
    return f" Units {names} are off at every training point."


def _units_caption(n: BoundaryNumbers) -> str:
    """The ``units`` beat: what each unit the output weighs computes, for this run's depth and activation."""
    if n.layers == 2 and n.activation == "tanh":
        return (
            f"{_each_unit(n.n_h)}, tanh(W1 x + b1), steps across a line: +1 (blue) on one side, −1 (red) on the other."
        )
    name = ACTIVATIONS[n.activation].name
    if n.layers == 2:
        units = _each_unit(n.n_h)
        of = "W1 x + b1"
    else:
        layer = f"hidden layer {n.layers - 1}"
        units = f"The one unit of {layer}" if n.n_h == 1 else f"Each of the {n.n_h} units of {layer}"
        of = f"W{n.layers - 1} a{n.layers - 2} + b{n.layers - 1}"
    if n.layers == 2:
        return f"{units}, {name} of {of}, {_ONE_LAYER_SHAPES[n.activation]}."
    return f"{units}, {name} of {of}, {_DEEP_SHAPES[n.activation]}."


def _each_unit(n_h: int) -> str:
    """The units as a caption names them: "Each of the 4 hidden units", or "The one hidden unit"."""
    return "The one hidden unit" if n_h == 1 else f"Each of the {n_h} hidden units"


def _running_sum_tex(n: BoundaryNumbers, added: list[int], rest: bool) -> str:
    terms = [rf"{tex_number(n.b2)}"]
    for u in added:
        w = n.W2[u]
        sign = "-" if w < 0 else "+"
        terms.append(rf"{sign} {tex_number(abs(w))}\,a_{{{u + 1}}}")
    if rest:
        terms.append(rf"+ \textstyle\sum_{{\text{{other {len(n.other_units)}}}}}")
    return r"\hat{y} = \sigma\big(" + " ".join(terms) + r"\big)"


class DecisionBoundary(Narrated, RasterScene):
    """Training moves the decision boundary; then the boundary taken apart into its hidden units.

    Attributes
    ----------
    history : History
        The run shown (``$NN_HISTORY``).
    numbers : BoundaryNumbers
        Every number and claim of the segment; the captions and the beats read the same ones.
    captions : dict of str to str
        Each beat's caption.
    extent : Extent
        The window of input space every picture shows.
    clock : IterationClock
        Drives the training view through :func:`training_schedule`.
    panel, readout, diagram, legend, curve
        The training view: the boundary picture, the iteration / cost / accuracy readout, the
        network's weights, the picture's colour key and the cost curve.
    cells : list of Group
        The ``units`` beat's heatmaps, one per shown unit, each with its name and ``W2`` weight.
    units_row : Group
        The row of :attr:`cells`.
    more_units : MathTex or None
        "+ k more" after the row when some units have no heatmap (``numbers.other_units``).
    output : BoundaryPanel
        The ``sum`` beat's picture of the running sum.
    total : MathTex
        The running sum's formula on screen.
    """

    def construct(self) -> None:
        """Play the beats in order."""
        self.history = load_history()
        schedule = training_schedule(self.history)
        self.numbers = boundary_numbers(self.history, schedule)
        self.captions = captions(self.numbers)
        self.extent = history_extent(self.history, aspect=1.0)
        self.clock = IterationClock(schedule)
        self.picture_beat()
        self.before_beat()
        self.training_beat("early", self.numbers.milestone, self.numbers.early_seconds)
        self.training_beat("late", self.numbers.T, self.numbers.late_seconds)
        self.result_beat()
        self.units_beat()
        self.sum_beat()
        fade_to_black(self, run_time=1.0)

    # --- training -------------------------------------------------------------------------------

    def _training_view(self) -> Text:
        """Lay out the training view at iteration 0 (picture left, the rest right); return its heading."""
        h = self.history
        heading = Text("Training moves the decision boundary", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        self.panel = BoundaryPanel(h, PANEL_HEIGHT, extent=self.extent, iteration=0)
        self.panel.to_corner(DOWN + LEFT, buff=0.3)
        x_right = self.panel.get_right()[0] + 0.45  # left edge of the right-hand column
        self.readout = IterationReadout(h, 0, font_size=30)
        if self.numbers.step != "iteration":  # the snapshots are epochs': say so
            label = self.readout.labels[0]
            epoch = MathTex(r"\text{epoch}", font_size=30, color=MUTED).move_to(label, aligned_edge=LEFT)
            epoch.shift((label[0][0].get_bottom()[1] - epoch[0][0].get_bottom()[1]) * UP)  # one baseline
            self.readout.labels.remove(label)
            self.readout.labels.add_to_back(epoch)
        self.test_readout = TestAccuracy.of(h, self.readout, font_size=30)
        if self.test_readout is not None:
            self.readout.add(self.test_readout)
        self.readout.move_to((x_right, self.panel.get_top()[1], 0), aligned_edge=UP + LEFT)
        # TODO(issue 27): the diagram of a deeper network (scenes/common/network.py) draws every layer.
        self.diagram = NetworkDiagram(h, 0, **asdict(DIAGRAM)) if self.numbers.diagram else None
        if self.diagram is not None:
            self.diagram.move_to((6.8, self.readout.get_center()[1], 0), aligned_edge=RIGHT)
        self.legend = _probability_legend(3.2, 22, test=bool(self.numbers.m_test))
        self.legend.next_to(self.readout, DOWN, buff=0.4).align_to(self.readout, LEFT)
        # A test-accuracy row pushes the legend down: the curve gives up that height.
        grown = self.test_readout.height + 0.25 if self.test_readout is not None else 0.0
        self.curve = CostCurves.single(h, width=5.3, height=2.5 - grown, font_size=22, iteration=0, detail=True)
        self.curve.move_to((6.8, -3.75, 0), aligned_edge=DOWN + RIGHT)
        return heading

    def picture_beat(self) -> None:
        """What the picture shows, at iteration 0: the heading, the picture and its colour key."""
        heading = self._training_view()
        # Fades in are black curtains fading out (see reveal): one rectangle per frame, not hundreds
        # of glyphs.
        with self.beat("picture", self.captions["picture"]):
            self.play(reveal(self, heading, self.panel, self.legend, run_time=1.5))

    def before_beat(self) -> None:
        """The untrained network: its readout, its weights and its cost curve."""
        with self.beat("before", self.captions["before"]):
            shown = [self.readout, self.curve] + ([self.diagram] if self.diagram is not None else [])
            self.play(reveal(self, *shown, run_time=1.5))

    def training_beat(self, name: str, until: int, seconds: float) -> None:
        """Beat ``name``: the clock runs to iteration ``until`` in ``seconds``, every view following it."""
        views: list = [self.panel, self.readout, self.curve]
        if self.test_readout is not None:
            views.append(self.test_readout)
        if self.diagram is not None:  # only the edges change
            edges = vars(self.diagram).get("layer_edges") or [self.diagram.edges_1, self.diagram.edges_2]
            views.append((self.diagram, list(edges)))
        # with a voice, both clock runs scaled by one factor to fit their lines (their pace ratio, "faster", kept)
        runs = {"early": self.numbers.early_seconds, "late": self.numbers.late_seconds}
        scale = self.fit_to_speech({b: (self.captions[b], s) for b, s in runs.items()})
        with self.beat(name, self.captions[name]):
            with self.clock.driving(self, *views):
                self.play(self.clock.advance_to(until, run_time=seconds * scale))

    def result_beat(self) -> None:
        """The final readout, then the picture with the points still misclassified."""
        with self.beat("result", self.captions["result"]):
            self.play(
                Succession(
                    Circumscribe(self.readout, color=HIGHLIGHT, buff=0.1, run_time=1.5),
                    Circumscribe(self.panel, color=HIGHLIGHT, buff=0.05, run_time=1.5),
                )
            )

    # --- the decomposition ------------------------------------------------------------------------

    def _unit_cells(self) -> None:
        """The shown units' ``tanh`` fields at iteration T in a row, each named and weighted by ``W2``."""
        n = self.numbers
        self.more_units: MathTex | None = None
        if n.other_units:
            self.more_units = MathTex(rf"+\,{len(n.other_units)}\ \text{{more}}", font_size=26, color=MUTED)
        row_width = 8.2 - (self.more_units.width + 0.25 if self.more_units is not None else 0.0)
        gap = 0.45
        k = len(n.shown_units)
        side = min(2.1, (row_width - gap * (k - 1)) / k)
        side_px = max(round(side * pixels_per_unit()), 2)
        small = BoundaryField(self.history, side_px, side_px, self.extent, point_radius_px=0)
        fields = small.hidden(small.parameters(n.T))  # (n_h, side_px, side_px)
        self.unit_range = _unit_range(n.activation, fields[list(n.shown_units)])
        scale_2 = float(np.abs(n.W2).max()) or 1.0
        texs = [rf"\times\,{tex_number(n.W2[u])}" for u in n.shown_units] + [rf"a_{{{u + 1}}}" for u in n.shown_units]
        prefetch(texs)  # the weights and the units' names in one LaTeX run
        weights = [
            MathTex(rf"\times\,{tex_number(n.W2[u])}", font_size=28, color=value_color(n.W2[u], scale_2))
            for u in n.shown_units
        ]
        # Narrow tiles (many units beside "+ k more"): the weights under them shrink to the tiles'
        # width, so the row keeps the width it was given and the arrow after it its room.
        widest = max(w.width for w in weights)
        if widest > side + gap * 0.5:
            for w in weights:
                w.scale((side + gap * 0.5) / widest)
        self.cells: list[Group] = []
        for u, weight in zip(n.shown_units, weights, strict=True):
            tile = FieldPanel(fields[u], self.unit_range[2])
            name = MathTex(rf"a_{{{u + 1}}}", font_size=28, color=TEXT).next_to(tile, UP, buff=0.12)
            weight.next_to(tile, DOWN, buff=0.12)
            self.cells.append(Group(tile, name, weight))
        self.units_row = Group(*self.cells)
        if widest > side:  # the tiles, not their wider weights, keep the pace: the weights share the gaps
            for i, cell in enumerate(self.cells):
                cell.shift((i * (side + gap) - cell[0].get_left()[0]) * RIGHT)
            self.units_row.shift((-6.8 - self.cells[0][0].get_left()[0]) * RIGHT)
            self.units_row.shift((0.45 - self.units_row.get_center()[1]) * UP)
        else:
            self.units_row.arrange(RIGHT, buff=gap)
            self.units_row.move_to((-6.8, 0.45, 0), aligned_edge=LEFT)
        if self.more_units is not None:
            self.more_units.next_to(self.units_row, RIGHT, buff=0.25)

    def units_beat(self) -> None:
        """The training view fades out; the law, then each shown unit's ``tanh`` field as a heatmap."""
        heading = Text("Where the boundary comes from", font_size=HEADING_SIZE, color=TEXT)
        heading.to_corner(UP + LEFT, buff=0.3)
        law = _law(self.numbers.layers, self.numbers.activation)
        law.next_to(heading, DOWN, buff=0.3).align_to(heading, LEFT)
        self._unit_cells()
        tanh_legend = _tanh_legend(*self.unit_range)
        tanh_legend.next_to(self.units_row, DOWN, buff=0.35).align_to(self.units_row, LEFT)
        tail = [tanh_legend] + ([self.more_units] if self.more_units is not None else [])
        with self.beat("units", self.captions["units"]):
            fade_to_black(self, run_time=1.0)
            self.play(reveal(self, heading, law, run_time=1.2))
            cells = [reveal(self, c) for c in self.cells]
            self.play(LaggedStart(*cells, reveal(self, *tail), lag_ratio=0.25, run_time=2.6))

    def _sum_tex(self, added: list[int], rest: bool) -> MathTex:
        """The running sum's formula with the units ``added`` (and the rest together), in its place."""
        total = MathTex(_running_sum_tex(self.numbers, added, rest), font_size=30, color=TEXT)
        room = config.frame_width / 2 - 0.2 - SUM_CORNER[0]
        if total.width > room:  # long weights (powers of ten): keep the sum inside the frame
            total.scale_to_fit_width(room)
        return total.move_to(SUM_CORNER, aligned_edge=LEFT)

    def sum_beat(self) -> None:
        """The output picture from ``b2`` alone, the units added one by one: the trained boundary."""
        n = self.numbers
        self.output = BoundaryPanel(self.history, 4.5, extent=self.extent, iteration=n.T, misclassified=False)
        self.output.move_to((6.75, 0.1, 0), aligned_edge=RIGHT)
        label = MathTex(r"\hat{y}", font_size=30, color=TEXT).next_to(self.output, UP, buff=0.12)
        y = self.units_row.get_center()[1]
        arrow = Arrow(
            [(self.more_units if self.more_units is not None else self.units_row).get_right()[0] + 0.1, y, 0],
            [self.output.get_left()[0] - 0.05, y, 0],
            color=MUTED,
            buff=0.05,
            stroke_width=3,
        )
        field = self.output.field
        hidden = field.hidden(field.parameters(n.T))  # (n_h, h, w) on the output panel's grid
        z = np.full(hidden.shape[1:], n.b2)  # (h, w) the logit so far
        self.output.show_logits(z)
        self.total = self._sum_tex([], False)
        with self.beat("sum", self.captions["sum"]):
            self.play(Create(arrow), reveal(self, self.output, label, self.total), run_time=1.2)
            added: list[int] = []
            for u, cell in zip(n.shown_units, self.cells, strict=True):
                added.append(u)
                z = self._add_term(cell, z, n.W2[u] * hidden[u], self._sum_tex(added, False))
            if self.more_units is not None:
                rest = sum(n.W2[u] * hidden[u] for u in n.other_units)
                z = self._add_term(self.more_units, z, rest, self._sum_tex(added, True))
            # The full sum is the trained network: show its picture of iteration T exactly.
            self.output.set_iteration(n.T)
            self.play(Circumscribe(self.output, color=HIGHLIGHT, buff=0.05), run_time=1.2)

    def _add_term(self, marked: Mobject, start: np.ndarray, term: np.ndarray, new_total: MathTex) -> np.ndarray:
        """Mark ``marked``, morph the output picture from ``start`` to ``start + term``, update the sum.

        One play; returns the new logit ``start + term``. The picture follows a tracker through an
        updater rather than being animated itself: animating a part of a group makes Manim split
        the group in the scene's list.
        """
        out = self.output
        mark = SurroundingRectangle(marked, color=HIGHLIGHT, buff=0.06)
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
                    alpha.animate(rate_func=linear).set_value(1.0),  # type: ignore[operator, arg-type]  # .animate(**options)
                    FadeOut(self.total),
                    FadeIn(new_total),
                    run_time=1.4,
                ),
                FadeOut(mark, run_time=0.3),
            )
        )
        out.image.remove_updater(follow)
        follow(out.image)
        self.total = new_total
        return start + term


__all__ = ["BoundaryNumbers", "DecisionBoundary", "boundary_numbers", "captions", "training_schedule"]
