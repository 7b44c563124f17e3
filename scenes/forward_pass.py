r"""``manim render scenes/forward_pass.py``: one real data point travels through the network, twice.

Segment *The forward pass* of the lecture (``-ql`` for a quick 480p preview). One data point of
the history (chosen by :func:`choose_point`, never at random) enters the
:class:`~scenes.common.network.NetworkDiagram`; every hidden unit shows its ``z = w·x + b`` and
``tanh(z)``, the output unit its ``σ(z)`` next to the true label. This is shown first with the
initial parameters (a guess near 0.5), then with the trained ones (index ``T`` of the history):
the same two beats (:meth:`ForwardPass.hidden_beat`, :meth:`ForwardPass.output_beat`) played
once per pass. The segment ends on the cost formula with the real cost of both iterations and
the recorded cost curve.

Every number comes from the history (:func:`scenes.common.history.load_history`, ``$NN_HISTORY``);
:func:`forward_numbers` computes them and every claim made about them (:class:`ForwardNumbers`,
:class:`Pass`), :func:`captions` narrates them, all free of Manim state so that
``tests/test_scene_forward_pass.py`` can check them. The scene draws from the same facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Animation,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    LaggedStart,
    ManimColor,
    MathTex,
    Scene,
    Text,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from nncore import History
from nncore.model import cost, forward
from scenes.common.curves import CostCurves
from scenes.common.format import caption_number, count, tex_number, vector_text
from scenes.common.frame import keep_in_frame
from scenes.common.history import load_history
from scenes.common.narration import Narrated
from scenes.common.network import NetworkDiagram
from scenes.common.palette import CLASS_COLORS, HIGHLIGHT, MUTED, NEGATIVE, SYMBOL_COLORS, TEXT, value_color

CONFIDENT = 0.95
"""The followed point is the first one the trained network gives at least this probability of its label."""

GUESS_BAND = 0.05
"""An output within this distance of 0.5 is narrated as a guess."""

SURE = 0.9
"""A correct output is narrated as confident from this probability of the label on."""

TINY_WEIGHT = 0.1
"""The initial weights are narrated as tiny (thin edges) when every one is smaller than this."""

LINEAR_TANH = 0.2
"""When every initial ``|z|`` of the hidden layer is below this, the caption says ``tanh(z) ≈ z``."""

LN2 = math.log(2.0)
"""The cost of answering 0.5 for every point."""

LN2_TOLERANCE = 0.01
"""A first cost this close to :data:`LN2` is said (and shown) to be about ln 2."""

HEADING_SIZE = 40
BODY_SIZE = 32
CELL_SIZE = 28
LABEL_SIZE = 24

PANEL_LEFT = -0.2

PANEL_WIDTH = 6.9
"""The widest a line of the right-hand panel may be, from :data:`PANEL_LEFT` to the frame's edge."""
"""Left edge of the panel of numbers (the diagram is on the left half of the frame)."""

Which = Literal["initial", "trained"]
"""The two passes of the segment: with the initial parameters and with the trained ones."""

Judgement = Literal["guess", "wrong", "confident", "unsure"]
"""What one pass's output amounts to for the followed point (see :meth:`Pass.judgement`)."""

VERDICTS: dict[Judgement, str] = {
    "guess": "a useless guess near 0.5",
    "wrong": "wrong: the network misclassifies this point",
    "confident": "a confident, correct answer",
    "unsure": "correct, but not confident",
}
"""The words of each judgement, as the caption and the picture write them."""


def choose_point(history: History, threshold: float = CONFIDENT) -> int:
    """The data point the segment follows: a rule on the history, never random.

    The first point (lowest index) to which the trained network gives probability at least
    ``threshold`` of its true label, so the trained pass shows a confident, correct answer; if
    there is none (a short run), the point with the highest probability of its label.

    Parameters
    ----------
    history : History
    threshold : float

    Returns
    -------
    int
        Column index into ``history.X``.
    """
    a2 = forward(history.X, history.params(history.iterations)).A2[0]  # (m,)
    y = history.Y[0]  # (m,)
    p_label = np.where(y > 0.5, a2, 1.0 - a2)  # (m,)
    confident = np.flatnonzero(p_label >= threshold)
    if confident.size:
        return int(confident[0])
    return int(np.argmax(p_label))


