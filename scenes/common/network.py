"""The network diagram every scene shares: nodes, and edges styled by the real weights.

``manim render -ql -s scenes/forward_pass.py ForwardPass`` shows it in use; tests in
``tests/test_scene_common.py`` check its structure.

Edges encode a weight's sign by colour (blue positive, red negative) and its magnitude by width,
with one scale per layer taken over the whole history, so widths are comparable between
iterations. Nodes can be filled by their activation for one input. The diagram returns
animations (``make_*_animation``); scenes decide when to play them.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from manim import (
    UP,
    Animation,
    AnimationGroup,
    Circle,
    Line,
    ManimColor,
    MathTex,
    VGroup,
    VMobject,
)
from manim.typing import Point3DLike

from nncore import History
from nncore.model import Params, forward
from scenes.common.format import tex_number
from scenes.common.layout import DiagramLayout, diagram_layout
from scenes.common.palette import CLASS_0, CLASS_1, MUTED, TEXT, value_color, value_width


class NetworkDiagram(VGroup):
    """Input (n_x) → hidden (n_h) → output nodes, edges styled by the weights of one iteration.

    Parameters
    ----------
    history : History
        The run whose parameters are drawn.
    iteration : int
        The iteration shown at first (index into the history's parameter arrays).
    max_hidden_shown : int
        At most this many hidden units are drawn; beyond it, the first and last few are drawn with
        a vertical ellipsis between them and a note ``n_h = …``.
    width, height : float
        Size of the diagram in scene units.
    node_radius : float
        Radius of every node.

    Attributes
    ----------
    input_nodes, hidden_nodes : VGroup
        Circles of the input units and of the *drawn* hidden units.
    output_node : Circle
    edges_1 : VGroup
        One :class:`~manim.Line` per (drawn hidden unit, input): ``edges_1[r * n_x + k]`` joins input
        ``k`` to drawn hidden row ``r``; :meth:`edge_1` finds one by unit index.
    edges_2 : VGroup
        One line per drawn hidden unit to the output.
    shown_units : list of int
        The hidden unit index of each drawn hidden node.
    iteration : int
        The iteration whose weights the edges currently show.
    """

    def __init__(
        self,
        history: History,
        iteration: int = 0,
        *,
        max_hidden_shown: int = 10,
        width: float = 5.0,
        height: float = 4.0,
        node_radius: float = 0.26,
    ) -> None:
        super().__init__()
        self.history = history
        self.n_x, self.n_h = history.n_x, history.hidden_units
        # One scale per layer over the whole run: the same weight value always looks the same.
        self.scale_1 = float(np.abs(history.W1).max()) or 1.0
        self.scale_2 = float(np.abs(history.W2).max()) or 1.0

        layout = diagram_layout(
            self.n_x,
            self.n_h,
            max_hidden_shown=max_hidden_shown,
            width=width,
            height=height,
            node_radius=node_radius,
        )
        self.shown_units = layout.shown_units
        self.compressed = layout.compressed
        self.node_radius = node_radius = layout.node_radius
        self.input_nodes = VGroup(*[self._node((layout.x_input, y, 0)) for y in layout.input_ys])
        self.hidden_nodes = VGroup(*[self._node((layout.x_hidden, y, 0)) for y in layout.hidden_ys])
        self.output_node = self._node((layout.x_output, 0, 0))
        self.edges_1 = VGroup(
            *[
                Line(self.input_nodes[k].get_center(), h.get_center(), buff=node_radius)
                for h in self.hidden_nodes
                for k in range(self.n_x)
            ]
        )
        self.edges_2 = VGroup(
            *[Line(h.get_center(), self.output_node.get_center(), buff=node_radius) for h in self.hidden_nodes]
        )

        self._add_labels(layout)
        self.add(
            self.edges_1,
            self.edges_2,
            self.input_nodes,
            self.hidden_nodes,
            self.output_node,
            self.input_labels,
            self.hidden_labels,
            self.output_label,
            self.extras,
        )
        self.iteration = iteration
        self.set_iteration(iteration)

    # --- construction helpers --------------------------------------------------------------

    def _add_labels(self, layout: DiagramLayout) -> None:
        """The nodes' labels (``x_1``, unit numbers, ``ŷ``) and, when units are left out, the ellipsis."""
        label_size = 28 * min(self.node_radius / 0.26, 1.0)
        self.input_labels = VGroup(
            *[
                MathTex(f"x_{k + 1}", font_size=label_size, color=TEXT).move_to(n)
                for k, n in enumerate(self.input_nodes)
            ]
        )
        self.hidden_labels = VGroup(
            *[
                MathTex(f"{u + 1}", font_size=label_size * 0.8, color=TEXT).move_to(n)
                for u, n in zip(self.shown_units, self.hidden_nodes, strict=True)
            ]
        )
        self.output_label = MathTex(r"\hat{y}", font_size=label_size, color=TEXT).move_to(self.output_node)
        self.extras = VGroup()
        if layout.ellipsis_y is not None:
            # The unit numbers either side of the dots (…, 4, ⋮, 46, …) say how many are hidden.
            dots = MathTex(r"\vdots", font_size=36, color=MUTED).move_to((layout.x_hidden, layout.ellipsis_y, 0))
            self.extras.add(dots)

    def _node(self, point: Point3DLike) -> Circle:
        node = Circle(radius=self.node_radius, color=TEXT, stroke_width=2.5)
        node.set_fill(opacity=0.0)
        return node.move_to(point)

    def _group(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        # The animations' mobject is the diagram itself: a fresh wrapper group would be added on
        # top of the scene, redrawing edges over nodes and fills over labels after it plays.
        return {"group": self, **kwargs}

    def _edge_animation(self, styles: list[tuple[VMobject, ManimColor, float]], kwargs: dict[str, Any]) -> Animation:
        anims = [line.animate.set_stroke(color=c, width=w) for line, c, w in styles]
        return AnimationGroup(*anims, **self._group(kwargs))  # type: ignore[arg-type]  # .animate: manim plays builders

    # --- look-ups --------------------------------------------------------------------------

    def hidden_node(self, unit: int) -> Circle | None:
        """The circle of hidden unit ``unit`` (0-based), or ``None`` if compressed away."""
        if unit not in self.shown_units:
            return None
        return cast(Circle, self.hidden_nodes[self.shown_units.index(unit)])

    def edge_1(self, unit: int, k: int) -> Line | None:
        """The edge from input ``k`` to hidden unit ``unit`` (weight ``W1[unit, k]``), if drawn."""
        if unit not in self.shown_units:
            return None
        return cast(Line, self.edges_1[self.shown_units.index(unit) * self.n_x + k])

    def edge_2(self, unit: int) -> Line | None:
        """The edge from hidden unit ``unit`` to the output (weight ``W2[0, unit]``), if drawn."""
        if unit not in self.shown_units:
            return None
        return cast(Line, self.edges_2[self.shown_units.index(unit)])

    def params(self) -> Params:
        """Parameters of the iteration currently shown."""
        return self.history.params(self.iteration)

    # --- styling ---------------------------------------------------------------------------

    def _edge_styles(
        self, values_1: np.ndarray, values_2: np.ndarray, scale_1: float, scale_2: float
    ) -> list[tuple[VMobject, ManimColor, float]]:
        styles = []
        for r, u in enumerate(self.shown_units):
            for k in range(self.n_x):
                v = float(values_1[u, k])
                styles.append((self.edges_1[r * self.n_x + k], value_color(v, scale_1), value_width(v, scale_1)))
            v = float(values_2[0, u])
            styles.append((self.edges_2[r], value_color(v, scale_2), value_width(v, scale_2)))
        return styles

    def set_edge_values(
        self, values_1: np.ndarray, values_2: np.ndarray, scale_1: float | None = None, scale_2: float | None = None
    ) -> NetworkDiagram:
        """Style the edges by arbitrary signed values shaped like ``W1`` and ``W2`` (e.g. gradients).

        Parameters
        ----------
        values_1 : ndarray, shape (n_h, n_x)
        values_2 : ndarray, shape (1, n_h)
        scale_1, scale_2 : float, optional
            Magnitudes of full colour and width; default the largest ``|value|`` of each layer.
        """
        s1 = scale_1 if scale_1 is not None else float(np.abs(values_1).max()) or 1.0
        s2 = scale_2 if scale_2 is not None else float(np.abs(values_2).max()) or 1.0
        for line, color, width in self._edge_styles(values_1, values_2, s1, s2):
            line.set_stroke(color=color, width=width)
        return self

    def set_iteration(self, iteration: int) -> NetworkDiagram:
        """Style the edges by the weights of ``iteration`` (cheap: usable in an updater)."""
        self.iteration = int(iteration)
        p = self.history.params(self.iteration)
        return self.set_edge_values(p.W1, p.W2, self.scale_1, self.scale_2)

    def make_iteration_animation(self, iteration: int, **kwargs: Any) -> Animation:
        """Animate the edges from the weights shown now to those of ``iteration``.

        Parameters
        ----------
        iteration : int
        **kwargs
            Passed to the returned :class:`~manim.AnimationGroup` (``run_time`` …).
        """
        p = self.history.params(int(iteration))
        self.iteration = int(iteration)
        styles = self._edge_styles(p.W1, p.W2, self.scale_1, self.scale_2)
        return self._edge_animation(styles, kwargs)

    def make_edge_values_animation(
        self,
        values_1: np.ndarray,
        values_2: np.ndarray,
        scale_1: float | None = None,
        scale_2: float | None = None,
        **kwargs: Any,
    ) -> Animation:
        """Animate the edges to styles given by arbitrary values (see :meth:`set_edge_values`)."""
        s1 = scale_1 if scale_1 is not None else float(np.abs(values_1).max()) or 1.0
        s2 = scale_2 if scale_2 is not None else float(np.abs(values_2).max()) or 1.0
        styles = self._edge_styles(values_1, values_2, s1, s2)
        return self._edge_animation(styles, kwargs)

    # --- activations -----------------------------------------------------------------------

    def activations(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Forward one input through the parameters shown now.

        Parameters
        ----------
        x : ndarray, shape (n_x,) or (n_x, 1)

        Returns
        -------
        z1 : ndarray, shape (n_h,)
        a1 : ndarray, shape (n_h,)
        z2 : float
        a2 : float
        """
        c = forward(np.asarray(x, dtype=float).reshape(self.n_x, 1), self.params())
        return c.Z1[:, 0], c.A1[:, 0], float(c.Z2[0, 0]), float(c.A2[0, 0])

    def _activation_fills(self, x: np.ndarray) -> list[tuple[VMobject, ManimColor, float]]:
        x = np.asarray(x, dtype=float).reshape(-1)
        _, a1, _, a2 = self.activations(x)
        x_scale = float(np.abs(self.history.X).max()) or 1.0
        fills: list[tuple[VMobject, ManimColor, float]] = []
        for k, node in enumerate(self.input_nodes):
            fills.append((node, value_color(x[k], x_scale), 0.85))
        for r, u in enumerate(self.shown_units):
            fills.append((self.hidden_nodes[r], value_color(a1[u], 1.0), 0.85))
        out = CLASS_1 if a2 >= 0.5 else CLASS_0
        fills.append((self.output_node, out, 0.15 + 0.8 * abs(2 * a2 - 1)))
        return fills

    def set_activations(self, x: np.ndarray) -> NetworkDiagram:
        """Fill every node by its activation for input ``x``.

        Inputs and hidden units are filled by sign and size (blue positive, red negative), the
        output by its predicted class and confidence.
        """
        for node, color, opacity in self._activation_fills(x):
            node.set_fill(color=color, opacity=opacity)
        return self

    def make_activation_animation(self, x: np.ndarray, lag_ratio: float = 0.3, **kwargs: Any) -> Animation:
        """Animate the nodes filling layer by layer for input ``x`` (see :meth:`set_activations`)."""
        fills = self._activation_fills(x)
        n_in, n_hid = self.n_x, len(self.shown_units)
        layers = [fills[:n_in], fills[n_in : n_in + n_hid], fills[n_in + n_hid :]]
        return AnimationGroup(
            *[
                AnimationGroup(*[node.animate.set_fill(color=c, opacity=o) for node, c, o in layer], group=self)  # type: ignore[arg-type]  # .animate
                for layer in layers
            ],
            lag_ratio=lag_ratio,
            **self._group(kwargs),
        )

    def make_layer_fill_animation(self, x: np.ndarray, layer: int, **kwargs: Any) -> Animation:
        """Fill the nodes of one layer for input ``x`` as :meth:`set_activations` would.

        Parameters
        ----------
        x : ndarray, shape (n_x,)
        layer : int
            0 for the inputs, 1 for the hidden units, 2 for the output.
        **kwargs
            Passed to the returned :class:`~manim.AnimationGroup`.
        """
        fills = self._activation_fills(x)
        n_in, n_hid = self.n_x, len(self.shown_units)
        start, stop = [(0, n_in), (n_in, n_in + n_hid), (n_in + n_hid, len(fills))][layer]
        anims = [node.animate.set_fill(color=c, opacity=o) for node, c, o in fills[start:stop]]
        return AnimationGroup(*anims, **self._group(kwargs))  # type: ignore[arg-type]  # .animate: manim plays builders

    def make_clear_activations_animation(self, **kwargs: Any) -> Animation:
        """Animate every node back to unfilled."""
        nodes = [*self.input_nodes, *self.hidden_nodes, self.output_node]
        return AnimationGroup(*[n.animate.set_fill(opacity=0.0) for n in nodes], **self._group(kwargs))

    # --- labels ----------------------------------------------------------------------------

    def make_value_labels(self, layer: int, values: np.ndarray | None = None, font_size: float = 20) -> VGroup:
        """Labels with the value of each drawn edge of ``layer`` (1 or 2), placed along the edge.

        Parameters
        ----------
        layer : int
            1 for input→hidden edges (``W1``), 2 for hidden→output edges (``W2``).
        values : ndarray, optional
            Values shaped like ``W1``/``W2``; default the weights of the iteration shown.
        font_size : float

        Returns
        -------
        VGroup
            One label per drawn edge, in the order of ``edges_1`` / ``edges_2``; not added to the
            diagram (the scene adds or animates it).
        """
        p = self.params()
        labels = VGroup()
        if layer == 1:
            vals = p.W1 if values is None else values
            for r, u in enumerate(self.shown_units):
                for k in range(self.n_x):
                    line = self.edges_1[r * self.n_x + k]
                    v = float(vals[u, k])
                    # Near the hidden end for the upper input, near the input end for the lower one,
                    # so that labels of crossing edges do not overlap.
                    t = 0.72 if k == 0 else 0.28
                    lab = MathTex(tex_number(v), font_size=font_size, color=value_color(v, self.scale_1))
                    lab.add_background_rectangle(opacity=0.85, buff=0.04)
                    lab.move_to(line.point_from_proportion(t)).shift(0.16 * UP)
                    labels.add(lab)
        elif layer == 2:
            vals = p.W2 if values is None else values
            for r, u in enumerate(self.shown_units):
                line = self.edges_2[r]
                v = float(vals[0, u])
                lab = MathTex(tex_number(v), font_size=font_size, color=value_color(v, self.scale_2))
                lab.add_background_rectangle(opacity=0.85, buff=0.04)
                lab.move_to(line.point_from_proportion(0.5)).shift(0.16 * UP)
                labels.add(lab)
        else:
            raise ValueError(f"layer must be 1 or 2, got {layer}")
        return labels

    def layer_titles(self, font_size: float = 24) -> VGroup:
        """Titles under the three columns: inputs, hidden (tanh), output (sigmoid)."""
        bottom = min(self.input_nodes.get_bottom()[1], self.hidden_nodes.get_bottom()[1]) - 0.35
        titles = VGroup(
            MathTex(r"\text{input}", font_size=font_size, color=MUTED).move_to((self.input_nodes.get_x(), bottom, 0)),
            MathTex(rf"\text{{hidden: }}{self.n_h}\ \tanh", font_size=font_size, color=MUTED).move_to(
                (self.hidden_nodes.get_x(), bottom, 0)
            ),
            MathTex(r"\text{output: } \sigma", font_size=font_size, color=MUTED).move_to(
                (self.output_node.get_x(), bottom, 0)
            ),
        )
        return titles
