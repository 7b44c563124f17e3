r"""``manim render scenes/forward_pass.py``: one real data point travels through the network, twice.

Segment *The forward pass* of the lecture (``-ql`` for a quick 480p preview). One data point of
the history (chosen by :func:`choose_point`, never at random) enters the
:class:`~scenes.common.NetworkDiagram`; every hidden unit shows its ``z = w·x + b`` and
``tanh(z)``, the output unit its ``σ(z)`` next to the true label. This is shown first with the
initial parameters (a guess near 0.5), then with the trained ones (index ``T`` of the history).
The segment ends on the cost formula with the real cost of both iterations.

Every number comes from the history (:func:`scenes.common.load_history`, ``$NN_HISTORY``);
:func:`forward_numbers` computes them and :func:`captions` narrates them, both free of Manim
state so that ``tests/test_scene_forward_pass.py`` can check them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    LaggedStart,
    MathTex,
    Scene,
    Text,
    TransformFromCopy,
    VGroup,
    Write,
)

from nncore import History
from nncore.model import cost, forward
from scenes.common import (
    CLASS_COLORS,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    SYMBOL_COLORS,
    TEXT,
    NetworkDiagram,
    fmt,
    load_history,
    tex_number,
    value_color,
)
from scenes.common.narration import Narrated

CONFIDENT = 0.95
"""The followed point is the first one the trained network gives at least this probability of its label."""

GUESS_BAND = 0.05
"""An output within this distance of 0.5 is narrated as a guess."""

HEADING_SIZE = 40
BODY_SIZE = 32
CELL_SIZE = 28
LABEL_SIZE = 24

PANEL_LEFT = -0.2
"""Left edge of the panel of numbers (the diagram is on the left half of the frame)."""


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


@dataclass(frozen=True)
class ForwardNumbers:
    """Every number the segment shows.

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


def _c(value: float, digits: int = 3) -> str:
    """A number as the captions write it: :func:`fmt` with a typographic minus (as every segment does)."""
    return fmt(value, digits).replace("-", "\u2212")


def _vec(values: np.ndarray, digits: int = 3) -> str:
    return "(" + ", ".join(_c(v, digits) for v in np.ravel(values)) + ")"


def _label(y: float) -> str:
    return "1" if y > 0.5 else "0"


def _prob_digits(a: float) -> int:
    """Digits for a probability: five near 0.5 (so 0.49965 is not rounded to 0.500), else three."""
    return 5 if abs(a - 0.5) < GUESS_BAND else 3


def _prob(a: float) -> str:
    """A probability for a caption, see :func:`_prob_digits`."""
    return _c(a, _prob_digits(a))


def verdict(p: Pass, y: float) -> str:
    """A short judgement of one pass's output, true to its numbers."""
    if abs(p.a2 - 0.5) < GUESS_BAND:
        return "a useless guess near 0.5"
    if not p.correct(y):
        return "wrong: the network misclassifies this point"
    return "a confident, correct answer" if p.p_label(y) >= 0.9 else "correct, but not confident"