@dataclass(frozen=True)
class Pass:
    """One forward pass of the followed point with the parameters of one iteration.

    Attributes
    ----------
    iteration : int
    z1, a1 : ndarray, shape (n_h,)
    z2, a2 : float
    loss : float
        The point's log loss ``-(y log a2 + (1 - y) log(1 - a2))``.
    cost : float
        The recorded cost of the whole data set at this iteration (``history.cost``).
    max_w1, max_w2 : float
        Largest ``|W1|`` and ``|W2|`` entries of the iteration.
    """

    iteration: int
    z1: np.ndarray
    a1: np.ndarray
    z2: float
    a2: float
    loss: float
    cost: float
    max_w1: float
    max_w2: float

    def correct(self, y: float) -> bool:
        """Whether the thresholded prediction ``a2 > 0.5`` equals the label ``y``."""
        return (self.a2 > 0.5) == (y > 0.5)

    def p_label(self, y: float) -> float:
        """The probability the network gives to the label ``y``."""
        return self.a2 if y > 0.5 else 1.0 - self.a2

    @property
    def is_guess(self) -> bool:
        """Whether the output is within :data:`GUESS_BAND` of 0.5."""
        return abs(self.a2 - 0.5) < GUESS_BAND

    @property
    def prob_digits(self) -> int:
        """Digits of the output: five near 0.5 (so 0.49965 is not rounded to 0.500), else three."""
        return 5 if self.is_guess else 3

    @property
    def max_weight(self) -> float:
        """The largest ``|weight|`` of either layer."""
        return max(self.max_w1, self.max_w2)

    def judgement(self, y: float) -> Judgement:
        """What the output amounts to for label ``y``: a guess, wrong, or correct (confident or not)."""
        if self.is_guess:
            return "guess"
        if not self.correct(y):
            return "wrong"
        return "confident" if self.p_label(y) >= SURE else "unsure"


@dataclass(frozen=True)
class ForwardNumbers:
    """Every number the segment shows, and every claim made about them (properties).

    Attributes
    ----------
    index : int
        The followed point (column of ``X``), see :func:`choose_point`.
    x : ndarray, shape (n_x,)
    y : float
    m, n_h, n_x : int
    initial, trained : Pass
        Index 0 and index ``T`` of the history.
    """

    index: int
    x: np.ndarray
    y: float
    m: int
    n_h: int
    n_x: int
    initial: Pass
    trained: Pass

    def pass_of(self, which: Which) -> Pass:
        """The pass ``which`` (``"initial"`` or ``"trained"``)."""
        return self.initial if which == "initial" else self.trained

    @property
    def label(self) -> str:
        """The point's label as written: ``"1"`` or ``"0"``."""
        return "1" if self.y > 0.5 else "0"

    @property
    def label_class(self) -> int:
        """The point's class (index into the class colours)."""
        return int(self.y > 0.5)

    @property
    def chosen_confidently(self) -> bool:
        """Whether the point was chosen by :data:`CONFIDENT` (else it is the surest point)."""
        return self.trained.p_label(self.y) >= CONFIDENT

    @property
    def weights_tiny(self) -> bool:
        """Whether every initial weight is smaller than :data:`TINY_WEIGHT` (thin edges)."""
        return self.initial.max_weight < TINY_WEIGHT

    @property
    def weights_grew(self) -> bool:
        """Whether training made the largest weight larger."""
        return self.trained.max_weight > self.initial.max_weight

    @property
    def initial_spread(self) -> float:
        """The largest initial ``|z|`` of the hidden layer."""
        return float(np.abs(self.initial.z1).max())

    @property
    def initially_linear(self) -> bool:
        """Whether every initial ``|z|`` is small enough that ``tanh(z) ≈ z`` (:data:`LINEAR_TANH`)."""
        return self.initial_spread < LINEAR_TANH

    @property
    def starts_at_ln2(self) -> bool:
        """Whether the first cost is about ln 2 (:data:`LN2_TOLERANCE`): the cost of answering 0.5."""
        return abs(self.initial.cost - LN2) < LN2_TOLERANCE


