"""Where a network diagram's nodes go, and which hidden units it draws (no Manim).

``python -c "from scenes.common.layout import diagram_layout; print(diagram_layout(2, 50))"``.
:class:`~scenes.common.network.NetworkDiagram` places its nodes by it, and the lecture's page
draws its own diagram from the same layout (exported by ``lecture/page/explorer.py``), so the two look
alike without the rule being written twice.
"""

from __future__ import annotations

from dataclasses import dataclass


def shown_hidden_units(n_h: int, max_shown: int) -> list[int]:
    """The hidden units a diagram draws: all of them, or the first and last few round an ellipsis.

    Beyond ``max_shown`` units, ``(max_shown - 1) // 2`` from the start and the rest of
    ``max_shown - 1`` from the end; the ellipsis takes the last row.
    """
    if n_h <= max_shown:
        return list(range(n_h))
    head = (max_shown - 1) // 2
    tail = max_shown - 1 - head
    return list(range(head)) + list(range(n_h - tail, n_h))


def shown_rows(n: int, max_shown: int) -> tuple[list[int], int | None]:
    """The rows of an ``n``-row matrix that are drawn, and where the ``⋮`` row goes among them.

    All of them when ``n <= max_shown``; otherwise, as :func:`shown_hidden_units` draws a wide
    layer, ``max_shown`` rows in all: the first and the last rows round one ``⋮`` row, so the
    first two rows (the worked examples) are always drawn.

    Returns
    -------
    rows : list of int
        The real rows drawn, top to bottom.
    ellipsis : int or None
        The position of the ``⋮`` row among the drawn rows (``None`` when nothing is left out).
    """
    if n <= max_shown:
        return list(range(n)), None
    rows = shown_hidden_units(n, max_shown)
    head = (max_shown - 1) // 2
    return rows, head


@dataclass(frozen=True)
class DiagramLayout:
    """A diagram's geometry in scene units, centred on the origin, inputs left, output right.

    Attributes
    ----------
    shown_units : list of int
        The hidden unit of each drawn hidden node, top to bottom.
    compressed : bool
        Some hidden units are not drawn (an ellipsis stands for them).
    node_radius : float
        Smaller than asked when many rows would otherwise touch.
    input_ys, hidden_ys : list of float
        Heights of the input nodes and of the drawn hidden nodes, top to bottom.
    ellipsis_y : float or None
        Height of the ellipsis row (``None`` when nothing is left out).
    x_input, x_hidden, x_output : float
    """

    shown_units: list[int]
    compressed: bool
    node_radius: float
    input_ys: list[float]
    hidden_ys: list[float]
    ellipsis_y: float | None
    x_input: float
    x_hidden: float
    x_output: float


@dataclass(frozen=True)
class DiagramSize:
    """A network diagram's box in scene units and how many hidden units it draws.

    What :class:`~scenes.common.network.NetworkDiagram` and :func:`diagram_layout` take as keywords
    (``**dataclasses.asdict(size)``): a scene that names its diagram's size so publishes it for the
    lecture's page, which draws the same diagram (``scenes.decision_boundary.DIAGRAM``).
    """

    width: float
    height: float
    node_radius: float
    max_hidden_shown: int


