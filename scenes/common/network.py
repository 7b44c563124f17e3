"""The network diagram every scene shares: nodes, and edges styled by the real weights, at any depth.

``manim render -ql -s scenes/forward_pass.py ForwardPass`` shows it in use; tests in
``tests/test_scene_common.py`` check its structure.

Edges encode a weight's sign by colour (blue positive, red negative) and its magnitude by width,
with one scale per layer taken over the whole history, so widths are comparable between
iterations. Nodes can be filled by their activation for one input. The diagram returns
animations (``make_*_animation``); scenes decide when to play them.

Layers are numbered as the course numbers them: 0 the inputs (named by their feature, ``x_1 x_2``
for a cross), 1 to ``L - 1`` the hidden layers, ``L`` the output. A wide hidden layer is drawn as
its first and last units round an ellipsis, its true size under it (:mod:`scenes.common.layout`).
The one-hidden-layer network's names (``hidden_nodes``, ``edges_1``, ``edges_2``, ``edge_2``) are
its layers 1 and 2.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from nncore.model import Params
from nncore.network import Net, Trace, forward
from scenes.common.format import tex_number
from scenes.common.layout import NetworkLayout, network_layout
from scenes.common.model_text import activation, activation_scale, feature_tex
from scenes.common.palette import CLASS_0, CLASS_1, MUTED, TEXT, value_color, value_width
from scenes.common.tex import prefetch


class NetworkDiagram(VGroup):
    """Input → hidden layers → output nodes, edges styled by the weights of one iteration.

    Parameters
    ----------
    history : History
        The run whose parameters are drawn.
    iteration : int
        The iteration shown at first (index into the history's parameter arrays).
    max_hidden_shown : int
        At most this many units of a hidden layer are drawn; beyond it, the first and last few
        are drawn with a vertical ellipsis between them.
    width, height : float
        Size of the diagram in scene units.
    node_radius : float
        Radius of every node.

    Attributes
    ----------
    sizes : tuple of int
        ``(n_x, n_1, ..., 1)``, the true sizes.
    layers : int
        ``L``, the layers with parameters.
    layer_nodes : list of VGroup
        The drawn nodes of each layer, ``0`` (inputs) to ``L`` (output).
    layer_units : list of list of int
        The unit index of each drawn node, by layer.
    layer_edges : list of VGroup
        ``layer_edges[l - 1]`` joins layer ``l - 1`` to layer ``l``: its line ``r * d + k`` (``d``
        drawn nodes in layer ``l - 1``) joins drawn node ``k`` of layer ``l - 1`` to drawn node
        ``r`` of layer ``l``; :meth:`edge` finds one by unit indices.
    scales : list of float
        Each layer's largest ``|W|`` over the run (full colour and width).
    input_nodes, hidden_nodes : VGroup
        Layers 0 and 1.
    output_node : Circle
    edges_1, edges_2 : VGroup
        ``layer_edges[0]`` and ``layer_edges[1]`` (for one hidden layer, the edges to the output).
    shown_units : list of int
        The drawn units of the first hidden layer.
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
        self.activation = history.config.activation
        self.sizes = tuple(history.sizes)
        self.layers = L = len(self.sizes) - 1
        self.n_x, self.n_h = history.n_x, history.hidden_units
        arrays = history.arrays
        # One scale per layer over the whole run: the same weight value always looks the same.
        self.scales = [float(np.abs(arrays[f"W{l}"]).max()) or 1.0 for l in range(1, L + 1)]
        self.scale_1, self.scale_2 = self.scales[0], self.scales[1]

        layout = network_layout(
            self.sizes, max_hidden_shown=max_hidden_shown, width=width, height=height, node_radius=node_radius
        )
        self.layout = layout
        self.layer_units = layout.shown
        self.shown_units = layout.shown[1]
        self.compressed = len(self.shown_units) < self.n_h
        self.node_radius = node_radius = layout.node_radius
        self.layer_nodes = [VGroup(*[self._node((layout.xs[l], y, 0)) for y in layout.ys[l]]) for l in range(L + 1)]
        self.layer_edges = [
            VGroup(
                *[
                    Line(prev.get_center(), node.get_center(), buff=node_radius)
                    for node in self.layer_nodes[l]
                    for prev in self.layer_nodes[l - 1]
                ]
            )
            for l in range(1, L + 1)
        ]
        self.input_nodes, self.hidden_nodes = self.layer_nodes[0], self.layer_nodes[1]
        self.output_node = cast(Circle, self.layer_nodes[L][0])
        self.edges_1, self.edges_2 = self.layer_edges[0], self.layer_edges[1]

        self._add_labels(layout)
        self.add(
            *self.layer_edges,
            *self.layer_nodes,
            *self.layer_labels[:L],
            self.output_label,
            self.extras,
        )
        self.iteration = iteration
        self.set_iteration(iteration)

    # --- construction helpers --------------------------------------------------------------

    def _add_labels(self, layout: NetworkLayout) -> None:
        """The nodes' labels (the inputs' features, unit numbers, ``ŷ``) and the ellipses of wide layers."""
        label_size = 28 * min(self.node_radius / 0.26, 1.0)
        inputs = VGroup()
        units = [f"{u + 1}" for l in range(1, self.layers) for u in layout.shown[l]]
        prefetch([*feature_tex(self.history.config), *units])  # every label in one LaTeX run
        for name, node in zip(feature_tex(self.history.config), self.input_nodes, strict=True):
            lab = MathTex(name, font_size=label_size, color=TEXT).move_to(node)
            if lab.width > 1.7 * self.node_radius:  # a cross or a sine: shrunk to sit inside its node
                lab.scale_to_fit_width(1.7 * self.node_radius)
            inputs.add(lab)
        self.input_labels = inputs
        self.layer_labels = [inputs]
        for l in range(1, self.layers):
            self.layer_labels.append(
                VGroup(
                    *[
                        MathTex(f"{u + 1}", font_size=label_size * 0.8, color=TEXT).move_to(n)
                        for u, n in zip(layout.shown[l], self.layer_nodes[l], strict=True)
                    ]
                )
            )
        self.hidden_labels = self.layer_labels[1]
        self.output_label = MathTex(r"\hat{y}", font_size=label_size, color=TEXT).move_to(self.output_node)
        self.extras = VGroup()
        for l in range(1, self.layers):
            y = layout.ellipsis_ys[l]
            if y is not None:
                # The unit numbers either side of the dots (…, 4, ⋮, 46, …) say how many are hidden.
                self.extras.add(MathTex(r"\vdots", font_size=36, color=MUTED).move_to((layout.xs[l], y, 0)))

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

    def node(self, layer: int, unit: int) -> Circle | None:
        """The circle of unit ``unit`` (0-based) of layer ``layer``, or ``None`` if compressed away."""
        units = self.layer_units[layer]
        if unit not in units:
            return None
        return cast(Circle, self.layer_nodes[layer][units.index(unit)])

    def edge(self, layer: int, unit: int, k: int) -> Line | None:
        """The edge of weight ``W[layer][unit, k]``: from unit ``k`` of layer ``layer - 1`` to ``unit``, if drawn."""
        units, prev = self.layer_units[layer], self.layer_units[layer - 1]
        if unit not in units or k not in prev:
            return None
        return cast(Line, self.layer_edges[layer - 1][units.index(unit) * len(prev) + prev.index(k)])

    def hidden_node(self, unit: int) -> Circle | None:
        """The circle of unit ``unit`` (0-based) of the first hidden layer, or ``None`` if compressed away."""
        return self.node(1, unit)

    def edge_1(self, unit: int, k: int) -> Line | None:
        """The edge from input ``k`` to hidden unit ``unit`` (weight ``W1[unit, k]``), if drawn."""
        return self.edge(1, unit, k)

    def edge_2(self, unit: int) -> Line | None:
        """The edge from hidden unit ``unit`` to the output (``W2[0, unit]``), if drawn; one hidden layer only."""
        if self.layers != 2:
            raise ValueError(f"edge_2() is for one hidden layer; this network has {self.layers - 1}: use edge()")
        return self.edge(2, 0, unit)

    def params(self) -> Params:
        """Parameters of the iteration currently shown (one hidden layer; :meth:`net` for any depth)."""
        return self.history.params(self.iteration)

    def net(self) -> Net:
        """Every layer's parameters at the iteration currently shown."""
        return self.history.net(self.iteration)

    # --- styling ---------------------------------------------------------------------------

    def _layer_styles(
        self, values: Sequence[np.ndarray], scales: Sequence[float]
    ) -> list[tuple[VMobject, ManimColor, float]]:
        styles = []
        for l in range(1, self.layers + 1):
            vals, scale, prev = values[l - 1], scales[l - 1], self.layer_units[l - 1]
            for r, u in enumerate(self.layer_units[l]):
                for j, k in enumerate(prev):
                    v = float(vals[u, k])
                    line = self.layer_edges[l - 1][r * len(prev) + j]
                    styles.append((line, value_color(v, scale), value_width(v, scale)))
        return styles

    @staticmethod
    def _scales(values: Sequence[np.ndarray], scales: Sequence[float | None] | None) -> list[float]:
        given = list(scales) if scales is not None else [None] * len(values)
        return [s if s is not None else float(np.abs(v).max()) or 1.0 for v, s in zip(values, given, strict=True)]

    def set_layer_values(
        self, values: Sequence[np.ndarray], scales: Sequence[float | None] | None = None
    ) -> NetworkDiagram:
        """Style every layer's edges by signed values shaped like its weights (e.g. gradients).

        Parameters
        ----------
        values : sequence of ndarray
            ``values[l - 1]`` shaped like ``W[l]``, ``(n_l, n_{l-1})``.
        scales : sequence of float, optional
            Magnitudes of full colour and width; by default each layer's largest ``|value|``.
        """
        for line, color, width in self._layer_styles(values, self._scales(values, scales)):
            line.set_stroke(color=color, width=width)
        return self

    def set_edge_values(
        self, values_1: np.ndarray, values_2: np.ndarray, scale_1: float | None = None, scale_2: float | None = None
    ) -> NetworkDiagram:
        """Style a one-hidden-layer network's edges by values shaped like ``W1``, ``W2`` (:meth:`set_layer_values`).

        Parameters
        ----------
        values_1 : ndarray, shape (n_h, n_x)
        values_2 : ndarray, shape (1, n_h)
        scale_1, scale_2 : float, optional
            Magnitudes of full colour and width; default the largest ``|value|`` of each layer.
        """
        return self.set_layer_values([values_1, values_2], [scale_1, scale_2])

    def set_iteration(self, iteration: int) -> NetworkDiagram:
        """Style the edges by the weights of ``iteration`` (cheap: usable in an updater)."""
        self.iteration = int(iteration)
        return self.set_layer_values(self.history.net(self.iteration).W, self.scales)

    def make_iteration_animation(self, iteration: int, **kwargs: Any) -> Animation:
        """Animate the edges from the weights shown now to those of ``iteration``.

        Parameters
        ----------
        iteration : int
        **kwargs
            Passed to the returned :class:`~manim.AnimationGroup` (``run_time`` …).
        """
        self.iteration = int(iteration)
        styles = self._layer_styles(self.history.net(self.iteration).W, self.scales)
        return self._edge_animation(styles, kwargs)

    def make_layer_values_animation(
        self, values: Sequence[np.ndarray], scales: Sequence[float | None] | None = None, **kwargs: Any
    ) -> Animation:
        """Animate every layer's edges to styles given by arbitrary values (see :meth:`set_layer_values`)."""
        return self._edge_animation(self._layer_styles(values, self._scales(values, scales)), kwargs)

    def make_edge_values_animation(
        self,
        values_1: np.ndarray,
        values_2: np.ndarray,
        scale_1: float | None = None,
        scale_2: float | None = None,
        **kwargs: Any,
    ) -> Animation:
        """Animate the edges to styles given by arbitrary values (see :meth:`set_edge_values`)."""
        return self.make_layer_values_animation([values_1, values_2], [scale_1, scale_2], **kwargs)

    # --- activations -----------------------------------------------------------------------

    def trace(self, x: np.ndarray) -> Trace:
        """Forward one input (``(n_x,)`` or ``(n_x, 1)``) through the parameters shown now: every layer's Z and A."""
        return forward(np.asarray(x, dtype=float).reshape(self.n_x, 1), self.net(), self.activation)

    def activations(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Forward one input through the parameters shown now: the first hidden layer's and the output's values.

        Parameters
        ----------
        x : ndarray, shape (n_x,) or (n_x, 1)

        Returns
        -------
        z1 : ndarray, shape (n_1,)
        a1 : ndarray, shape (n_1,)
        z_out : float
        a_out : float
        """
        t = self.trace(x)
        return t.Z[0][:, 0], t.A[0][:, 0], float(t.Z[-1][0, 0]), float(t.A[-1][0, 0])

    def activation_scales(self) -> list[float]:
        """Each hidden layer's full-colour value (1 for tanh; for ReLU its largest activation over the training set)."""
        if self.activation in ("tanh", "sigmoid"):
            return [1.0] * (self.layers - 1)
        t = forward(self.history.X, self.net(), self.activation)
        return [activation_scale(self.activation, t.A[l]) for l in range(self.layers - 1)]

    def _activation_fills(self, x: np.ndarray) -> list[list[tuple[VMobject, ManimColor, float]]]:
        """Each layer's fills for input ``x``, layer 0 to ``L``."""
        x = np.asarray(x, dtype=float).reshape(-1)
        t = self.trace(x)
        x_scale = float(np.abs(self.history.X).max()) or 1.0
        scales = self.activation_scales()
        fills: list[list[tuple[VMobject, ManimColor, float]]] = [
            [(node, value_color(x[k], x_scale), 0.85) for k, node in enumerate(self.input_nodes)]
        ]
        for l in range(1, self.layers):
            a = t.A[l - 1][:, 0]
            fills.append(
                [
                    (node, value_color(a[u], scales[l - 1]), 0.85)
                    for node, u in zip(self.layer_nodes[l], self.layer_units[l], strict=True)
                ]
            )
        out_a = float(t.A[-1][0, 0])
        out = CLASS_1 if out_a >= 0.5 else CLASS_0
        fills.append([(self.output_node, out, 0.15 + 0.8 * abs(2 * out_a - 1))])
        return fills

    def set_activations(self, x: np.ndarray) -> NetworkDiagram:
        """Fill every node by its activation for input ``x``.

        Inputs and hidden units are filled by sign and size (blue positive, red negative), the
        output by its predicted class and confidence.
        """
        for layer in self._activation_fills(x):
            for node, color, opacity in layer:
                node.set_fill(color=color, opacity=opacity)
        return self

    def make_activation_animation(self, x: np.ndarray, lag_ratio: float = 0.3, **kwargs: Any) -> Animation:
        """Animate the nodes filling layer by layer for input ``x`` (see :meth:`set_activations`)."""
        return AnimationGroup(
            *[
                AnimationGroup(*[node.animate.set_fill(color=c, opacity=o) for node, c, o in layer], group=self)  # type: ignore[arg-type]  # .animate
                for layer in self._activation_fills(x)
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
            0 for the inputs, 1 to ``L - 1`` for the hidden layers, ``L`` for the output.
        **kwargs
            Passed to the returned :class:`~manim.AnimationGroup`.
        """
        fills = self._activation_fills(x)[layer]
        anims = [node.animate.set_fill(color=c, opacity=o) for node, c, o in fills]
        return AnimationGroup(*anims, **self._group(kwargs))  # type: ignore[arg-type]  # .animate: manim plays builders

    def make_clear_activations_animation(self, **kwargs: Any) -> Animation:
        """Animate every node back to unfilled."""
        nodes: list[VMobject] = [node for layer in self.layer_nodes for node in layer]
        return AnimationGroup(*[n.animate.set_fill(opacity=0.0) for n in nodes], **self._group(kwargs))  # type: ignore[arg-type]  # .animate

    # --- labels ----------------------------------------------------------------------------

    def make_value_labels(self, layer: int, values: np.ndarray | None = None, font_size: float = 20) -> VGroup:
        """Labels with the value of each drawn edge of the first layer (1) or of the output (``L``), along the edge.

        Parameters
        ----------
        layer : int
            1 for input→hidden edges (``W1``), ``L`` for the last hidden layer→output edges.
        values : ndarray, optional
            Values shaped like that layer's weights; default the weights of the iteration shown.
        font_size : float

        Returns
        -------
        VGroup
            One label per drawn edge, in the order of :attr:`layer_edges`; not added to the
            diagram (the scene adds or animates it).
        """
        if layer not in (1, self.layers):
            raise ValueError(f"layer must be 1 or {self.layers}, got {layer}")
        vals = self.net().W[layer - 1] if values is None else values
        scale = self.scales[layer - 1]
        prev = self.layer_units[layer - 1]
        labels = VGroup()
        for r, u in enumerate(self.layer_units[layer]):
            for j, k in enumerate(prev):
                line = self.layer_edges[layer - 1][r * len(prev) + j]
                v = float(vals[u, k])
                # Into the first layer: near the hidden end for the upper input, near the input end
                # for the others, so that labels of crossing edges do not overlap; into the output, halfway.
                t = 0.5 if layer == self.layers else (0.72 if j == 0 else 0.28)
                lab = MathTex(tex_number(v), font_size=font_size, color=value_color(v, scale))
                lab.add_background_rectangle(opacity=0.85, buff=0.04)
                lab.move_to(line.point_from_proportion(t)).shift(0.16 * UP)
                labels.add(lab)
        return labels

    def layer_titles(self, font_size: float = 24) -> VGroup:
        """Titles under the columns: inputs, the hidden layers (their true size and activation), output (sigmoid).

        One hidden layer: "hidden: 4 tanh". Deeper: each hidden column's size under it, and one line
        below them naming their activation ("hidden: ReLU").
        """
        bottom = min(group.get_bottom()[1] for group in self.layer_nodes[:-1]) - 0.35
        act = activation(self.history.config)
        name = r"\tanh" if act.key == "tanh" else rf"\text{{{act.name}}}"
        titles = VGroup(
            MathTex(r"\text{input}", font_size=font_size, color=MUTED).move_to((self.input_nodes.get_x(), bottom, 0))
        )
        if self.layers == 2:
            titles.add(
                MathTex(rf"\text{{hidden: }}{self.n_h}\ {name}", font_size=font_size, color=MUTED).move_to(
                    (self.hidden_nodes.get_x(), bottom, 0)
                )
            )
        else:
            for l in range(1, self.layers):
                titles.add(
                    MathTex(str(self.sizes[l]), font_size=font_size, color=MUTED).move_to(
                        (self.layer_nodes[l].get_x(), bottom, 0)
                    )
                )
            middle = (self.layer_nodes[1].get_x() + self.layer_nodes[self.layers - 1].get_x()) / 2
            titles.add(
                MathTex(rf"\text{{hidden: }}{name}", font_size=font_size, color=MUTED).move_to(
                    (middle, bottom - 0.4, 0)
                )
            )
        titles.add(
            MathTex(r"\text{output: } \sigma", font_size=font_size, color=MUTED).move_to(
                (self.output_node.get_x(), bottom, 0)
            )
        )
        return titles