def _pass(history: History, iteration: int, x: np.ndarray, y: float) -> Pass:
    p = history.params(iteration)
    c = forward(x.reshape(-1, 1), p)
    return Pass(
        iteration=iteration,
        z1=c.Z1[:, 0],
        a1=c.A1[:, 0],
        z2=float(c.Z2[0, 0]),
        a2=float(c.A2[0, 0]),
        loss=cost(c.Z2, np.array([[y]])),
        cost=float(history.cost[iteration]),
        max_w1=float(np.abs(p.W1).max()),
        max_w2=float(np.abs(p.W2).max()),
    )


def forward_numbers(history: History) -> ForwardNumbers:
    """Compute what the segment shows from ``history``."""
    i = choose_point(history)
    x = np.array(history.X[:, i])
    y = float(history.Y[0, i])
    return ForwardNumbers(
        index=i,
        x=x,
        y=y,
        m=history.m,
        n_h=history.hidden_units,
        n_x=history.n_x,
        initial=_pass(history, 0, x, y),
        trained=_pass(history, history.iterations, x, y),
    )


def verdict(p: Pass, y: float) -> str:
    """A short judgement of one pass's output, true to its numbers (:data:`VERDICTS`)."""
    return VERDICTS[p.judgement(y)]


def _prob(p: Pass) -> str:
    """The pass's output for a caption: ``σ(z2) = 0.000322``; just ``σ(z2)`` for a guess (its verdict says 0.5)."""
    return "σ(z2)" if p.is_guess else f"σ(z2) = {caption_number(p.a2)}"


def _range(values: np.ndarray) -> str:
    """``from lo to hi`` of a layer's values, or the value when there is one."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if np.size(values) == 1 or caption_number(lo) == caption_number(hi):
        return caption_number(lo) if np.size(values) == 1 else f"all about {caption_number(lo)}"
    return f"from {caption_number(lo)} to {caption_number(hi)}"


def captions(n: ForwardNumbers) -> dict[str, str]:
    """The narration of every beat, in order, with the real numbers filled in.

    Written to be heard: numbers to three significant digits (a bound rounded so that "at most"
    stays true), a layer's values by their range (the picture shows each one).

    Returns
    -------
    dict
        Beat name → caption.
    """
    p0, pt, y = n.initial, n.trained, n.label
    why = (
        f"the first one the trained network gets right with at least {round(100 * CONFIDENT)}% confidence"
        if n.chosen_confidently
        else "the one the trained network is surest about"
    )
    largest0 = caption_number(p0.max_weight, 2, bound="up")
    return {
        "network": (
            f"Our {n.n_x}-{n.n_h}-1 network, untrained: "
            + (
                f"every weight is at most {largest0}, so the edges are thin. "
                if n.weights_tiny
                else f"its weights are at most {largest0} in size. "
            )
            + f"We follow data point {n.index + 1} of {n.m}, label {y}, {why}."
        ),
        "input_initial": f"Its coordinates enter the two input units: x = {vector_text(n.x)}.",
        "hidden_initial": (
            "Each hidden unit computes z = w·x + b, then tanh(z). "
            + (
                f"With such small weights |z| is at most {caption_number(n.initial_spread, 2, bound='up')}, "
                "where tanh(z) ≈ z: tanh passes each z on almost unchanged."
                if n.initially_linear
                else f"Here z runs {_range(p0.z1)}, and tanh(z) {_range(p0.a1)}."
            )
        ),
        "output_initial": (
            f"The output unit computes z2 = {caption_number(p0.z2)} and {_prob(p0)}: "
            f"{verdict(p0, n.y)}, for a point whose label is {y}."
        ),
        "trained": (
            f"After {count(pt.iteration, 'iteration')} of gradient descent the weights have "
            f"{'grown' if n.weights_grew else 'changed'}: the largest is "
            f"{caption_number(pt.max_w1)} in the first layer and {caption_number(pt.max_w2)} in the second."
        ),
        "hidden_trained": (
            f"The same point now gives z {_range(pt.z1)}, and tanh squashes them into values {_range(pt.a1)}."
            if n.n_h > 1
            else f"The same point now gives z = {caption_number(pt.z1[0])}, and tanh squashes it to "
            f"{caption_number(pt.a1[0])}."
        ),
        "output_trained": f"z2 = {caption_number(pt.z2)}, so {_prob(pt)} for label {y}: {verdict(pt, n.y)}.",
        "cost": (
            f"Averaged over all {n.m} points, this loss is the cost J: {caption_number(p0.cost)} at first"
            + (" (about ln 2, the cost of always answering 0.5)" if n.starts_at_ln2 else "")
            + f", {caption_number(pt.cost)} after {count(pt.iteration, 'iteration')}. Our point's own loss went from "
            f"{caption_number(p0.loss)} to {caption_number(pt.loss)}."
        ),
    }


# --- the scene -----------------------------------------------------------------------------------


VERDICT_COLORS: dict[Judgement, ManimColor] = {
    "guess": MUTED,
    "wrong": NEGATIVE,
    "confident": HIGHLIGHT,
    "unsure": HIGHLIGHT,
}
"""The colour of each judgement's words under the table."""


