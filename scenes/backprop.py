r"""``manim render scenes/backprop.py``: backpropagation, the error flowing backwards through the real network.

Renders the segment ``Backprop`` (``-ql`` for a quick look; ``NN_HISTORY=path.npz`` to read
another history). Every number comes from the training history:

1. the update shown is chosen by a rule (the largest gradient norm among the first
   :data:`~scenes.backprop_numbers.SEARCH_WINDOW` updates), so its gradients are large and visible;
2. ``dZ2 = A2 - Y`` is derived from the log loss and drawn per data point (which points push hardest);
3. ``dW2, db2``, then ``tanh' = 1 - A^2``, then ``dZ1, dW1, db1`` appear beside the diagram while
   the gradient flows backwards along its edges and recolours them by the real gradient values;
4. one weight's update ``before - alpha * gradient = after`` with that iteration's numbers, then a
   few updates replayed with the diagram's weights moving.

Each beat is a section (``next_section``) whose lines (:meth:`~scenes.common.narration.Narrated.line`)
narrate it with its numbers. :func:`~scenes.backprop_numbers.backprop_numbers` computes every number
and fact the captions and the picture share, :func:`~scenes.backprop_numbers.captions` writes the
narration (:mod:`scenes.backprop_numbers`, no drawing).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    Mobject,
    Scene,
    ShowPassingFlash,
    SurroundingRectangle,
    Tex,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from nncore import History
from scenes.backprop_numbers import (
    WEIGHT_DIGITS,
    ChosenWeight,
    as_factor,
    backprop_numbers,
    captions,
    lr_text,
    weight_value,
)
from scenes.common.dots import dot_cloud
from scenes.common.format import count, fmt, tex_number
from scenes.common.history import load_history
from scenes.common.layout_check import LayoutSnapshot
from scenes.common.matrix import ValueMatrix
from scenes.common.narration import LineRecord, Narrated
from scenes.common.network import NetworkDiagram
from scenes.common.numbers import GlyphNumber
from scenes.common.palette import (
    CLASS_0,
    CLASS_1,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SYMBOL_COLORS,
    TEXT,
    value_color,
    value_width,
)
from scenes.common.tex import formula

MAX_EDGE_LABELS = 5
"""The output edges carry their gradient's value when at most this many are drawn."""

MAX_MATRIX_ROWS = 5
"""``dW1`` is shown as it is (and its chosen entry boxed) up to this many hidden units, else transposed."""

RIGHT_COLUMN = (-1.4, 6.95)
"""Left and right ends of the column beside the diagram (scene units)."""


# --- small drawing helpers -----------------------------------------------------------------------


def _text(s: str, font_size: float = 30, color: object = TEXT) -> Tex:
    return Tex(s, font_size=font_size, color=color)


def _fit_right(mob: Mobject) -> Mobject:
    """Keep ``mob`` inside the right column: shift it in, and scale it down if it is wider."""
    lo, hi = RIGHT_COLUMN
    if mob.width > hi - lo:
        mob.scale_to_fit_width(hi - lo)
    if mob.get_right()[0] > hi:
        mob.shift((mob.get_right()[0] - hi) * LEFT)
    if mob.get_left()[0] < lo:
        mob.shift((lo - mob.get_left()[0]) * RIGHT)
    return mob


D = TypeVar("D", bound=Mobject)


def _drawn(mob: D | None) -> D:
    """``mob``, a piece of the diagram that it draws (the chosen weight's units always are)."""
    assert mob is not None, "the diagram does not draw this unit"
    return mob


def _reverse_flash(line: VMobject, width: float = 7.0) -> ShowPassingFlash:
    """A bright sliver running along ``line`` from its end back to its start (the backward pass)."""
    back = Line(line.get_end(), line.get_start()).set_stroke(HIGHLIGHT, width=width)
    return ShowPassingFlash(back, time_width=0.5)


