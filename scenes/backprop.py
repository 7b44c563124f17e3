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

Any other run (:func:`~scenes.backprop_numbers.week3_run` is false) takes the same beats through
every layer: ``dZ^{[L]} = A^{[L]} - Y``, the run's activation and its slope (the beat is named
after it, ``relu_slope``), each hidden layer's ``dZ``, ``dW`` (with ``lambda/m W`` under L2) and
dropout's mask, then the optimiser's own update of the chosen weight (momentum's velocity, Adam's
moments and bias corrections), all on the update's mini-batch
(:class:`~scenes.backprop_numbers.LayerChain`, :class:`~scenes.backprop_numbers.OptimizerStep`).
A diagram that draws every layer (``layer_units``, ``layer_edges``, ``node``, ``edge``,
``make_layer_values_animation``) is used layer by layer; the one-hidden-layer diagram by its names.

Each beat is a section (``next_section``) whose lines (:meth:`~scenes.common.narration.Narrated.line`)
narrate it with its numbers. :func:`~scenes.backprop_numbers.backprop_numbers` computes every number
and fact the captions and the picture share, :func:`~scenes.backprop_numbers.captions` writes the
narration (:mod:`scenes.backprop_numbers`, no drawing).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
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
    Succession,
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
    slope_beat,
    weight_value,
)
from scenes.common.dots import dot_cloud
from scenes.common.field import plane_points
from scenes.common.format import count, fmt, tex_number
from scenes.common.frame import keep_in_frame
from scenes.common.history import load_history
from scenes.common.layout_check import LayoutSnapshot
from scenes.common.matrix import ValueMatrix
from scenes.common.model_text import ACTIVATIONS
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
from scenes.common.tex import formula, prefetch

MAX_EDGE_LABELS = 5
"""The output edges carry their gradient's value when at most this many are drawn."""

MAX_MATRIX_ROWS = 5
"""``dW1`` is shown as it is (and its chosen entry boxed) up to this many hidden units, else transposed."""

RIGHT_COLUMN = (-1.4, 6.95)
"""Left and right ends of the column beside the diagram (scene units)."""


# --- small drawing helpers -----------------------------------------------------------------------


def _text(s: str, font_size: float = 30, color: object = TEXT) -> Tex:
    return Tex(s, font_size=font_size, color=color)


def _fit_right(mob: Mobject, floor: float | None = None) -> Mobject:
    """Keep ``mob`` inside the right column: shift it in, and scale it down if it is wider.

    With ``floor``, a ``mob`` reaching below it is scaled down about its top to end there (a tall
    matrix: ``dW^{[1]}`` transposed has a row an input, seven with every feature).
    """
    lo, hi = RIGHT_COLUMN
    if floor is not None and mob.get_bottom()[1] < floor:
        mob.scale((mob.get_top()[1] - floor) / mob.height, about_point=mob.get_top())
    if mob.width > hi - lo:
        mob.scale_to_fit_width(hi - lo)
    if mob.get_right()[0] > hi:
        mob.shift((mob.get_right()[0] - hi) * LEFT)
    if mob.get_left()[0] < lo:
        mob.shift((lo - mob.get_left()[0]) * RIGHT)
    return mob


def _place_clear(
    label: Mobject,
    edge: VMobject,
    places: Iterable[tuple[float, np.ndarray]],
    obstacles: Sequence[Mobject],
    framed: bool = False,
) -> bool:
    """Move ``label`` to the first of ``places`` where it overlaps none of ``obstacles``; whether there was one.

    A place is ``(t, shift)``: the point a proportion ``t`` along ``edge``, shifted. With ``framed``
    a place is judged where the label will be once kept in the frame (:func:`_clear_in_frame`).
    Where none is clear, ``label`` is left at the last one tried.
    """
    for t, shift in places:
        label.move_to(edge.point_from_proportion(t)).shift(shift)
        if _clear_in_frame(label, obstacles) if framed else not any(_overlap(label, o) for o in obstacles):
            return True
    return False


def _clear_in_frame(label: Mobject, obstacles: Sequence[Mobject]) -> bool:
    """Whether ``label``, once kept in the frame (:func:`keep_in_frame`), overlaps none of ``obstacles``."""
    framed = keep_in_frame(label.copy())
    return not any(_overlap(framed, other) for other in obstacles)


D = TypeVar("D", bound=Mobject)