def captions(n: ForwardNumbers) -> dict[str, str]:
    """The narration of every beat, in order, with the real numbers filled in.

    Returns
    -------
    dict
        Beat name → caption.
    """
    p0, pt = n.initial, n.trained
    y = _label(n.y)
    spread0 = float(np.abs(p0.z1).max())
    tiny = max(p0.max_w1, p0.max_w2) < 0.1
    grown = max(pt.max_w1, pt.max_w2) > max(p0.max_w1, p0.max_w2)
    why = (
        f"the first one the trained network gets right with at least {round(100 * CONFIDENT)} % confidence"
        if pt.p_label(n.y) >= CONFIDENT
        else "the one the trained network is surest about"
    )
    ln2 = math.log(2.0)
    near_ln2 = abs(p0.cost - ln2) < 0.01
    v0, vt = verdict(p0, n.y), verdict(pt, n.y)
    return {
        "network": (
            f"Our {n.n_x}-{n.n_h}-1 network with its initial parameters: "
            + ("every weight is tiny" if tiny else "its weights")
            + f" (the largest is {_c(p0.max_w1)} in the first layer, {_c(p0.max_w2)} in the second)"
            + (", so the edges are thin. " if tiny else ". ")
            + f"We follow data point {n.index + 1} of {n.m}, label y = {y}: {why}."
        ),
        "input_initial": (f"Its coordinates enter the two input units: x = {_vec(n.x)}."),
        "hidden_initial": (
            "Each hidden unit computes z = w·x + b, then tanh(z). "
            + (
                f"With such small weights every |z| is at most {_c(spread0)}, where tanh(z) ≈ z: "
                if spread0 < 0.2
                else ""
            )
            + f"z = {_vec(p0.z1)}, tanh(z) = {_vec(p0.a1)}."
        ),
        "output_initial": (
            f"The output unit computes z2 = {_c(p0.z2)} and σ(z2) = {_prob(p0.a2)}: {v0}, "
            f"for a point whose label is {y}."
        ),
        "trained": (
            f"After {pt.iteration} iterations of gradient descent the weights have {'grown' if grown else 'changed'}: "
            f"the largest is "
            f"{_c(pt.max_w1)} in the first layer and {_c(pt.max_w2)} in the second."
        ),
        "hidden_trained": (
            f"The same point, x = {_vec(n.x)}, now gives z = {_vec(pt.z1)}, and tanh squashes them to {_vec(pt.a1)}."
        ),
        "output_trained": (f"z2 = {_c(pt.z2)}, so σ(z2) = {_prob(pt.a2)} for label {y}: {vt}."),
        "cost": (
            f"The cost J averages this loss over all {n.m} points; the recorded curve runs from "
            f"{_c(p0.cost)} with the initial parameters"
            + (f" (about ln 2 = {_c(ln2)}, the cost of answering 0.5 everywhere)" if near_ln2 else "")
            + f" to {_c(pt.cost)} after {pt.iteration} iterations. For our point alone the loss went from "
            f"{_c(p0.loss)} to {_c(pt.loss)}."
        ),
    }


def _heading(text: str) -> Text:
    return Text(text, font_size=HEADING_SIZE, color=TEXT).to_edge(UP, buff=0.3)