def _heading(text: str) -> Text:
    return Text(text, font_size=HEADING_SIZE, color=TEXT).to_edge(UP, buff=0.3)


@dataclass
class CostColumn:
    """The cost beat's left column: the cost of both iterations, the ln 2 note if true, our point's loss."""

    group: VGroup
    first: MathTex
    note: MathTex | None
    last: MathTex
    point: MathTex


class ForwardPass(Narrated, Scene):
    """One data point through the network: initial parameters, then trained ones; then the cost.

    Attributes
    ----------
    history : History
    numbers : ForwardNumbers
    captions : dict
        Beat name → caption (:func:`captions`).
    heading : Text
        The heading on screen.
    diagram : NetworkDiagram
    titles, tag : Mobject
        The diagram's layer titles and the tag above it saying whose parameters it shows.
    x_line : MathTex
        The point's coordinates and label, above the table.
    header, icons : VGroup
        The hidden-unit table's header and one node icon per drawn hidden unit.
    in_labels, z_cells, a_cells, out_lines, yhat : VGroup or MathTex
        What the current pass shows: the input values, the table's ``z`` and ``tanh(z)`` cells,
        the output lines under the table and the output value on the diagram.
    cost_view : VGroup
        What the cost beat leaves on screen (faded out at the end).
    """

    def construct(self) -> None:
        """Play the beats in order (see the module docstring)."""
        self.camera.background_color = "#000000"  # type: ignore[union-attr]  # the Cairo camera
        self.history = load_history()
        self.numbers = forward_numbers(self.history)
        self.captions = captions(self.numbers)

        self.network_beat()
        self.input_beat()
        self.hidden_beat("initial")
        self.output_beat("initial")
        self.trained_beat()
        self.hidden_beat("trained")
        self.output_beat("trained")
        self.cost_beat()
        self.play(FadeOut(self.cost_view), run_time=1.0)

    # --- beats -------------------------------------------------------------------------------------

    def network_beat(self) -> None:
        """The network with its initial parameters, under the heading."""
        self.heading = _heading("One point through the network")
        self.diagram = NetworkDiagram(self.history, iteration=0, width=4.6, height=3.6)
        self.diagram.move_to((-4.1, -0.35, 0))
        self.titles = self.diagram.layer_titles(font_size=LABEL_SIZE)
        self.tag = self._tag(0, "initial parameters")
        with self.beat("network", self.captions["network"]):
            self.play(FadeIn(self.heading, shift=0.2 * DOWN), run_time=1.0)
            self.play(Create(self.diagram), FadeIn(self.titles), run_time=2.5)
            self.play(FadeIn(self.tag), run_time=0.8)

    def input_beat(self) -> None:
        """The point's coordinates light the input units and go up to the panel, with its label."""
        n = self.numbers
        self.in_labels = self._input_labels()
        x_line = MathTex(
            "x = ",
            r"\left(" + ",\\ ".join(tex_number(v) for v in n.x) + r"\right)",
            r"\qquad y = ",
            n.label,
            font_size=BODY_SIZE,
            color=TEXT,
        )
        x_line[1].set_color(SYMBOL_COLORS["X"])
        x_line[3].set_color(CLASS_COLORS[n.label_class])
        if x_line.width > PANEL_WIDTH:
            x_line.scale_to_fit_width(PANEL_WIDTH)
        self.x_line = x_line.move_to((0, 2.45, 0)).align_to((PANEL_LEFT, 0, 0), LEFT)
        with self.beat("input_initial", self.captions["input_initial"]):
            self.play(self.diagram.make_layer_fill_animation(n.x, 0), FadeIn(self.in_labels), run_time=1.2)
            self.play(TransformFromCopy(self.in_labels, x_line[1]), FadeIn(x_line[0]), run_time=1.2)
            self.play(FadeIn(x_line[2:]), run_time=0.8)

    def hidden_beat(self, which: Which) -> None:
        """Every drawn hidden unit's ``z`` and ``tanh(z)`` in pass ``which``, in the table beside the diagram.

        The initial pass brings the table (its header, then a unit icon with each ``z``); the
        inputs are lit already. The trained pass lights the inputs again (training cleared them)
        and fills the same table.
        """
        p, x, d = self.numbers.pass_of(which), self.numbers.x, self.diagram
        first = which == "initial"
        if first:
            self.header, self.icons = self._table_frame()
        self.z_cells, self.a_cells = self._cells(p)
        with self.beat(f"hidden_{which}", self.captions[f"hidden_{which}"]):
            if first:
                self.play(FadeIn(self.header), run_time=0.8)
                rows: list[VMobject] = [VGroup(icon, cz) for icon, cz in zip(self.icons, self.z_cells, strict=True)]
            else:
                self.in_labels = self._input_labels()
                self.play(d.make_layer_fill_animation(x, 0), FadeIn(self.in_labels), run_time=1.0)
                rows = list(self.z_cells)
            self.play(d.make_layer_fill_animation(x, 1), LaggedStart(*[FadeIn(r) for r in rows]), run_time=2.0)
            self.play(LaggedStart(*[FadeIn(ca) for ca in self.a_cells]), *self._icon_fills(p), run_time=1.5)

    def output_beat(self, which: Which) -> None:
        """The output unit in pass ``which``: ``z2``, ``σ(z2)`` against the label, and the verdict."""
        p = self.numbers.pass_of(which)
        self.out_lines = self._output_lines(p)
        self.yhat = self._yhat_label(p)
        with self.beat(f"output_{which}", self.captions[f"output_{which}"]):
            self.play(self.diagram.make_layer_fill_animation(self.numbers.x, 2), FadeIn(self.yhat), run_time=1.2)
            self.play(Write(self.out_lines[0]), run_time=1.0)
            self.play(Write(self.out_lines[1]), run_time=1.0)
            self.play(FadeIn(self.out_lines[2]), run_time=0.8)

    def trained_beat(self) -> None:
        """The initial pass is cleared and the edges become the trained weights."""
        pt = self.numbers.trained
        tag = self._tag(pt.iteration, "trained parameters")
        with self.beat("trained", self.captions["trained"]):
            self.play(
                self.diagram.make_clear_activations_animation(),
                FadeOut(self._pass_pieces()),
                *[icon[0].animate.set_fill(opacity=0.0) for icon in self.icons],
                FadeTransform(self.tag, tag),
                run_time=1.2,
            )
            self.play(self.diagram.make_iteration_animation(pt.iteration), run_time=3.0)
        self.tag = tag

    def cost_beat(self) -> None:
        """The cost formula, the cost of both iterations on the recorded curve, and our point's loss."""
        heading = _heading("The cost of both iterations")
        formula = MathTex(
            r"J = -\frac{1}{m} \sum_{i=1}^{m} \Big( y^{(i)} \log a^{[2](i)}"
            r" + (1 - y^{(i)}) \log\big(1 - a^{[2](i)}\big) \Big)",
            font_size=BODY_SIZE + 2,
            color=TEXT,
        ).next_to(heading, DOWN, buff=0.35)
        column = self._cost_column()
        plot, ends = self._cost_plot()
        network = VGroup(self.diagram, self.titles, self.tag, self.x_line, self.header, self.icons)
        with self.beat("cost", self.captions["cost"]):
            self.play(
                FadeOut(VGroup(*network, *self._pass_pieces())), FadeTransform(self.heading, heading), run_time=1.2
            )
            self.play(Write(formula), run_time=2.0)
            # The axes first, then the curve drawn from iteration 0; its tip comes with the last cost.
            self.play(
                FadeIn(VGroup(*[m for m in plot if m not in plot.moving_parts()])), Create(plot.curve), run_time=2.0
            )
            note = [FadeIn(column.note)] if column.note is not None else []
            self.play(FadeIn(column.first), FadeIn(ends[0]), *note, run_time=1.0)
            self.play(FadeIn(column.last), FadeIn(VGroup(plot.tip, ends[1])), run_time=1.0)
            self.play(FadeIn(column.point), run_time=1.0)
        self.heading = heading
        self.cost_view = VGroup(heading, formula, column.group, plot, ends)

    # --- pieces ------------------------------------------------------------------------------------

    def _pass_pieces(self) -> VGroup:
        """What the current pass shows (input values, table cells, output lines and value)."""
        return VGroup(self.z_cells, self.a_cells, self.out_lines, self.yhat, self.in_labels)

    @staticmethod
    def _tag(iteration: int, words: str) -> MathTex:
        tag = MathTex(rf"\text{{iteration {iteration}: {words}}}", font_size=LABEL_SIZE + 4, color=HIGHLIGHT)
        return tag.move_to((-4.1, 2.45, 0))

    def _input_labels(self) -> VGroup:
        """The input values beside the input nodes: above the first, below the last."""
        labels = VGroup()
        for k, node in enumerate(self.diagram.input_nodes):
            lab = MathTex(tex_number(self.numbers.x[k]), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["X"])
            direction = UP if k == 0 else DOWN
            lab.next_to(node, direction, buff=0.12)
            if lab.get_bottom()[1] < self.titles.get_top()[1] + 0.05:  # the inputs are the lowest nodes:
                lab.next_to(node, UP, buff=0.12)  # the value goes above its node, between the inputs
            labels.add(keep_in_frame(lab, 0.15))  # a long value (a wide data set's coordinates) stays inside
        return labels

    def _table_frame(self) -> tuple[VGroup, VGroup]:
        """Header of the hidden-unit table and one small node icon per drawn hidden unit."""
        header = VGroup(
            MathTex(r"\text{unit}", font_size=LABEL_SIZE, color=MUTED),
            MathTex(r"z = w \cdot x + b", font_size=LABEL_SIZE + 2, color=MUTED),
            MathTex(r"\tanh(z)", font_size=LABEL_SIZE + 2, color=MUTED),
        )
        xs = self._columns()
        for h, cx in zip(header, xs, strict=True):
            h.move_to((cx, 1.7, 0))
        icons = VGroup()
        for r, u in enumerate(self.diagram.shown_units):
            circle = Circle(radius=0.2, color=TEXT, stroke_width=2).set_fill(opacity=0.0)
            num = MathTex(str(u + 1), font_size=LABEL_SIZE - 2, color=TEXT).move_to(circle)
            icons.add(VGroup(circle, num).move_to((xs[0], self._row_y(r), 0)))
        return header, icons

    @staticmethod
    def _columns() -> tuple[float, float, float]:
        return (PANEL_LEFT + 0.45, PANEL_LEFT + 2.7, PANEL_LEFT + 5.4)

    def _row_y(self, r: int) -> float:
        """Height of table row ``r``: rows 0.5 apart, closer when there are many hidden units."""
        rows = len(self.diagram.shown_units)
        return 1.2 - r * min(0.5, 2.6 / max(rows, 1))

    def _cells(self, p: Pass) -> tuple[VGroup, VGroup]:
        """The z and tanh(z) value cells of every drawn hidden unit for pass ``p``."""
        xs = self._columns()
        zs, as_ = VGroup(), VGroup()
        for r, u in enumerate(self.diagram.shown_units):
            y = self._row_y(r)
            zs.add(
                MathTex(tex_number(p.z1[u]), font_size=CELL_SIZE, color=SYMBOL_COLORS["Z^{[1]}"]).move_to((xs[1], y, 0))
            )
            as_.add(
                MathTex(tex_number(p.a1[u]), font_size=CELL_SIZE, color=SYMBOL_COLORS["A^{[1]}"]).move_to((xs[2], y, 0))
            )
        return zs, as_

    def _icon_fills(self, p: Pass) -> list[Animation]:
        """Fill each table icon like its hidden node (the diagram's colour for ``tanh(z)``)."""
        return [
            icon[0].animate.set_fill(color=value_color(p.a1[u], 1.0), opacity=0.85)  # type: ignore[misc]  # .animate
            for icon, u in zip(self.icons, self.diagram.shown_units, strict=True)
        ]

    def _output_lines(self, p: Pass) -> VGroup:
        """``z^{[2]}``, ``ŷ = σ(z^{[2]})`` against the label, and the verdict, under the table."""
        n = self.numbers
        top = self._row_y(len(self.diagram.shown_units) - 1) - 0.45
        z_line = MathTex(r"z^{[2]} = ", tex_number(p.z2), font_size=BODY_SIZE, color=TEXT)
        z_line[1].set_color(SYMBOL_COLORS["Z^{[2]}"])
        y_line = MathTex(
            r"\hat{y} = \sigma(z^{[2]}) = ",
            tex_number(p.a2, p.prob_digits),
            r"\qquad \text{label } y = ",
            n.label,
            font_size=BODY_SIZE,
            color=TEXT,
        )
        y_line[1].set_color(SYMBOL_COLORS["A^{[2]}"])
        y_line[3].set_color(CLASS_COLORS[n.label_class])
        judgement = p.judgement(n.y)
        v_line = Text(VERDICTS[judgement], font_size=LABEL_SIZE + 4, color=VERDICT_COLORS[judgement])
        for line in (z_line, y_line, v_line):  # a long verdict or long numbers: keep each inside the frame
            if line.width > PANEL_WIDTH:
                line.scale_to_fit_width(PANEL_WIDTH)
        lines = VGroup(z_line, y_line, v_line).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.move_to((0, min(top, -0.9), 0), aligned_edge=UP).align_to((PANEL_LEFT, 0, 0), LEFT)
        return lines

    def _yhat_label(self, p: Pass) -> MathTex:
        lab = MathTex(tex_number(p.a2, p.prob_digits), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["A^{[2]}"])
        return lab.next_to(self.diagram.output_node, UP, buff=0.15)

    @staticmethod
    def _cost_row(p: Pass) -> MathTex:
        row = MathTex(
            rf"\text{{iteration {p.iteration}:}}\quad J = ", tex_number(p.cost), font_size=BODY_SIZE, color=TEXT
        )
        row[1].set_color(HIGHLIGHT)
        return row

    def _cost_column(self) -> CostColumn:
        """The cost of both iterations (with the ln 2 note when it is true) and our point's loss."""
        n = self.numbers
        first, last = self._cost_row(n.initial), self._cost_row(n.trained)
        note = None
        if n.starts_at_ln2:
            note = MathTex(
                rf"\approx \ln 2 = {tex_number(LN2)}\text{{: answering 0.5 everywhere}}",
                font_size=LABEL_SIZE + 2,
                color=MUTED,
            )
        point = MathTex(
            rf"\text{{our point (}}y = {n.label}\text{{): loss }}",
            tex_number(n.initial.loss),
            r"\to",
            tex_number(n.trained.loss),
            font_size=BODY_SIZE - 2,
            color=TEXT,
        )
        point[1].set_color(HIGHLIGHT)
        point[3].set_color(HIGHLIGHT)
        group = VGroup(*[m for m in (first, note, last, point) if m is not None])
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        if note is not None:
            note.shift(0.2 * UP + 0.3 * RIGHT)
        group.move_to((-3.6, -0.5, 0))
        if group.get_left()[0] < -6.8:
            group.shift((-6.8 - group.get_left()[0]) * RIGHT)
        return CostColumn(group, first, note, last, point)

    def _cost_plot(self) -> tuple[CostCurves, VGroup]:
        """The recorded cost curve (the lecture's log-axis cost plot) and its two ends marked with their values."""
        n = self.numbers
        plot = CostCurves.single(
            self.history, width=5.2, height=3.0, iteration=n.trained.iteration, font_size=LABEL_SIZE
        )
        plot.move_to((3.6, -0.7, 0))
        ends = VGroup()
        # The first label goes up and right: on a log axis the curve runs flat to the right of it at first.
        for p, direction in ((n.initial, UR), (n.trained, UP)):
            dot = Dot(plot.point_of(0, p.iteration), radius=0.07, color=HIGHLIGHT)
            label = MathTex(tex_number(p.cost), font_size=LABEL_SIZE + 2, color=HIGHLIGHT)
            ends.add(VGroup(dot, keep_in_frame(label.next_to(dot, direction, buff=0.12))))
        return plot, ends