def _drawn(mob: D | None) -> D:
    """``mob``, a piece of the diagram that it draws (the chosen weight's units always are)."""
    assert mob is not None, "the diagram does not draw this unit"
    return mob


def _overlap(a: Mobject, b: Mobject) -> bool:
    """Whether the bounding boxes of ``a`` and ``b`` intersect."""
    return bool(
        a.get_left()[0] < b.get_right()[0]
        and b.get_left()[0] < a.get_right()[0]
        and a.get_bottom()[1] < b.get_top()[1]
        and b.get_bottom()[1] < a.get_top()[1]
    )


def _table(rows: Sequence[tuple[str, VMobject]], step: float = 0.7) -> VGroup:
    """Rows ``label | value``, the labels right-aligned on one column."""
    table = VGroup()
    for r, (label, value) in enumerate(rows):
        lab = _text(label, 28, MUTED)
        lab.move_to((0, -step * r, 0), aligned_edge=RIGHT)
        value.next_to((0.0, lab.get_y(), 0), RIGHT, buff=0.3)
        table.add(VGroup(lab, value))
    return table


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

    def __init__(
        self, history: History, weight: ChosenWeight, weight_label: MathTex, iteration: int, clock: str = "iteration"
    ) -> None:
        super().__init__()
        self.history, self.weight = history, weight
        self.iteration_number = GlyphNumber(str(iteration), font_size=36, color=HIGHLIGHT, align="left")
        self.cost_number = GlyphNumber(fmt(history.cost[iteration]), font_size=36, align="left")
        self.weight_number = GlyphNumber(
            fmt(weight_value(history, weight, iteration), WEIGHT_DIGITS), font_size=36, color=HIGHLIGHT, align="left"
        )
        labels = (_text(clock, 32), MathTex(r"J =", font_size=36, color=TEXT), weight_label)
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
        self.L = self.history.layers
        self.numbers = backprop_numbers(
            self.history, self.diagram.shown_units, [list(self._units(l)) for l in range(self.L + 1)]
        )
        self.captions = captions(self.numbers)
        self.diagram.set_iteration(self.numbers.iteration)
        self.diagram.move_to((-4.3, -0.55, 0))

        self.setup_beat()
        self.output_error_origin_beat()
        self.per_point_error_beat()
        self.output_layer_beat()
        self.slope_beat()
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

    # --- the diagram, layer by layer (one hidden layer's names, or a layered diagram's) ----------------

    # A diagram of every layer (``layer_units``, ``layer_edges``, ``node``, ``edge``,
    # ``make_layer_values_animation``) draws any depth; one of one hidden layer has its own names.

    @property
    def _layered(self) -> Any:
        """The diagram, if it draws layer by layer (else ``None``)."""
        d: Any = self.diagram
        return d if "layer_edges" in vars(d) else None

    def _units(self, layer: int) -> Sequence[int]:
        """The drawn units of layer ``layer`` (0: the inputs, ``L``: the output)."""
        if self._layered is not None:
            units: Sequence[int] = self._layered.layer_units[layer]
            return units
        d = self.diagram
        return (list(range(d.n_x)), d.shown_units, [0])[layer]

    def _layer_edges(self, layer: int) -> VGroup:
        """The edges into layer ``layer``."""
        if self._layered is not None:
            edges: VGroup = self._layered.layer_edges[layer - 1]
            return edges
        return self.diagram.edges_1 if layer == 1 else self.diagram.edges_2

    def _edge(self, layer: int, row: int, col: int) -> Line | None:
        """The edge of weight ``W[layer][row, col]``, if drawn."""
        if self._layered is not None:
            edge: Line | None = self._layered.edge(layer, row, col)
            return edge
        return self.diagram.edge_1(row, col) if layer == 1 else self.diagram.edge_2(col)

    def _node(self, layer: int, unit: int) -> VMobject | None:
        """The node of unit ``unit`` of layer ``layer``, if drawn."""
        if self._layered is not None:
            node: VMobject | None = self._layered.node(layer, unit)
            return node
        d = self.diagram
        if layer == 0:
            return d.input_nodes[unit]
        return d.hidden_node(unit) if layer == 1 else d.output_node

    def _gradients_animation(self, **kwargs: Any) -> Animation:
        """Every layer's edges to the update's gradients, one scale for all (:attr:`g_scale`)."""
        n = self.numbers
        if self._layered is not None:
            anim: Animation = self._layered.make_layer_values_animation(
                list(n.chain.dW), [self.g_scale] * self.L, **kwargs
            )
            return anim
        d = self.diagram
        return d.make_edge_values_animation(n.dW1, n.dW2, scale_1=self.g_scale, scale_2=self.g_scale, **kwargs)

    def _roadmap(self) -> VGroup:
        L = self.L
        last = [rf"dZ^{{[{L - 1}]}}", rf"dW^{{[{L - 1}]}},\ db^{{[{L - 1}]}}"]
        if L > 2:  # every hidden layer in turn
            last = [r"dZ^{[l]}", r"dW^{[l]},\ db^{[l]}"]
        items = [
            formula(rf"A^{{[{L}]}}", font_size=30),
            formula(rf"dZ^{{[{L}]}}", font_size=30),
            formula(rf"dW^{{[{L}]}},\ db^{{[{L}]}}", font_size=30),
            formula(last[0], font_size=30),
            formula(last[1], font_size=30),
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
        self.note = self._edge_note(rf"edges: weights at {n.clock} {n.iteration}")
        first = rf"update {n.iteration}" if n.batch_size is None else rf"epoch {n.iteration}, its first update"
        facts = VGroup(
            _text(rf"{first}: largest gradient", font_size=30),
            _text(rf"of the first {count(n.window, n.clock if n.batch_size else 'update')}", font_size=30),
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
        A, Z = f"A^{{[{self.L}]}}", f"Z^{{[{self.L}]}}"
        steps = VGroup(
            formula(rf"L = -\big(Y \log {A} + (1-Y)\log(1-{A})\big)", font_size=30),
            formula(rf"\frac{{\partial L}}{{\partial {A}}} = -\frac{{Y}}{{{A}}} + \frac{{1-Y}}{{1-{A}}}", font_size=30),
            formula(rf"\frac{{\partial {A}}}{{\partial {Z}}} = {A}(1-{A})", font_size=30),
        ).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        self._right(steps, top=1.85)
        with self.beat("output_error_origin"):
            with self.say("two_slopes"):
                self._move_mark(1)
                for s in steps:
                    self.play(Write(s), run_time=1.2)
            with self.say("cancel", hold=0.5):
                result = formula(
                    rf"d{Z} = \frac{{\partial L}}{{\partial {A}}}\,\frac{{\partial {A}}}{{\partial {Z}}}"
                    rf" = {A} - Y",
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
        title = formula(rf"dZ^{{[{self.L}]}} = A^{{[{self.L}]}} - Y", font_size=32)
        self._right(title, top=1.95)
        axes, dots = self._error_scatter(title)
        ring = Circle(radius=0.15, color=HIGHLIGHT, stroke_width=3).move_to(axes.c2p(*n.hard_x))
        A = f"A^{{[{self.L}]}}"
        legend = VGroup(
            _text(rf"dot size $=|{A}-Y|$", font_size=24, color=MUTED),
            VGroup(Dot(radius=0.06, color=CLASS_0), _text("$y=0$", font_size=24)).arrange(RIGHT, buff=0.12),
            VGroup(Dot(radius=0.06, color=CLASS_1), _text("$y=1$", font_size=24)).arrange(RIGHT, buff=0.12),
            _text(rf"wrong side: {n.wrong}", font_size=24),
            MathTex(rf"\max|{A}-Y| = {tex_number(n.max_error)}", font_size=24, color=HIGHLIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        legend.next_to(axes, RIGHT, buff=0.3).align_to(axes, UP)
        _fit_right(VGroup(axes, dots, ring, legend))  # a wide legend (an error in a power of ten) moves it all in
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
        batch = self.numbers.chain.batch  # the update's examples (every one, full batch)
        X, Y = plane_points(self.history)[:, batch], self.history.Y[:, batch]  # in the plane, not the features
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
                edges = [e for l in range(1, self.L + 1) for e in self._layer_edges(l)]
                quiet = [e.animate.set_stroke(color=MUTED, width=0.75) for e in edges]
                update = f"update {n.iteration}" if n.batch_size is None else f"epoch {n.iteration}'s first update"
                new_note = self._edge_note(rf"edges: gradients of {update}")
                self.play(*quiet, self.note.animate.become(new_note), run_time=0.8)
                L = self.L
                l2 = rf" + \tfrac{{\lambda}}{{m}} W^{{[{L}]}}" if n.l2 else ""
                f1 = formula(
                    rf"dW^{{[{L}]}} = \tfrac{{1}}{{m}}\, dZ^{{[{L}]}} A^{{[{L - 1}]}}{{}}^{{T}}{l2}", font_size=32
                )
                f2 = formula(rf"db^{{[{L}]}} = \tfrac{{1}}{{m}} \textstyle\sum dZ^{{[{L}]}}", font_size=32)
                forms = VGroup(f1, f2).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
                self._right(forms, top=1.9)
                self.play(Write(f1), run_time=1.2)
                self.play(Write(f2), run_time=1.0)
            with self.say("largest_gradient", hold=0.3):
                self.g_scale = float(max(np.abs(g).max() for g in n.chain.dW)) or 1.0
                flashes = AnimationGroup(*[_reverse_flash(e) for e in self._layer_edges(L)], run_time=1.2)
                self.play(Indicate(d.output_node, color=HIGHLIGHT), flashes)
                # Only the output edges have their gradient yet; layer 1 stays quiet.
                recolour = [
                    _drawn(self._edge(L, 0, u)).animate.set_stroke(
                        color=value_color(n.dW2[0, u], self.g_scale), width=value_width(n.dW2[0, u], self.g_scale)
                    )
                    for u in self._units(L - 1)
                ]
                self.play(*recolour, run_time=1.0)
                labels, values = self._output_gradients(forms)
                self.play(FadeIn(labels), FadeIn(values, shift=0.2 * DOWN), run_time=1.0)
                self.snapshot(forms, values, left=[labels])
            self.play(FadeOut(forms), FadeOut(values), FadeOut(labels), run_time=0.6)

    def _output_gradients(self, forms: Mobject) -> tuple[VGroup, VGroup]:
        """The values of ``dW2`` (on the output edges, or beside ``forms`` if too many) and ``db2``."""
        n, L = self.numbers, self.L
        values = VGroup(
            VGroup(formula(rf"db^{{[{L}]}} =", font_size=32), MathTex(tex_number(n.db2[0, 0]), font_size=32)).arrange(
                RIGHT, buff=0.2
            )
        )
        labels = self._gradient_labels(n.dW2) if len(self._units(L - 1)) <= MAX_EDGE_LABELS else None
        if labels is None:
            # Too many edges to label legibly, or values too wide for their edges: the values go
            # beside the formulas instead.
            labels = VGroup()
            row = VGroup(formula(rf"dW^{{[{L}]}} =", font_size=30), ValueMatrix(n.dW2, font_size=26, max_cols=4))
            values.add_to_back(row.arrange(RIGHT, buff=0.2))
        values.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        values.next_to(forms, DOWN, buff=0.5).align_to(forms, LEFT)
        _fit_right(values)
        return labels, values

    def _gradient_labels(self, dW2: np.ndarray) -> VGroup | None:
        """The value of ``dW2`` on each output edge, coloured like the edge; ``None`` if they do not fit.

        A label sits a third of the way along its edge; one that would cover a node or another label
        (a wide value such as ``8.10 × 10⁻⁶`` on a short edge) moves along the edge and off it to the
        first clear place; if there is none, the values are not drawn on the edges at all.
        """
        labels = VGroup()
        places = [(0.35, ORIGIN)] + list(
            itertools.product((0.5, 0.6, 0.4, 0.7), (ORIGIN, 0.22 * UP, 0.22 * DOWN, 0.36 * UP, 0.36 * DOWN))
        )
        nodes = self._marks()
        prefetch([tex_number(float(dW2[0, u])) for u in self._units(self.L - 1)])  # one LaTeX run for all
        for u in self._units(self.L - 1):
            v = float(dW2[0, u])
            # Full sign colour, whatever the size: small gradients must stay readable too.
            lab = MathTex(tex_number(v), font_size=22, color=POSITIVE if v >= 0 else NEGATIVE)
            lab.add_background_rectangle(opacity=0.9, buff=0.05)
            if not _place_clear(lab, _drawn(self._edge(self.L, 0, u)), places, [*nodes, *labels]):
                return None
            labels.add(lab)
        return labels

    def _nodes(self) -> list[VMobject]:
        """Every drawn node of the diagram (a wide layer's elided units are not drawn)."""
        return [node for l in range(self.L + 1) for u in self._units(l) if (node := self._node(l, u)) is not None]

    def _marks(self) -> list[VMobject]:
        r"""What a label on an edge must not cover: every drawn node and the wide layers' ``\vdots``."""
        return [*self._nodes(), *getattr(self.diagram, "extras", [])]

    def weight_formula(self, tex: str, font_size: float = 32) -> MathTex:
        """Like :func:`formula`, with the chosen weight's symbol (``W_{1,2}^{[1]}``) coloured too."""
        w = self.numbers.weight
        present = [w.tex] + [sym for sym in SYMBOL_COLORS if sym in tex.replace(w.tex, "")]
        mob = MathTex(tex, substrings_to_isolate=present, font_size=font_size, color=TEXT)
        for sym in present:
            mob.set_color_by_tex(sym, w.color if sym == w.tex else SYMBOL_COLORS[sym])
        return mob

    def slope_beat(self) -> None:
        """The activation's slope: tanh's as before; any other with its formula, graph and real mean slopes."""
        if self.numbers.activation == "tanh" and self.L == 2:
            self.tanh_beat()
            return
        n, L = self.numbers, self.L
        act = ACTIVATIONS[n.activation]
        layer = f"^{{[{L - 1}]}}"
        with self.beat(slope_beat(n.activation)):
            with self.say("quotient_rule"):
                self._move_mark(3)
                plot = self._activation_plot(n.activation)
                self._right(plot, top=1.9)
                deriv = VGroup(
                    MathTex(rf"g(z) = {act.formula}", font_size=30, color=TEXT),
                    MathTex(rf"g'(z) = {act.derivative}", font_size=30, color=TEXT),
                ).arrange(RIGHT, buff=0.5)
                deriv.next_to(plot, DOWN, buff=0.35)
                _fit_right(deriv)
                axes, g, slope, g_lab, s_lab = plot
                self.play(Create(axes), Create(g), FadeIn(g_lab), run_time=1.2)
                self.play(Create(slope), FadeIn(s_lab), run_time=1.0)
                self.play(Write(deriv), run_time=1.5)
            self._mean_slopes(MathTex(rf"\text{{mean }} g'(Z{layer}) =", font_size=28, color=TEXT), plot, deriv)

    def _mean_slopes(self, label: MathTex, plot: VGroup, deriv: VGroup) -> None:
        """Say the ``mean_slopes`` line: each drawn hidden unit's mean slope, ``label`` naming it.

        The row goes under the activation's plot and formulas; then the right column is cleared.
        """
        with self.say("mean_slopes", hold=0.3):
            mean_row = VGroup(
                label, ValueMatrix(self.numbers.slope[None, :], font_size=24, max_cols=6, show_shape=False)
            ).arrange(RIGHT, buff=0.2)
            mean_row.next_to(deriv, DOWN, buff=0.3)
            mean_row.set_x(2.9)
            _fit_right(mean_row)
            self.play(FadeIn(mean_row, shift=0.2 * UP), run_time=1.0)
            self.snapshot(plot, deriv, mean_row)
        self.play(FadeOut(plot), FadeOut(deriv), FadeOut(mean_row), run_time=0.6)

    @staticmethod
    def _activation_plot(activation: str) -> VGroup:
        """The activation and its slope on one pair of axes: (axes, g, slope, their labels)."""
        from nncore.network import activate, slope

        a_col = SYMBOL_COLORS["A^{[1]}"]
        z = np.linspace(-3, 3, 601)
        g_of = activate(z, activation)
        lo = min(-0.2, float(g_of.min()) - 0.2)
        hi = max(1.2, float(g_of.max()) * 0.5)
        axes = Axes(
            x_range=[-3, 3, 1],
            y_range=[lo, hi, 1],
            x_length=4.4,
            y_length=2.3,
            tips=False,
            axis_config={"color": MUTED, "stroke_width": 1.5, "include_ticks": False},
        )
        top = hi  # a steep activation (ReLU) leaves the axes: clip it at their top
        g = axes.plot_line_graph(
            z[g_of <= top], g_of[g_of <= top], line_color=a_col, stroke_width=4, add_vertex_dots=False
        )
        d = np.asarray(slope(g_of, activation), dtype=float)
        pieces = VGroup()
        # A step (ReLU's slope) is drawn as its flat pieces, not joined across the jump.
        breaks = np.flatnonzero(np.abs(np.diff(d)) > 0.2) + 1
        for part_z, part_d in zip(np.split(z, breaks), np.split(d, breaks), strict=True):
            if part_z.size > 1:
                pieces.add(
                    axes.plot_line_graph(part_z, part_d, line_color=HIGHLIGHT, stroke_width=4, add_vertex_dots=False)
                )
        g_lab = MathTex(r"g(z)", font_size=26, color=a_col).next_to(axes.c2p(-3, lo), UP + RIGHT, buff=0.1)
        g_lab.next_to(g, UP, buff=0.05).align_to(axes, RIGHT)
        s_lab = MathTex(r"g'(z)", font_size=26, color=HIGHLIGHT).next_to(axes.c2p(-0.5, 1), LEFT + UP, buff=0.1)
        return VGroup(axes, g, pieces, g_lab, s_lab)

    def tanh_beat(self) -> None:
        """Why tanh'(z) = 1 - tanh(z)^2 = 1 - A1^2, with the real mean slope of each hidden unit."""
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
            self._mean_slopes(formula(r"\text{mean } 1-(A^{[1]})^{2} =", font_size=28), plot, deriv)

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
        n = self.numbers
        with self.beat("hidden_layer"):
            with self.say("formulas"):
                f1, f2, f3 = self._hidden_formulas()
                forms = VGroup(f1, f2, f3).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
                self._right(forms, top=1.9)
                _fit_right(forms)
                hidden = [_drawn(self._node(l, u)) for l in range(1, self.L) for u in self._units(l)]
                self.play(Write(f1), *[Indicate(h, color=HIGHLIGHT) for h in hidden], run_time=1.5)
                self._move_mark(4)
                # The gradient runs back one layer at a time, the last hidden layer's edges first.
                back = [
                    AnimationGroup(*[_reverse_flash(e) for e in self._layer_edges(l)]) for l in range(self.L - 1, 0, -1)
                ]
                flashes = Succession(*back, run_time=1.2) if len(back) > 1 else AnimationGroup(*back, run_time=1.2)
                self.play(Write(f2), flashes, run_time=1.2)
                self.play(Write(f3), self._gradients_animation(), run_time=1.0)
            if "dropout" in self.captions["hidden_layer"]:
                with self.say("dropout"):
                    self.play(Indicate(f1, color=HIGHLIGHT, scale_factor=1.03), run_time=1.0)
            with self.say("largest_gradient", hold=0.3):
                if n.hidden_units <= MAX_MATRIX_ROWS:
                    lhs, mat = r"dW^{[1]} =", ValueMatrix(n.dW1, font_size=26)
                else:
                    lhs, mat = r"dW^{[1]}{}^{T} =", ValueMatrix(n.dW1.T, font_size=26, max_cols=4)
                values = VGroup(formula(lhs, font_size=30), mat).arrange(RIGHT, buff=0.2)
                values.next_to(forms, DOWN, buff=0.35).align_to(forms, LEFT)
                _fit_right(values, floor=-3.7)
                self.play(FadeIn(values, shift=0.2 * DOWN), run_time=1.0)
                w = n.weight
                # the weight's input may be one of the columns a wide input layer elides (7 features)
                if w.layer == 1 and n.hidden_units <= MAX_MATRIX_ROWS and w.k < mat.shown_cols:
                    values.add(mat.highlight_entry(w.unit, w.k))
                    self.play(Create(values[-1]), run_time=0.6)
                self.snapshot(forms, values)
            self.play(FadeOut(forms), FadeOut(values), run_time=0.6)

    def _hidden_formulas(self) -> tuple[MathTex, MathTex, MathTex]:
        """dZ, dW and db of the hidden layers: week 3's, or any activation, depth, dropout and L2."""
        n, L = self.numbers, self.L
        if n.week3:
            return (
                formula(r"dZ^{[1]} = W^{[2]}{}^{T} dZ^{[2]} \ast \big(1 - (A^{[1]})^{2}\big)", font_size=32),
                formula(r"dW^{[1]} = \tfrac{1}{m}\, dZ^{[1]} X^{T}", font_size=32),
                formula(r"db^{[1]} = \tfrac{1}{m} \textstyle\sum dZ^{[1]}", font_size=32),
            )
        l = "1" if L == 2 else "l"
        up = "2" if L == 2 else "l+1"
        inputs = "X" if L == 2 else "A^{[l-1]}"
        mask = rf" \ast \tfrac{{D^{{[{l}]}}}}{{p}}" if n.keep_prob < 1 else ""
        l2 = rf" + \tfrac{{\lambda}}{{m}} W^{{[{l}]}}" if n.l2 else ""
        return (
            formula(rf"dZ^{{[{l}]}} = W^{{[{up}]}}{{}}^{{T}} dZ^{{[{up}]}}{mask} \ast g'(Z^{{[{l}]}})", font_size=32),
            formula(rf"dW^{{[{l}]}} = \tfrac{{1}}{{m}}\, dZ^{{[{l}]}} {inputs}{{}}^{{T}}{l2}", font_size=32),
            formula(rf"db^{{[{l}]}} = \tfrac{{1}}{{m}} \textstyle\sum dZ^{{[{l}]}}", font_size=32),
        )

    def _weight_edge(self) -> Line:
        w = self.numbers.weight
        return _drawn(self._edge(w.layer, *w.row_col))

    def _weight_nodes(self) -> list[VMobject]:
        w = self.numbers.weight
        r, c = w.row_col
        return [_drawn(self._node(w.layer - 1, c)), _drawn(self._node(w.layer, r))]

    def update_beat(self) -> None:
        """One weight: before, gradient, learning rate, after, with the real numbers."""
        n, d = self.numbers, self.diagram
        w, i = n.weight, n.iteration
        with self.beat("update"):
            with self.say("rule"):
                self.play(FadeOut(self.road_mark), self.roadmap.animate.set_opacity(0.35), run_time=0.5)
                self.rules = self._rules()
                self._right(self.rules, top=1.9)
                _fit_right(self.rules)
                self.play(Write(self.rules), run_time=1.5)
                self.play(
                    d.make_iteration_animation(i, run_time=1.0),
                    self.note.animate.become(self._edge_note(rf"edges: weights at {n.clock} {i}")),
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
                if n.batch_size is None:  # one update is one snapshot: the diagram moves with the weight
                    self.play(
                        d.make_iteration_animation(i + 1, run_time=1.0),
                        self.note.animate.become(self._edge_note(rf"edges: weights at iteration {i + 1}")),
                        self.value_label.animate.become(after),
                        Indicate(table[-1][1], color=HIGHLIGHT, scale_factor=1.05),
                    )
                else:  # the next snapshot is a whole epoch later: only the weight's own label moves
                    self.play(
                        self.value_label.animate.become(after),
                        Indicate(table[-1][1], color=HIGHLIGHT, scale_factor=1.05),
                        run_time=1.0,
                    )
                self.snapshot(self.rules, table, left=[self.value_label])

    def _rules(self) -> VGroup:
        """The optimiser's update rule for every layer ``l``: gradient descent, momentum or Adam."""
        n = self.numbers
        if n.week3:
            rule = formula(r"W^{[1]} := W^{[1]} - \alpha\, dW^{[1]}", font_size=32)
            rule2 = formula(r"W^{[2]} := W^{[2]} - \alpha\, dW^{[2]}", font_size=32)
            return VGroup(rule, rule2).arrange(DOWN, buff=0.25)
        lines = {
            "gd": [r"W^{[l]} := W^{[l]} - \alpha\, dW^{[l]}"],
            "momentum": [r"v := \beta v + (1 - \beta)\, dW^{[l]}", r"W^{[l]} := W^{[l]} - \alpha\, v"],
            "adam": [
                r"v := \beta_1 v + (1 - \beta_1)\, dW^{[l]}",
                r"s := \beta_2 s + (1 - \beta_2)\, (dW^{[l]})^2",
                r"W^{[l]} := W^{[l]} - \alpha\, \frac{v / (1 - \beta_1^t)}{\sqrt{s / (1 - \beta_2^t)} + \varepsilon}",
            ],
        }[n.optimizer]
        return VGroup(*[formula(t, font_size=30) for t in lines]).arrange(DOWN, buff=0.2)

    def _update_table(self) -> VGroup:
        """Rows ``label | value`` of the weight update: before, gradient, learning rate, after (and the moments)."""
        n, w, digits = self.numbers, self.numbers.weight, WEIGHT_DIGITS
        if n.optimizer != "gd":
            return self._moments_table()
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
        return _table(rows)

    def _moments_table(self) -> VGroup:
        """The momentum or Adam update of the chosen weight: gradient, moments (corrected), after."""
        n, w, st, k = self.numbers, self.numbers.weight, self.numbers.step, WEIGHT_DIGITS
        while k < 8 and tex_number(st.before, k) == tex_number(st.after, k):  # a small step shows in more digits
            k += 1

        def t(v: float) -> str:
            return tex_number(v, k)

        rows: list[tuple[str, MathTex]] = [
            ("gradient", self.weight_formula(rf"d{w.tex} = {t(st.grad)}", font_size=30)),
        ]
        if n.optimizer == "momentum":
            rows.append(
                (
                    "velocity",
                    MathTex(
                        rf"v = {st.beta:g} \times {as_factor(t(st.v_prev), st.v_prev)} + {1 - st.beta:g} \times "
                        rf"{as_factor(t(st.grad), st.grad)} = {t(st.v)}",
                        font_size=30,
                        color=TEXT,
                    ),
                )
            )
            step = rf"{t(st.before)} - {lr_text(st.lr)} \times {as_factor(t(st.v), st.v)} = {t(st.after)}"
        else:
            rows += [
                (
                    "first moment",
                    MathTex(rf"v = {t(st.v)},\ \ \hat v = v / {t(st.c1)} = {t(st.v_hat)}", font_size=30, color=TEXT),
                ),
                (
                    "second moment",
                    MathTex(rf"s = {t(st.s)},\ \ \hat s = s / {t(st.c2)} = {t(st.s_hat)}", font_size=30, color=TEXT),
                ),
            ]
            step = (
                rf"{t(st.before)} - {lr_text(st.lr)} \times \frac{{{t(st.v_hat)}}}{{\sqrt{{{t(st.s_hat)}}} + "
                rf"10^{{{int(round(np.log10(st.epsilon)))}}}}} = {t(st.after)}"
            )
        rows.append(("after", MathTex(step, font_size=30, color=TEXT)))
        return _table(rows, step=0.8)

    def _weight_label(self, value: float) -> VMobject:
        """The chosen weight's value beside its edge, boxed in the highlight colour."""
        lab = MathTex(tex_number(value, WEIGHT_DIGITS), font_size=26, color=HIGHLIGHT)
        lab.add_background_rectangle(opacity=0.9, buff=0.06)
        edge = self._weight_edge()
        # above the edge's middle if it is clear, else the first clear place along it (a deep
        # diagram's columns are close; the top unit's edge runs just under the note saying what the
        # edges show). One hidden layer's places are judged kept in the frame: a weight as long as
        # -1.756 x 10^-232 by the first layer's edge, kept in the frame, reached over the input x1.
        places = itertools.product((0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8), (0.28 * UP, 0.28 * DOWN, 0.45 * UP))
        obstacles = [*self._marks(), self.note, *self.titles]  # the columns' titles under the nodes too
        if not _place_clear(lab, edge, places, obstacles, framed=self.L <= 2):
            # nowhere clear along the edge (a crowded diagram; a 1-1-1 one's short last edge under the
            # note, for 6.681 x 10^-6): by the output, where no column is
            self._beside_output(lab, obstacles)
        # a weight as long as 5.502 x 10^-132 on the first layer's edge reached past the left edge
        return keep_in_frame(lab)

    def _beside_output(self, lab: Mobject, obstacles: Sequence[Mobject]) -> None:
        """Put the weight's label ``lab`` by the output unit: above it, else under it, else under its title.

        Under its title: "output: σ" lies right under a diagram whose every layer is one unit, all
        in one row. The label starts at the output's left and ends before the update's table
        (:data:`RIGHT_COLUMN`); a wider one is moved left as far as it must, and only if that
        overlaps the diagram too is it scaled down to the room (an astronomical weight, 8.1 x 10^75,
        reached into the table's labels).
        """
        out = _drawn(self._node(self.L, 0))
        limit = RIGHT_COLUMN[0] - 0.1
        places = ((out, UP), (out, DOWN), (self.titles[-1], DOWN))

        def clear_at(anchor: Mobject, side: np.ndarray) -> bool:
            lab.next_to(anchor, side, buff=0.12).align_to(out, LEFT)
            lab.shift(min(limit - lab.get_right()[0], 0.0) * RIGHT)
            return not any(_overlap(lab, other) for other in obstacles)

        if any(clear_at(anchor, side) for anchor, side in places):
            return
        lab.scale_to_fit_width(min(lab.width, limit - out.get_left()[0]))
        for anchor, side in places:
            if clear_at(anchor, side):
                return

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
                readout = ReplayReadout(self.history, n.weight, label, n.steps[0], n.clock)
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