class ForwardPass(Narrated, Scene):
    """One data point through the network: initial parameters, then trained ones; then the cost."""

    def construct(self) -> None:
        """Play the beats in order (see the module docstring)."""
        self.camera.background_color = "#000000"
        history = load_history()
        n = forward_numbers(history)
        cap = captions(n)
        colors = SYMBOL_COLORS
        p0, pt = n.initial, n.trained

        heading = _heading("One point through the network")
        diagram = NetworkDiagram(history, iteration=0, width=4.6, height=3.6)
        diagram.move_to([-4.1, -0.35, 0])
        titles = diagram.layer_titles(font_size=LABEL_SIZE)
        tag0 = self._tag(0, "initial parameters")
        tagT = self._tag(pt.iteration, "trained parameters")

        # --- 1. the network, untrained -------------------------------------------------------------
        with self.beat("network", cap["network"]):
            self.play(FadeIn(heading, shift=0.2 * DOWN), run_time=1.0)
            self.play(Create(diagram), FadeIn(titles), run_time=2.5)
            self.play(FadeIn(tag0), run_time=0.8)

        # --- 2. the input ---------------------------------------------------------------------------
        in_labels = self._input_labels(diagram, n.x)
        x_line = MathTex(
            "x = ",
            r"\left(" + ",\\ ".join(tex_number(v) for v in n.x) + r"\right)",
            r"\qquad y = ",
            _label(n.y),
            font_size=BODY_SIZE,
            color=TEXT,
        )
        x_line[1].set_color(colors["X"])
        x_line[3].set_color(CLASS_COLORS[int(n.y > 0.5)])
        x_line.move_to([0, 2.45, 0]).align_to([PANEL_LEFT, 0, 0], LEFT)
        with self.beat("input_initial", cap["input_initial"]):
            self.play(diagram.make_layer_fill_animation(n.x, 0), FadeIn(in_labels), run_time=1.2)
            self.play(TransformFromCopy(in_labels, x_line[1]), FadeIn(x_line[0]), run_time=1.2)
            self.play(FadeIn(x_line[2:]), run_time=0.8)

        # --- 3. the hidden units --------------------------------------------------------------------
        header, icons = self._table_frame(diagram)
        cells0 = self._cells(diagram, p0)
        with self.beat("hidden_initial", cap["hidden_initial"]):
            self.play(FadeIn(header), run_time=0.8)
            self.play(
                diagram.make_layer_fill_animation(n.x, 1),
                LaggedStart(*[FadeIn(VGroup(icon, cz)) for icon, cz in zip(icons, cells0[0], strict=True)]),
                run_time=2.0,
            )
            self.play(
                LaggedStart(*[FadeIn(ca) for ca in cells0[1]]), *self._icon_fills(diagram, icons, p0), run_time=1.5
            )

        # --- 4. the output --------------------------------------------------------------------------
        out0 = self._output_lines(p0, n.y)
        yhat0 = self._yhat_label(diagram, p0)
        with self.beat("output_initial", cap["output_initial"]):
            self.play(diagram.make_layer_fill_animation(n.x, 2), FadeIn(yhat0), run_time=1.2)
            self.play(Write(out0[0]), run_time=1.0)
            self.play(Write(out0[1]), run_time=1.0)
            self.play(FadeIn(out0[2]), run_time=0.8)

        # --- 5. train: the edges grow ---------------------------------------------------------------
        with self.beat("trained", cap["trained"]):
            self.play(
                diagram.make_clear_activations_animation(),
                FadeOut(VGroup(cells0[0], cells0[1], out0, yhat0, in_labels)),
                *[icon[0].animate.set_fill(opacity=0.0) for icon in icons],
                FadeTransform(tag0, tagT),
                run_time=1.2,
            )
            self.play(diagram.make_iteration_animation(pt.iteration), run_time=3.0)

        # --- 6. the same point through the trained hidden layer --------------------------------------
        cellsT = self._cells(diagram, pt)
        in_labelsT = self._input_labels(diagram, n.x)
        with self.beat("hidden_trained", cap["hidden_trained"]):
            self.play(diagram.make_layer_fill_animation(n.x, 0), FadeIn(in_labelsT), run_time=1.0)
            self.play(
                diagram.make_layer_fill_animation(n.x, 1),
                LaggedStart(*[FadeIn(cz) for cz in cellsT[0]]),
                run_time=2.0,
            )
            self.play(
                LaggedStart(*[FadeIn(ca) for ca in cellsT[1]]), *self._icon_fills(diagram, icons, pt), run_time=1.5
            )

        # --- 7. the trained output --------------------------------------------------------------------
        outT = self._output_lines(pt, n.y)
        yhatT = self._yhat_label(diagram, pt)
        with self.beat("output_trained", cap["output_trained"]):
            self.play(diagram.make_layer_fill_animation(n.x, 2), FadeIn(yhatT), run_time=1.2)
            self.play(Write(outT[0]), run_time=1.0)
            self.play(Write(outT[1]), run_time=1.0)
            self.play(FadeIn(outT[2]), run_time=0.8)

        # --- 8. the cost ------------------------------------------------------------------------------
        heading2 = _heading("The cost of both iterations")
        j_formula = MathTex(
            r"J = -\frac{1}{m} \sum_{i=1}^{m} \Big( y^{(i)} \log a^{[2](i)}"
            r" + (1 - y^{(i)}) \log\big(1 - a^{[2](i)}\big) \Big)",
            font_size=BODY_SIZE + 2,
            color=TEXT,
        ).next_to(heading2, DOWN, buff=0.35)
        row0 = self._cost_row(p0.iteration, p0.cost)
        row1 = self._cost_row(pt.iteration, pt.cost)
        ln2 = math.log(2.0)
        left = VGroup(row0)
        note = None
        if abs(p0.cost - ln2) < 0.01:
            note = MathTex(
                rf"\approx \ln 2 = {tex_number(ln2)}\text{{: answering 0.5 everywhere}}",
                font_size=LABEL_SIZE + 2,
                color=MUTED,
            )
            left.add(note)
        left.add(row1)
        point_line = MathTex(
            rf"\text{{our point (}}y = {_label(n.y)}\text{{): loss }}",
            tex_number(p0.loss),
            r"\to",
            tex_number(pt.loss),
            font_size=BODY_SIZE - 2,
            color=TEXT,
        )
        point_line[1].set_color(HIGHLIGHT)
        point_line[3].set_color(HIGHLIGHT)
        left.add(point_line)
        left.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        if note is not None:
            note.shift(0.2 * UP + 0.3 * RIGHT)
        left.move_to([-3.6, -0.5, 0])
        if left.get_left()[0] < -6.8:
            left.shift((-6.8 - left.get_left()[0]) * RIGHT)
        plot = self._cost_plot(history)
        plot.move_to([3.6, -0.7, 0])
        with self.beat("cost", cap["cost"]):
            self.play(
                FadeOut(
                    VGroup(diagram, titles, tagT, x_line, header, icons, cellsT[0], cellsT[1], outT, yhatT, in_labelsT)
                ),
                FadeTransform(heading, heading2),
                run_time=1.2,
            )
            self.play(Write(j_formula), run_time=2.0)
            self.play(FadeIn(plot[0]), Create(plot[1]), run_time=2.0)
            self.play(FadeIn(row0), FadeIn(plot[2][0]), *([FadeIn(note)] if note is not None else []), run_time=1.0)
            self.play(FadeIn(row1), FadeIn(plot[2][1]), run_time=1.0)
            self.play(FadeIn(point_line), run_time=1.0)
        self.play(FadeOut(VGroup(heading2, j_formula, left, plot)), run_time=1.0)

    # --- pieces ------------------------------------------------------------------------------------

    @staticmethod
    def _tag(iteration: int, words: str) -> MathTex:
        tag = MathTex(rf"\text{{iteration {iteration}: {words}}}", font_size=LABEL_SIZE + 4, color=HIGHLIGHT)
        return tag.move_to([-4.1, 2.45, 0])

    @staticmethod
    def _input_labels(diagram: NetworkDiagram, x: np.ndarray) -> VGroup:
        """The input values beside the input nodes: above the first, below the last."""
        labels = VGroup()
        for k, node in enumerate(diagram.input_nodes):
            lab = MathTex(tex_number(x[k]), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["X"])
            direction = UP if k == 0 else DOWN
            labels.add(lab.next_to(node, direction, buff=0.12))
        return labels

    def _table_frame(self, diagram: NetworkDiagram) -> tuple[VGroup, VGroup]:
        """Header of the hidden-unit table and one small node icon per drawn hidden unit."""
        header = VGroup(
            MathTex(r"\text{unit}", font_size=LABEL_SIZE, color=MUTED),
            MathTex(r"z = w \cdot x + b", font_size=LABEL_SIZE + 2, color=MUTED),
            MathTex(r"\tanh(z)", font_size=LABEL_SIZE + 2, color=MUTED),
        )
        xs = self._columns()
        for h, cx in zip(header, xs, strict=True):
            h.move_to([cx, 1.7, 0])
        icons = VGroup()
        self._rows = len(diagram.shown_units)
        for r, u in enumerate(diagram.shown_units):
            circle = Circle(radius=0.2, color=TEXT, stroke_width=2).set_fill(opacity=0.0)
            num = MathTex(str(u + 1), font_size=LABEL_SIZE - 2, color=TEXT).move_to(circle)
            icons.add(VGroup(circle, num).move_to([xs[0], self._row_y(r), 0]))
        return header, icons

    @staticmethod
    def _columns() -> tuple[float, float, float]:
        return (PANEL_LEFT + 0.45, PANEL_LEFT + 2.7, PANEL_LEFT + 5.4)

    def _row_y(self, r: int) -> float:
        """Height of table row ``r``: rows 0.5 apart, closer when there are many hidden units."""
        return 1.2 - r * min(0.5, 2.6 / max(self._rows, 1))

    def _cells(self, diagram: NetworkDiagram, p: Pass) -> tuple[VGroup, VGroup]:
        """The z and tanh(z) value cells of every drawn hidden unit for pass ``p``."""
        xs = self._columns()
        zs, as_ = VGroup(), VGroup()
        for r, u in enumerate(diagram.shown_units):
            y = self._row_y(r)
            zs.add(
                MathTex(tex_number(p.z1[u]), font_size=CELL_SIZE, color=SYMBOL_COLORS["Z^{[1]}"]).move_to([xs[1], y, 0])
            )
            as_.add(
                MathTex(tex_number(p.a1[u]), font_size=CELL_SIZE, color=SYMBOL_COLORS["A^{[1]}"]).move_to([xs[2], y, 0])
            )
        return zs, as_

    @staticmethod
    def _icon_fills(diagram: NetworkDiagram, icons: VGroup, p: Pass) -> list[Animation]:
        """Fill each table icon like its hidden node (the diagram's colour for ``tanh(z)``)."""
        return [
            icon[0].animate.set_fill(color=value_color(p.a1[u], 1.0), opacity=0.85)
            for icon, u in zip(icons, diagram.shown_units, strict=True)
        ]

    def _output_lines(self, p: Pass, y: float) -> VGroup:
        """``z^{[2]}``, ``ŷ = σ(z^{[2]})`` against the label, and the verdict, under the table."""
        top = self._row_y(self._rows - 1) - 0.45
        z_line = MathTex(r"z^{[2]} = ", tex_number(p.z2), font_size=BODY_SIZE, color=TEXT)
        z_line[1].set_color(SYMBOL_COLORS["Z^{[2]}"])
        y_line = MathTex(
            r"\hat{y} = \sigma(z^{[2]}) = ",
            tex_number(p.a2, _prob_digits(p.a2)),
            r"\qquad \text{label } y = ",
            _label(y),
            font_size=BODY_SIZE,
            color=TEXT,
        )
        y_line[1].set_color(SYMBOL_COLORS["A^{[2]}"])
        y_line[3].set_color(CLASS_COLORS[int(y > 0.5)])
        words = verdict(p, y)
        if abs(p.a2 - 0.5) < GUESS_BAND:
            v_color = MUTED
        else:
            v_color = HIGHLIGHT if p.correct(y) else NEGATIVE
        v_line = Text(words, font_size=LABEL_SIZE + 4, color=v_color)
        lines = VGroup(z_line, y_line, v_line).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.move_to([0, min(top, -0.9), 0], aligned_edge=UP).align_to([PANEL_LEFT, 0, 0], LEFT)
        return lines

    @staticmethod
    def _yhat_label(diagram: NetworkDiagram, p: Pass) -> MathTex:
        lab = MathTex(tex_number(p.a2, _prob_digits(p.a2)), font_size=LABEL_SIZE + 2, color=SYMBOL_COLORS["A^{[2]}"])
        return lab.next_to(diagram.output_node, UP, buff=0.15)

    @staticmethod
    def _cost_row(iteration: int, value: float) -> MathTex:
        row = MathTex(rf"\text{{iteration {iteration}:}}\quad J = ", tex_number(value), font_size=BODY_SIZE, color=TEXT)
        row[1].set_color(HIGHLIGHT)
        return row

    @staticmethod
    def _cost_plot(history: History) -> VGroup:
        """The recorded cost against the iteration, its two ends marked: (axes, curve, end labels)."""
        T = history.iterations
        costs = np.asarray(history.cost, dtype=float)  # (T+1,)
        # Enough vertices to follow the curve, few enough to draw cheaply.
        idx = np.unique(np.linspace(0, T, min(T + 1, 300)).round().astype(int))
        y_max = float(costs.max()) * 1.15
        axes = Axes(
            x_range=[0, T, T],
            y_range=[0, y_max, y_max],
            x_length=5.2,
            y_length=3.0,
            tips=False,
            axis_config={"color": MUTED, "include_ticks": False, "stroke_width": 2},
        )
        curve = axes.plot_line_graph(idx, costs[idx], add_vertex_dots=False, line_color=HIGHLIGHT, stroke_width=3)
        x_labels = VGroup(
            MathTex("0", font_size=LABEL_SIZE, color=MUTED).next_to(axes.c2p(0, 0), DOWN, buff=0.15),
            MathTex(str(T), font_size=LABEL_SIZE, color=MUTED).next_to(axes.c2p(T, 0), DOWN, buff=0.15),
            MathTex(r"\text{iteration}", font_size=LABEL_SIZE, color=MUTED).next_to(
                axes.c2p(T / 2, 0), DOWN, buff=0.15
            ),
            MathTex("J", font_size=LABEL_SIZE + 4, color=MUTED).next_to(axes.c2p(0, y_max), LEFT, buff=0.15),
        )
        ends = VGroup()
        for i, direction in ((0, RIGHT), (T, UP)):
            dot = Dot(axes.c2p(i, costs[i]), radius=0.07, color=HIGHLIGHT)
            label = MathTex(tex_number(costs[i]), font_size=LABEL_SIZE + 2, color=HIGHLIGHT)
            label.next_to(dot, direction, buff=0.12)
            ends.add(VGroup(dot, label))
        return VGroup(VGroup(axes, x_labels), curve, ends)