class ReplayReadout(VGroup):
    """The replay's rows (iteration, cost, the chosen weight) whose numbers change every frame.

    The numbers are :class:`~scenes.common.numbers.GlyphNumber` (composed from glyphs, no
    re-typesetting), each anchored at its left end just after its label.

    Parameters
    ----------
    history : History
    weight : ChosenWeight
    weight_label : MathTex
        The weight's label (``W_{1,2}^{[1]} =``), coloured like the rest of the segment.
    iteration : int
        The iteration shown first.
    """

    def __init__(self, history: History, weight: ChosenWeight, weight_label: MathTex, iteration: int) -> None:
        super().__init__()
        self.history, self.weight = history, weight
        self.iteration_number = GlyphNumber(str(iteration), font_size=36, color=HIGHLIGHT, align="left")
        self.cost_number = GlyphNumber(fmt(history.cost[iteration]), font_size=36, align="left")
        self.weight_number = GlyphNumber(
            fmt(weight_value(history, weight, iteration), WEIGHT_DIGITS), font_size=36, color=HIGHLIGHT, align="left"
        )
        labels = (_text("iteration", 32), MathTex(r"J =", font_size=36, color=TEXT), weight_label)
        for label, num in zip(labels, (self.iteration_number, self.cost_number, self.weight_number), strict=True):
            # The number follows its label, centred on it vertically (the anchor moves with the group).
            num.set_anchor([label.get_right()[0] + 0.25, 0, 0])
            num.shift((label.get_y() - num.get_y()) * UP)
            self.add(VGroup(label, num))
        self.arrange(DOWN, buff=0.45, aligned_edge=LEFT)

    def set_iteration(self, iteration: int) -> None:
        """Show the numbers of ``iteration``."""
        self.iteration_number.set_text(str(iteration))
        self.cost_number.set_text(fmt(self.history.cost[iteration]))
        self.weight_number.set_text(fmt(weight_value(self.history, self.weight, iteration), WEIGHT_DIGITS))