def diagram_layout(
    n_x: int,
    n_h: int,
    *,
    max_hidden_shown: int = 10,
    width: float = 5.0,
    height: float = 4.0,
    node_radius: float = 0.26,
) -> DiagramLayout:
    """Lay out a ``n_x``-``n_h``-1 network in a ``width`` × ``height`` box.

    Rows of hidden nodes are spaced evenly (at most four radii apart); with more rows than fit,
    nodes shrink to 0.38 of the spacing rather than touch. The inputs spread wider than the
    hidden rows (twice their spacing, at least 1.2) but stay within the height.
    """
    shown = shown_hidden_units(n_h, max_hidden_shown)
    compressed = len(shown) < n_h
    rows = len(shown) + (1 if compressed else 0)
    spacing = min(height / max(rows - 1, 1), 4 * node_radius)
    radius = min(node_radius, 0.38 * spacing)
    hidden_ys = [spacing * ((rows - 1) / 2 - r) for r in range(rows)]
    ellipsis_y = None
    if compressed:
        head = len([u for u in shown if u < n_h // 2])
        ellipsis_y = hidden_ys.pop(head)
    in_spacing = min(max(spacing * 2, 1.2), height / max(n_x - 1, 1))
    input_ys = [in_spacing * ((n_x - 1) / 2 - k) for k in range(n_x)]
    return DiagramLayout(shown, compressed, radius, input_ys, hidden_ys, ellipsis_y, -width / 2, 0.0, width / 2)


@dataclass(frozen=True)
class NetworkLayout:
    """A network of any depth laid out in columns, inputs left, output right, centred on the origin.

    Column ``l`` holds layer ``l`` (0: the inputs, ``L``: the output); a wide hidden layer is drawn
    as its first and last units round an ellipsis, as :func:`diagram_layout` draws the one hidden
    layer (for ``sizes = (n_x, n_h, 1)`` the two agree to the last digit).

    Attributes
    ----------
    sizes : tuple of int
        ``(n_x, n_1, ..., 1)``: the true size of every layer.
    shown : list of list of int
        The drawn units of each layer, top to bottom (every input and the output are drawn).
    ys : list of list of float
        Their heights.
    xs : list of float
        Each column's position.
    ellipsis_ys : list of float or None
        Each layer's ellipsis row (``None`` when nothing is left out).
    node_radius : float
    """

    sizes: tuple[int, ...]
    shown: list[list[int]]
    ys: list[list[float]]
    xs: list[float]
    ellipsis_ys: list[float | None]
    node_radius: float


def network_layout(
    sizes: tuple[int, ...],
    *,
    max_hidden_shown: int = 10,
    width: float = 5.0,
    height: float = 4.0,
    node_radius: float = 0.26,
) -> NetworkLayout:
    """Lay out a ``(n_x, n_1, ..., 1)`` network in a ``width`` × ``height`` box, one column a layer.

    Every hidden layer's rows are spaced as :func:`diagram_layout` spaces the one hidden layer; the
    nodes share one radius (the smallest any layer needs); the inputs spread as there, by the
    first hidden layer's spacing.
    """
    L = len(sizes) - 1
    xs = [-width / 2 + width * l / L for l in range(L + 1)]
    shown: list[list[int]] = [list(range(sizes[0]))]
    ys: list[list[float]] = [[0.0] * sizes[0]]
    ellipses: list[float | None] = [None]
    radius = node_radius
    first_spacing = 0.0
    for l in range(1, L):
        units = shown_hidden_units(sizes[l], max_hidden_shown)
        compressed = len(units) < sizes[l]
        rows = len(units) + (1 if compressed else 0)
        spacing = min(height / max(rows - 1, 1), 4 * node_radius)
        radius = min(radius, 0.38 * spacing)
        row_ys = [spacing * ((rows - 1) / 2 - r) for r in range(rows)]
        ellipsis_y = row_ys.pop(len([u for u in units if u < sizes[l] // 2])) if compressed else None
        if l == 1:
            first_spacing = spacing
        shown.append(units)
        ys.append(row_ys)
        ellipses.append(ellipsis_y)
    n_x = sizes[0]
    in_spacing = min(max(first_spacing * 2, 1.2), height / max(n_x - 1, 1))
    ys[0] = [in_spacing * ((n_x - 1) / 2 - k) for k in range(n_x)]
    shown.append([0])
    ys.append([0.0])
    ellipses.append(None)
    return NetworkLayout(tuple(sizes), shown, ys, xs, ellipses, radius)


__all__ = [
    "DiagramLayout",
    "DiagramSize",
    "NetworkLayout",
    "diagram_layout",
    "network_layout",
    "shown_hidden_units",
    "shown_rows",
]