class Backprop(Narrated, Scene):
    """The backward pass of one real, early update, and the weight update it leads to.

    Attributes
    ----------
    history : History
    numbers : BackpropNumbers
    captions : dict
        Beat name → its lines by name (:func:`captions`); a beat says them with :meth:`say`.
    diagram : NetworkDiagram
        The network, with its layer ``titles`` and the ``note`` above it saying what its edges show.
    heading, roadmap, road_mark : Mobject
        The heading, the row of quantities the backward pass computes, and the box on the current one.
    g_scale : float
        The gradient size drawn at full colour on the edges (the largest ``|dW|`` of the update).
    value_label : Mobject
        The chosen weight's value beside its edge (from the update beat on).
    layout : list of LayoutSnapshot
        Where the blocks were at each beat's fullest moment (:meth:`snapshot`; tests check it).
    """

    # --- layout record --------------------------------------------------------------------------

    def snapshot(self, *right: Mobject, left: Sequence[VMobject] = ()) -> None:
        """Record where everything is now, at a beat's fullest moment (tests check it).

        Parameters
        ----------
        *right : Mobject
            The blocks of the right column, which must not overlap each other or the rest.
        left : sequence of Mobject
            What sits on the diagram (edge labels), counted as part of the diagram's block.
        """
        blocks = {
            "heading": self.heading,
            "roadmap": self.roadmap,
            "diagram": VGroup(self.diagram, self.titles, self.note, *left),
            **{f"right {j}": mob for j, mob in enumerate(right)},
        }
        self.layout.append(LayoutSnapshot.of(self, self.beat_name, blocks))

    def say(self, line: str, *, hold: float = 0.0) -> AbstractContextManager[LineRecord]:
        """Say line ``line`` of the beat being played (its caption in :func:`captions`), as a :meth:`line` block."""
        return self.line(self.captions[self.beat_name][line], hold=hold)

    # --- the scene ------------------------------------------------------------------------------

    def construct(self) -> None:
        """Play the beats in order."""
        self.history = load_history()
        self.layout: list[LayoutSnapshot] = []
        self.diagram = NetworkDiagram(self.history, iteration=0, width=4.2, height=3.3, max_hidden_shown=8)
        self.numbers = backprop_numbers(self.history, self.diagram.shown_units)
        self.captions = captions(self.numbers)
        self.diagram.set_iteration(self.numbers.iteration)
        self.diagram.move_to((-4.3, -0.55, 0))

        self.setup_beat()
        self.output_error_origin_beat()
        self.per_point_error_beat()
        self.output_layer_beat()
        self.tanh_beat()
        self.hidden_layer_beat()
        self.update_beat()
        self.replay_beat()

    # --- layout pieces --------------------------------------------------------------------------

    def _edge_note(self, tex: str) -> Tex:
        """The small note above the diagram saying what the edges show."""
        note = _text(tex, font_size=24, color=MUTED)
        note.move_to((self.diagram.get_x(), self.diagram.get_top()[1] + 0.35, 0))
        return note

    def _right(self, mob: VMobject, top: float = 1.85) -> VMobject:
        """Place ``mob`` in the right column, its top at ``top``."""
        mob.move_to((2.9, 0, 0)).align_to((0, top, 0), UP)
        return mob

    def _roadmap(self) -> VGroup:
        items = [
            formula(r"A^{[2]}", font_size=30),
            formula(r"dZ^{[2]}", font_size=30),
            formula(r"dW^{[2]},\ db^{[2]}", font_size=30),
            formula(r"dZ^{[1]}", font_size=30),
            formula(r"dW^{[1]},\ db^{[1]}", font_size=30),
        ]
        row = VGroup()
        for j, item in enumerate(items):
            if j:
                row.add(MathTex(r"\longrightarrow", font_size=30, color=MUTED))
            row.add(item)
        row.arrange(RIGHT, buff=0.3)
        row.move_to((0, 2.6, 0))
        self.road_items = items
        return row

    def _mark_road(self, j: int) -> SurroundingRectangle:
        return SurroundingRectangle(self.road_items[j], color=HIGHLIGHT, buff=0.1, corner_radius=0.08)

    def _move_mark(self, j: int) -> None:
        new = self._mark_road(j)
        self.play(self.road_mark.animate.become(new), run_time=0.6)

    # --- beats ----------------------------------------------------------------------------------

    def setup_beat(self) -> None:
        """Heading, roadmap, the diagram with the weights of the chosen iteration."""
        n = self.numbers
        # Pango text, as the other segments' headings.
        heading = self.heading = Text("Backpropagation", font_size=40, color=TEXT).to_edge(UP, buff=0.3)
        self.roadmap = self._roadmap()
        self.titles = self.diagram.layer_titles(font_size=22)
        self.note = self._edge_note(rf"edges: weights at iteration {n.iteration}")
        facts = VGroup(
            _text(rf"update {n.iteration}: largest gradient", font_size=30),
            _text(rf"of the first {count(n.window, 'update')}", font_size=30),
            MathTex(rf"\lVert \nabla J \rVert = {tex_number(n.grad_norm)}", font_size=34, color=HIGHLIGHT),
            MathTex(rf"J = {tex_number(n.cost)}", font_size=34, color=TEXT),
        ).arrange(DOWN, buff=0.25)
        self._right(facts, top=1.4)
        with self.beat("setup"):
            with self.say("largest_gradient"):
                self.play(FadeIn(heading), FadeIn(self.diagram), FadeIn(self.titles), FadeIn(self.note), run_time=1.5)
                self.play(FadeIn(facts, shift=0.2 * UP), run_time=1.0)
            with self.say("error_flows_back", hold=0.3):
                self.play(FadeIn(self.roadmap), run_time=1.0)
                self.road_mark = self._mark_road(0)
                self.play(Create(self.road_mark), Indicate(self.diagram.output_node, color=HIGHLIGHT), run_time=1.0)
                self.snapshot(facts)
            self.play(FadeOut(facts), run_time=0.6)

    def output_error_origin_beat(self) -> None:
        """Derive dZ2 = A2 - Y from the log loss and the sigmoid."""
        steps = VGroup(
            formula(r"L = -\big(Y \log A^{[2]} + (1-Y)\log(1-A^{[2]})\big)", font_size=30),
            formula(r"\frac{\partial L}{\partial A^{[2]}} = -\frac{Y}{A^{[2]}} + \frac{1-Y}{1-A^{[2]}}", font_size=30),
            formula(r"\frac{\partial A^{[2]}}{\partial Z^{[2]}} = A^{[2]}(1-A^{[2]})", font_size=30),
        ).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        self._right(steps, top=1.85)
        with self.beat("output_error_origin"):
            with self.say("two_slopes"):
                self._move_mark(1)
                for s in steps:
                    self.play(Write(s), run_time=1.2)
            with self.say("cancel", hold=0.5):
                result = formula(
                    r"dZ^{[2]} = \frac{\partial L}{\partial A^{[2]}}\,\frac{\partial A^{[2]}}{\partial Z^{[2]}}"
                    r" = A^{[2]} - Y",
                    font_size=32,
                )
                result.next_to(steps, DOWN, buff=0.45).set_x(steps.get_x())
                box = SurroundingRectangle(result[0][-6:], color=HIGHLIGHT, buff=0.08)
                self.play(Write(result), run_time=1.5)
                self.play(Create(box), run_time=0.6)
                self.snapshot(steps, VGroup(result, box))
            self.play(FadeOut(steps), FadeOut(result), FadeOut(box), run_time=0.6)

    def per_point_error_beat(self) -> None:
        """Draw every point sized and brightened by its error |A2 - Y| at the chosen iteration."""
        n = self.numbers
        title = formula(r"dZ^{[2]} = A^{[2]} - Y", font_size=32)
        self._right(title, top=1.95)
        axes, dots = self._error_scatter(title)
        ring = Circle(radius=0.15, color=HIGHLIGHT, stroke_width=3).move_to(axes.c2p(*n.hard_x))
        legend = VGroup(
            _text(r"dot size $=|A^{[2]}-Y|$", font_size=24, color=MUTED),
            VGroup(Dot(radius=0.06, color=CLASS_0), _text("$y=0$", font_size=24)).arrange(RIGHT, buff=0.12),
            VGroup(Dot(radius=0.06, color=CLASS_1), _text("$y=1$", font_size=24)).arrange(RIGHT, buff=0.12),
            _text(rf"wrong side: {n.wrong}", font_size=24),
            MathTex(rf"\max|A^{{[2]}}-Y| = {tex_number(n.max_error)}", font_size=24, color=HIGHLIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        legend.next_to(axes, RIGHT, buff=0.3).align_to(axes, UP)
        with self.beat("per_point_error"):
            with self.say("error_sizes"):
                self.play(Write(title), Create(axes), run_time=1.0)
                self.play(FadeIn(dots), FadeIn(legend[:3]), run_time=1.5)
            with self.say("hardest", hold=0.3):
                self.play(FadeIn(legend[3:]), Create(ring), run_time=1.0)
                self.play(Indicate(ring, color=HIGHLIGHT, scale_factor=1.4), run_time=1.0)
                self.snapshot(title, VGroup(axes, dots, ring), legend)
            self.play(FadeOut(axes), FadeOut(dots), FadeOut(legend), FadeOut(ring), FadeOut(title), run_time=0.6)

    def _error_scatter(self, title: Mobject) -> tuple[Axes, VGroup]:
        """Axes over the data (equal scales) under ``title``, and every point sized and lit by its error."""
        X, Y = self.history.X, self.history.Y
        pad = 0.3
        x_lo, x_hi = float(X[0].min()) - pad, float(X[0].max()) + pad
        y_lo, y_hi = float(X[1].min()) - pad, float(X[1].max()) + pad
        side = 3.9
        span = max(x_hi - x_lo, y_hi - y_lo)
        axes = Axes(
            x_range=[x_lo, x_hi, x_hi - x_lo],
            y_range=[y_lo, y_hi, y_hi - y_lo],
            x_length=side * (x_hi - x_lo) / span,
            y_length=side * (y_hi - y_lo) / span,
            tips=False,
            axis_config={"color": MUTED, "stroke_width": 1.5, "include_ticks": False},
        )
        axes.next_to(title, DOWN, buff=0.3).shift(0.9 * LEFT)
        err = np.abs(self.numbers.error[0])  # (m,)
        order = np.argsort(err)  # the largest errors drawn last, on top
        centres = np.asarray(axes.c2p(X[0, order], X[1, order])).T  # (m, 3)
        colours = [CLASS_1 if Y[0, j] > 0.5 else CLASS_0 for j in order]
        dots = dot_cloud(centres, 0.012 + 0.085 * err[order], colours, 0.2 + 0.8 * err[order])
        return axes, dots

    def output_layer_beat(self) -> None:
        """dW2 and db2: the gradient flows from the output back along the output edges."""
        n, d = self.numbers, self.diagram
        with self.beat("output_layer"):
            with self.say("formula"):
                self._move_mark(2)
                # The gradient is not known yet anywhere: every edge goes quiet until it arrives.
                quiet = [e.animate.set_stroke(color=MUTED, width=0.75) for e in [*d.edges_1, *d.edges_2]]
                new_note = self._edge_note(rf"edges: gradients of update {n.iteration}")
                self.play(*quiet, self.note.animate.become(new_note), run_time=0.8)
                f1 = formula(r"dW^{[2]} = \tfrac{1}{m}\, dZ^{[2]} A^{[1]}{}^{T}", font_size=32)
                f2 = formula(r"db^{[2]} = \tfrac{1}{m} \textstyle\sum dZ^{[2]}", font_size=32)
                forms = VGroup(f1, f2).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
                self._right(forms, top=1.9)
                self.play(Write(f1), run_time=1.2)
                self.play(Write(f2), run_time=1.0)
            with self.say("largest_gradient", hold=0.3):
                self.g_scale = float(max(np.abs(n.dW1).max(), np.abs(n.dW2).max())) or 1.0
                flashes = AnimationGroup(*[_reverse_flash(e) for e in d.edges_2], run_time=1.2)
                self.play(Indicate(d.output_node, color=HIGHLIGHT), flashes)
                # Only the output edges have their gradient yet; layer 1 stays quiet.
                recolour = [
                    _drawn(d.edge_2(u)).animate.set_stroke(
                        color=value_color(n.dW2[0, u], self.g_scale), width=value_width(n.dW2[0, u], self.g_scale)
                    )
                    for u in d.shown_units
                ]
                self.play(*recolour, run_time=1.0)
                labels, values = self._output_gradients(forms)
                self.play(FadeIn(labels), FadeIn(values, shift=0.2 * DOWN), run_time=1.0)
                self.snapshot(forms, values, left=[labels])
            self.play(FadeOut(forms), FadeOut(values), FadeOut(labels), run_time=0.6)

    def _output_gradients(self, forms: Mobject) -> tuple[VGroup, VGroup]:
        """The values of ``dW2`` (on the output edges, or beside ``forms`` if too many) and ``db2``."""
        n, d = self.numbers, self.diagram
        values = VGroup(
            VGroup(formula(r"db^{[2]} =", font_size=32), MathTex(tex_number(n.db2[0, 0]), font_size=32)).arrange(
                RIGHT, buff=0.2
            )
        )
        if len(d.shown_units) <= MAX_EDGE_LABELS:
            labels = self._gradient_labels(n.dW2)
        else:
            # Too many edges to label legibly: the values go beside the formulas instead.
            labels = VGroup()
            row = VGroup(formula(r"dW^{[2]} =", font_size=30), ValueMatrix(n.dW2, font_size=26, max_cols=4))
            values.add_to_back(row.arrange(RIGHT, buff=0.2))
        values.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        values.next_to(forms, DOWN, buff=0.5).align_to(forms, LEFT)
        _fit_right(values)
        return labels, values

    def _gradient_labels(self, dW2: np.ndarray) -> VGroup:
        """The value of ``dW2`` on each output edge, coloured like the edge."""
        d = self.diagram
        labels = VGroup()
        for u in d.shown_units:
            v = float(dW2[0, u])
            # Full sign colour, whatever the size: small gradients must stay readable too.
            lab = MathTex(tex_number(v), font_size=22, color=POSITIVE if v >= 0 else NEGATIVE)
            lab.add_background_rectangle(opacity=0.9, buff=0.05)
            lab.move_to(_drawn(d.edge_2(u)).point_from_proportion(0.35))
            labels.add(lab)
        return labels

    def weight_formula(self, tex: str, font_size: float = 32) -> MathTex:
        """Like :func:`formula`, with the chosen weight's symbol (``W_{1,2}^{[1]}``) coloured too."""
        w = self.numbers.weight
        present = [w.tex] + [sym for sym in SYMBOL_COLORS if sym in tex.replace(w.tex, "")]
        mob = MathTex(tex, substrings_to_isolate=present, font_size=font_size, color=TEXT)
        for sym in present:
            mob.set_color_by_tex(sym, w.color if sym == w.tex else SYMBOL_COLORS[sym])
        return mob

    def tanh_beat(self) -> None:
        """Why tanh'(z) = 1 - tanh(z)^2 = 1 - A1^2, with the real mean slope of each hidden unit."""
        n = self.numbers
        with self.beat("tanh_slope"):
            with self.say("quotient_rule"):
                self._move_mark(3)
                plot = self._tanh_plot()
                self._right(plot, top=1.9)
                deriv = VGroup(
                    MathTex(
                        r"\tanh' z = \frac{(e^z+e^{-z})^2-(e^z-e^{-z})^2}{(e^z+e^{-z})^2} = 1-\tanh^2 z",
                        font_size=30,
                        color=TEXT,
                    ),
                    formula(r"\tanh'(Z^{[1]}) = 1 - (A^{[1]})^{2}", font_size=32),
                ).arrange(DOWN, buff=0.3)
                deriv.next_to(plot, DOWN, buff=0.35)
                axes, tanh, slope, t_lab, s_lab = plot
                self.play(Create(axes), Create(tanh), FadeIn(t_lab), run_time=1.2)
                self.play(Create(slope), FadeIn(s_lab), run_time=1.0)
                self.play(Write(deriv[0]), run_time=1.5)
                self.play(Write(deriv[1]), run_time=1.0)
            with self.say("mean_slopes", hold=0.3):
                mean_row = VGroup(
                    formula(r"\text{mean } 1-(A^{[1]})^{2} =", font_size=28),
                    ValueMatrix(n.slope[None, :], font_size=24, max_cols=6, show_shape=False),
                ).arrange(RIGHT, buff=0.2)
                mean_row.next_to(deriv, DOWN, buff=0.3)
                mean_row.set_x(2.9)
                _fit_right(mean_row)
                self.play(FadeIn(mean_row, shift=0.2 * UP), run_time=1.0)
                self.snapshot(plot, deriv, mean_row)
            self.play(FadeOut(plot), FadeOut(deriv), FadeOut(mean_row), run_time=0.6)

    @staticmethod
    def _tanh_plot() -> VGroup:
        """``tanh z`` and its slope ``1 - tanh² z`` on one pair of axes: (axes, tanh, slope, their labels)."""
        a_col = SYMBOL_COLORS["A^{[1]}"]
        axes = Axes(
            x_range=[-3, 3, 1],
            y_range=[-1.2, 1.2, 1],
            x_length=4.4,
            y_length=2.3,
            tips=False,
            axis_config={"color": MUTED, "stroke_width": 1.5, "include_ticks": False},
        )
        tanh = axes.plot(np.tanh, x_range=[-3, 3], color=a_col, stroke_width=4)
        slope = axes.plot(lambda z: 1 - np.tanh(z) ** 2, x_range=[-3, 3], color=HIGHLIGHT, stroke_width=4)
        t_lab = MathTex(r"\tanh z", font_size=26, color=a_col).next_to(axes.c2p(3, np.tanh(3)), RIGHT, buff=0.1)
        s_lab = MathTex(r"1-\tanh^2 z", font_size=26, color=HIGHLIGHT).next_to(axes.c2p(-0.5, 1), LEFT, buff=0.1)
        return VGroup(axes, tanh, slope, t_lab, s_lab)

    def hidden_layer_beat(self) -> None:
        """dZ1, dW1, db1: the gradient flows on from the hidden units back to the inputs."""
        n, d = self.numbers, self.diagram
        with self.beat("hidden_layer"):
            with self.say("formulas"):
                f1 = formula(r"dZ^{[1]} = W^{[2]}{}^{T} dZ^{[2]} \ast \big(1 - (A^{[1]})^{2}\big)", font_size=32)
                f2 = formula(r"dW^{[1]} = \tfrac{1}{m}\, dZ^{[1]} X^{T}", font_size=32)
                f3 = formula(r"db^{[1]} = \tfrac{1}{m} \textstyle\sum dZ^{[1]}", font_size=32)
                forms = VGroup(f1, f2, f3).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
                self._right(forms, top=1.9)
                hidden = [_drawn(d.hidden_node(u)) for u in d.shown_units]
                self.play(Write(f1), *[Indicate(h, color=HIGHLIGHT) for h in hidden], run_time=1.5)
                self._move_mark(4)
                flashes = AnimationGroup(*[_reverse_flash(e) for e in d.edges_1], run_time=1.2)
                self.play(Write(f2), flashes, run_time=1.2)
                self.play(
                    Write(f3),
                    d.make_edge_values_animation(n.dW1, n.dW2, scale_1=self.g_scale, scale_2=self.g_scale),
                    run_time=1.0,
                )
            with self.say("largest_gradient", hold=0.3):
                if n.hidden_units <= MAX_MATRIX_ROWS:
                    lhs, mat = r"dW^{[1]} =", ValueMatrix(n.dW1, font_size=26)
                else:
                    lhs, mat = r"dW^{[1]}{}^{T} =", ValueMatrix(n.dW1.T, font_size=26, max_cols=4)
                values = VGroup(formula(lhs, font_size=30), mat).arrange(RIGHT, buff=0.2)
                values.next_to(forms, DOWN, buff=0.35).align_to(forms, LEFT)
                _fit_right(values)
                self.play(FadeIn(values, shift=0.2 * DOWN), run_time=1.0)
                w = n.weight
                if w.layer == 1 and n.hidden_units <= MAX_MATRIX_ROWS:
                    values.add(mat.highlight_entry(w.unit, w.k))
                    self.play(Create(values[-1]), run_time=0.6)
                self.snapshot(forms, values)
            self.play(FadeOut(forms), FadeOut(values), run_time=0.6)

    def _weight_edge(self) -> Line:
        w, d = self.numbers.weight, self.diagram
        return _drawn(d.edge_1(w.unit, w.k) if w.layer == 1 else d.edge_2(w.unit))

    def _weight_nodes(self) -> list[VMobject]:
        w, d = self.numbers.weight, self.diagram
        start = d.input_nodes[w.k] if w.layer == 1 else _drawn(d.hidden_node(w.unit))
        end = _drawn(d.hidden_node(w.unit)) if w.layer == 1 else d.output_node
        return [start, end]

    def update_beat(self) -> None:
        """One weight: before, gradient, learning rate, after, with the real numbers."""
        n, d = self.numbers, self.diagram
        w, i = n.weight, n.iteration
        with self.beat("update"):
            with self.say("rule"):
                self.play(FadeOut(self.road_mark), self.roadmap.animate.set_opacity(0.35), run_time=0.5)
                rule = formula(r"W^{[1]} := W^{[1]} - \alpha\, dW^{[1]}", font_size=32)
                rule2 = formula(r"W^{[2]} := W^{[2]} - \alpha\, dW^{[2]}", font_size=32)
                self.rules = VGroup(rule, rule2).arrange(DOWN, buff=0.25)
                self._right(self.rules, top=1.9)
                self.play(Write(self.rules), run_time=1.5)
                self.play(
                    d.make_iteration_animation(i, run_time=1.0),
                    self.note.animate.become(self._edge_note(rf"edges: weights at iteration {i}")),
                )
            with self.say("one_weight", hold=0.5):
                table = self.table = self._update_table()
                table.next_to(self.rules, DOWN, buff=0.45).set_x(2.9)
                _fit_right(table)
                self.play(
                    *[node.animate.set_stroke(HIGHLIGHT, width=4) for node in self._weight_nodes()],
                    ShowPassingFlash(self._weight_edge().copy().set_stroke(HIGHLIGHT, width=8), time_width=0.6),
                    run_time=1.0,
                )
                for row in table:
                    self.play(FadeIn(row, shift=0.15 * RIGHT), run_time=0.7)
                self.value_label = self._weight_label(w.before)
                self.play(FadeIn(self.value_label), run_time=0.5)
                after = self._weight_label(w.after)
                self.play(
                    d.make_iteration_animation(i + 1, run_time=1.0),
                    self.note.animate.become(self._edge_note(rf"edges: weights at iteration {i + 1}")),
                    self.value_label.animate.become(after),
                    Indicate(table[3][1], color=HIGHLIGHT, scale_factor=1.05),
                )
                self.snapshot(self.rules, table, left=[self.value_label])

    def _update_table(self) -> VGroup:
        """Rows ``label | value`` of the weight update: before, gradient, learning rate, after."""
        n, w, digits = self.numbers, self.numbers.weight, WEIGHT_DIGITS
        grad = tex_number(w.grad, digits)
        rows = [
            ("before", self.weight_formula(rf"{w.tex} = {tex_number(w.before, digits)}")),
            ("gradient", self.weight_formula(rf"d{w.tex} = {grad}")),
            ("learning rate", MathTex(rf"\alpha = {lr_text(n.lr)}", font_size=32, color=TEXT)),
            (
                "after",
                MathTex(
                    rf"{tex_number(w.before, digits)} - {lr_text(n.lr)} \times "
                    rf"{as_factor(grad, w.grad)} = {tex_number(w.after, digits)}",
                    font_size=32,
                    color=TEXT,
                ),
            ),
        ]
        table = VGroup()
        for r, (label, value) in enumerate(rows):
            lab = _text(label, 28, MUTED)
            lab.move_to((0, -0.7 * r, 0), aligned_edge=RIGHT)
            value.next_to((0.0, lab.get_y(), 0), RIGHT, buff=0.3)
            table.add(VGroup(lab, value))
        return table

    def _weight_label(self, value: float) -> VMobject:
        """The chosen weight's value beside its edge, boxed in the highlight colour."""
        lab = MathTex(tex_number(value, WEIGHT_DIGITS), font_size=26, color=HIGHLIGHT)
        lab.add_background_rectangle(opacity=0.9, buff=0.06)
        edge = self._weight_edge()
        lab.move_to(edge.point_from_proportion(0.5)).shift(0.28 * UP)
        return lab

    def replay_beat(self) -> None:
        """A few updates one at a time, then a fast replay with a glyph counter (no re-typesetting)."""
        n, d = self.numbers, self.diagram
        with self.beat("replay"):
            with self.say("single_steps"):
                self.play(
                    FadeOut(self.table),
                    FadeOut(self.rules),
                    self.note.animate.become(self._edge_note("edges: weights")),
                    run_time=0.6,
                )
                label = self.weight_formula(rf"{n.weight.tex} =", font_size=34)
                readout = ReplayReadout(self.history, n.weight, label, n.steps[0])
                self._right(readout, top=1.6)
                self.play(FadeIn(readout), run_time=0.8)
                for s, value in zip(n.steps[1:], n.step_weights[1:], strict=True):
                    readout.set_iteration(s)
                    self.play(
                        d.make_iteration_animation(s, run_time=0.8),
                        self.value_label.animate.become(self._weight_label(value)),
                        Indicate(readout.iteration_number, color=HIGHLIGHT, scale_factor=1.1),
                    )
                    self.wait(0.6)
            with self.say("fast_forward", hold=1.0):
                self._fast_forward(readout)
                self.snapshot(readout, left=[self.value_label])

    def _fast_forward(self, readout: ReplayReadout) -> None:
        """Replay the updates from the last single step to the replay's end, the diagram and readout following."""
        n, d = self.numbers, self.diagram
        tracker = ValueTracker(n.steps[-1])

        def follow(_: Mobject) -> None:
            k = int(round(tracker.get_value()))
            if k != d.iteration:
                d.set_iteration(k)
                readout.set_iteration(k)

        self.play(FadeOut(self.value_label), run_time=0.3)
        d.add_updater(follow)
        self.play(tracker.animate.set_value(n.replay_end), run_time=6.0, rate_func=linear)
        d.remove_updater(follow)
        d.set_iteration(n.replay_end)
        readout.set_iteration(n.replay_end)
        self.value_label = self._weight_label(n.end_weight)
        self.play(FadeIn(self.value_label), run_time=0.5)
