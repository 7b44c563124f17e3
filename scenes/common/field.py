"""The network's output over the input plane, as pixels (NumPy only, no Manim).

``python -c "from scenes.common.field import BoundaryField"``; :mod:`scenes.common.panels` shows
these rasters on screen and the lecture's page explorer computes the same field in the browser.

- :class:`Extent` and :func:`data_extent` — the rectangle of input space a picture covers;
  :func:`history_extent` a run's, test points included; :func:`plane_points` the points a picture
  draws (in the plane ``x1, x2``, whatever features the network reads).
- :class:`BoundaryField` — the predicted probability on a pixel grid for any iteration, coloured
  by :func:`~scenes.common.colors.probability_rgb`, with the data points, the 0.5 contour and rings
  round misclassified points drawn *into* the raster (400 ``Dot`` mobjects above a moving image
  would be redrawn every frame); :meth:`BoundaryField.hidden` gives each hidden unit's own field.
  Any network the core trains (every layer, its activation and input features); test points are
  drawn hollow. Week 3's one tanh layer on ``x1, x2`` (:func:`separable_tanh`) keeps its faster
  separable form.
- :func:`top_units` — the hidden units that matter most to the output.
- :func:`clamp_iteration` — an iteration limited to one run, so runs of different lengths share a clock.
"""

from __future__ import annotations

import math
from functools import cache
from typing import NamedTuple

import numpy as np
from scipy.special import expit

from nncore import History
from nncore.data import features
from nncore.model import Params
from nncore.network import Net, activate
from scenes.common.colors import CLASS_0_HEX, CLASS_1_HEX, HIGHLIGHT_HEX, TEXT_HEX, probability_rgb, rgb


def clamp_iteration(history: History, iteration: int) -> int:
    """``iteration`` limited to the run, so that runs of different lengths can share one clock."""
    return min(max(int(iteration), 0), history.iterations)


class Extent(NamedTuple):
    """A rectangle of input space: ``x1`` from ``xmin`` to ``xmax``, ``x2`` from ``ymin`` to ``ymax``."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float

    @property
    def width(self) -> float:
        """``xmax - xmin``."""
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        """``ymax - ymin``."""
        return self.ymax - self.ymin

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height


def data_extent(X: np.ndarray, aspect: float = 1.0, margin: float = 0.08) -> Extent:
    """The rectangle a boundary panel covers: the data's bounding box, widened.

    Parameters
    ----------
    X : ndarray, shape (2, m)
        The inputs.
    aspect : float
        Width over height of the result (the panel's shape); the shorter side is widened
        symmetrically to reach it, so pixels stay square.
    margin : float
        Added on every side, as a fraction of the larger data range.

    Returns
    -------
    Extent
    """
    lo, hi = X.min(axis=1), X.max(axis=1)  # (2,)
    pad = margin * float(max(hi - lo))
    xmin, xmax, ymin, ymax = lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad
    w, h = xmax - xmin, ymax - ymin
    if w / h < aspect:
        grow = (aspect * h - w) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (w / aspect - h) / 2
        ymin, ymax = ymin - grow, ymax + grow
    return Extent(float(xmin), float(xmax), float(ymin), float(ymax))


def plane_points(history: History, test: bool = False) -> np.ndarray:
    """The points a boundary picture draws, in the input plane ``(x1, x2)``, shape ``(2, m)``.

    The network's inputs ``X`` themselves for the default features; the points the features were
    computed from (``points``, ``points_test``) otherwise. ``test``: the test set's (``(2, 0)``
    without one).
    """
    more = history.more
    if test:
        if "X_test" not in more:
            return np.empty((2, 0))
        return more.get("points_test", more["X_test"])
    return more.get("points", history.X)


def history_extent(history: History, aspect: float = 1.0) -> Extent:
    """:func:`data_extent` of a run's training and test points in the plane (without a test set, its training ones)."""
    P = plane_points(history)
    test = plane_points(history, test=True)
    return data_extent(np.hstack([P, test]) if test.size else P, aspect=aspect)


def separable_tanh(history: History) -> bool:
    """The run is week 3's network (one hidden tanh layer on ``x1, x2``): its field has a faster, separable form."""
    cfg = history.config
    return history.layers == 2 and cfg.activation == "tanh" and cfg.features == ("x1", "x2")


LUT_SIZE = 4096
"""Entries of the probability colour table (:func:`probability_lut`); the page's explorer uses the same table."""

LUT_Z = 16.0
"""The colour table spans logits -16..16 (probabilities 1e-7..1 - 1e-7); beyond, colours are flat."""

RING_RADIUS = 1.9
"""The ring round a misclassified point: its radius, in point radii (the page's explorer draws the same)."""

RING_WIDTH = 0.55
"""The ring's stroke, in point radii (at least one pixel)."""

LINE_ALPHA = 0.9
"""The 0.5 contour is blended over the colours at this much of its coverage."""

POINT_RADIUS = 0.045
"""A data point's radius in a boundary picture (:class:`~scenes.common.panels.BoundaryPanel`), in scene units."""

LINE_WIDTH = 0.025
"""The 0.5 contour's width in a boundary picture, in scene units."""

TEST_RADIUS = 1.35
"""A test point's radius, in point radii: drawn hollow (a ring in its class colour), so that it is told
from a training point (a filled disc) by its shape, not by colour alone."""

TEST_HOLE = 0.5
"""The hollow of a test point, in point radii."""


@cache
def probability_lut() -> np.ndarray:
    """:func:`probability_rgb` of ``sigmoid(z)`` at :data:`LUT_SIZE` evenly spaced logits, as RGBA words.

    Indexed by the logit directly (no sigmoid per pixel) and packed as one ``uint32`` per pixel
    (one gather writes a whole RGBA pixel). The logit step, 32/4095, moves the probability by at
    most 0.002: within one colour level of :func:`probability_rgb`.

    Returns
    -------
    ndarray, shape (LUT_SIZE,), dtype uint32
    """
    z = np.linspace(-LUT_Z, LUT_Z, LUT_SIZE)
    colors = probability_rgb(expit(z)[None, :])[0]  # (LUT_SIZE, 3) uint8
    rgba = np.concatenate([colors, np.full((LUT_SIZE, 1), 255, dtype=np.uint8)], axis=1)
    return np.ascontiguousarray(rgba).view(np.uint32).reshape(LUT_SIZE)


def _lut_index(z: np.ndarray) -> np.ndarray:
    """Indices into :func:`probability_lut` of logits ``z`` (any shape; flattened).

    A NaN logit (a network whose units overflowed to infinities of both signs far from the data)
    has no probability: it is drawn as undecided, the colour of 0.5.
    """
    t = np.asarray(z, dtype=np.float32).ravel() * np.float32((LUT_SIZE - 1) / (2 * LUT_Z))
    t += np.float32((LUT_SIZE - 1) / 2 + 0.5)
    np.clip(t, 0, LUT_SIZE - 1, out=t)
    t[np.isnan(t)] = np.float32((LUT_SIZE - 1) / 2 + 0.5)
    return t.astype(np.intp)


def _blend(flat: np.ndarray, idx: np.ndarray, paint: np.ndarray, alpha: np.ndarray) -> None:
    """Paint ``paint`` (floats in [0, 1]) with coverage ``alpha`` over pixels ``idx`` of a ``(n, 4)`` uint8 raster."""
    if idx.size:
        old = flat[idx, :3].astype(np.float32)
        flat[idx, :3] = np.rint(old + (paint * 255 - old) * alpha[:, None])


class BoundaryField:
    """The network's prediction over a pixel grid of input space, as RGB rasters (NumPy only).

    Pixel ``(r, c)`` (row ``r`` from the top) is centred on input ``(xs[c], ys[r])``.

    Parameters
    ----------
    history : History
        The run to draw; its data are drawn as points.
    width_px, height_px : int
        Raster size.
    extent : Extent, optional
        Input-space rectangle (default :func:`data_extent` with the raster's aspect).
    point_radius_px : float
        Radius of a data point in pixels (0: no points).
    line_width_px : float
        Width of the 0.5 contour line in pixels.
    ring_radius_px, ring_width_px : float, optional
        The ring drawn round a misclassified point (default :data:`RING_RADIUS` and :data:`RING_WIDTH` point radii).

    Attributes
    ----------
    xs : ndarray, shape (width_px,)
    ys : ndarray, shape (height_px,)
        Descending: row 0 is the top of the picture.
    """

    LINE_RGB = rgb(TEXT_HEX)
    """Colour of the 0.5 contour line, RGB in [0, 1] (the lecture page's explorer draws it the same)."""
    RING_RGB = rgb(HIGHLIGHT_HEX)
    """Colour of the ring round a misclassified point, RGB in [0, 1]."""
    OUTLINE_RGB = np.array([0.05, 0.05, 0.06])
    """Colour of a data point's dark outline, RGB in [0, 1]."""

    def __init__(
        self,
        history: History,
        width_px: int,
        height_px: int,
        extent: Extent | None = None,
        *,
        point_radius_px: float = 3.0,
        line_width_px: float = 1.5,
        ring_radius_px: float | None = None,
        ring_width_px: float | None = None,
    ) -> None:
        if width_px < 2 or height_px < 2:
            raise ValueError(f"a boundary raster needs at least 2x2 pixels, got {width_px}x{height_px}")
        self.history = history
        self.width_px, self.height_px = int(width_px), int(height_px)
        self.extent = extent or history_extent(history, aspect=width_px / height_px)
        e = self.extent
        self.dx = e.width / self.width_px
        self.dy = e.height / self.height_px
        self.xs = e.xmin + (np.arange(self.width_px) + 0.5) * self.dx  # (w,)
        self.ys = e.ymax - (np.arange(self.height_px) + 0.5) * self.dy  # (h,)
        self.line_width_px = float(line_width_px)
        self.point_radius_px = float(point_radius_px)
        self._build_points(
            point_radius_px,
            ring_radius_px if ring_radius_px is not None else RING_RADIUS * point_radius_px,
            ring_width_px if ring_width_px is not None else max(RING_WIDTH * point_radius_px, 1.0),
        )
        self._mis: np.ndarray | None = None  # (T+1, m) bool, filled lazily
        self._mis_done: np.ndarray | None = None  # (T+1,) bool
        self.separable = separable_tanh(history)
        self._inputs: dict[type[np.floating], np.ndarray] = {}  # the grid's features, by dtype

    # --- coordinates -------------------------------------------------------------------------

    def to_pixels(self, X: np.ndarray) -> np.ndarray:
        """Input points to continuous pixel coordinates ``(col, row)``; pixel ``(r, c)`` spans ``[c, c+1)``.

        Parameters
        ----------
        X : ndarray, shape (2, m)

        Returns
        -------
        ndarray, shape (2, m)
        """
        e = self.extent
        col = (X[0] - e.xmin) / self.dx
        row = (e.ymax - X[1]) / self.dy
        return np.vstack([col, row])

    # --- the network on the grid ---------------------------------------------------------------

    def _separable(self, params: Params, dtype: type[np.floating]) -> tuple[np.ndarray, np.ndarray]:
        """Each unit's pre-activation in two parts; pixel ``(r, c)`` of unit ``u`` is their sum.

        ``W1[u,0] x1`` per column, shape ``(n_h, w)``, and ``W1[u,1] x2 + b1[u]`` per row, ``(n_h, h)``.
        """
        W1, b1 = params.W1.astype(dtype), params.b1.astype(dtype)
        return W1[:, 0, None] * self.xs.astype(dtype), W1[:, 1, None] * self.ys.astype(dtype) + b1

    def parameters(self, iteration: int) -> Params | Net:
        """The run's parameters of snapshot ``iteration`` as :meth:`logits` and :meth:`hidden` take them."""
        h = self.history
        return h.params(iteration) if self.separable else h.net(iteration)

    def _grid_inputs(self, dtype: type[np.floating]) -> np.ndarray:
        """The network's inputs (the run's features) at every pixel, ``(n_x, h * w)``, row-major from the top."""
        if dtype not in self._inputs:
            x1 = np.tile(self.xs, self.height_px)  # (h * w,)
            x2 = np.repeat(self.ys, self.width_px)  # (h * w,)
            F = features(np.vstack([x1, x2]), self.history.config.features)  # (n_x, h * w)
            self._inputs[dtype] = np.ascontiguousarray(F, dtype=dtype)
        return self._inputs[dtype]

    def _layers(self, net: Net, dtype: type[np.floating], last: int) -> np.ndarray:
        """Layers ``1 .. last`` of ``net`` on the grid: ``Z[last]`` (not activated), ``(n_last, h * w)``.

        In blocks of pixels, so that a wide layer's activations over a 1080p picture (100 units
        by 800,000 pixels) never sit in memory whole.
        """
        act = self.history.config.activation
        F = self._grid_inputs(dtype)  # (n_x, h * w)
        W = [w.astype(dtype) for w in net.W[:last]]
        b = [v.astype(dtype) for v in net.b[:last]]
        out = np.empty((W[-1].shape[0], F.shape[1]), dtype=dtype)  # (n_last, h * w)
        step = max(4096, (1 << 22) // max(w.shape[0] for w in W))
        for start in range(0, F.shape[1], step):
            a = F[:, start : start + step]
            for l in range(last):
                if l:
                    a = activate(a, act)
                a = W[l] @ a + b[l]  # (n_l, block)
            out[:, start : start + step] = a
        return out

    def hidden(self, params: Params | Net, dtype: type[np.floating] = np.float64) -> np.ndarray:
        """Every unit's activation of the last hidden layer on the grid: what the output unit weighs.

        ``tanh(W1[u] . x + b1[u])`` for week 3's network; for a deeper one, unit ``u`` of layer
        ``L - 1``, ``g(Z[L-1][u])`` with the run's activation ``g``, after every layer before it.

        Parameters
        ----------
        params : Params or Net
            :meth:`parameters` of a snapshot.
        dtype : numpy dtype
            ``float32`` halves the cost for pictures; ``float64`` matches ``predict_grid``.

        Returns
        -------
        ndarray, shape (n_h, h, w)
        """
        if isinstance(params, Net):
            z = self._layers(params, dtype, len(params.W) - 1)
            g: np.ndarray = activate(z, self.history.config.activation)
            return g.reshape(-1, self.height_px, self.width_px)
        cols, rows = self._separable(params, dtype)
        a1 = np.empty((cols.shape[0], rows.shape[1], cols.shape[1]), dtype=dtype)
        np.add(cols[:, None, :], rows[:, :, None], out=a1)
        return np.tanh(a1, out=a1)  # (n_h, h, w)

    def logits(self, params: Params | Net, dtype: type[np.floating] = np.float64) -> np.ndarray:
        """The output's logit on the grid, shape ``(h, w)``: ``Z2 = W2 tanh(W1 x + b1) + b2`` for week 3's network.

        A :class:`~nncore.network.Net` (any depth, activation and features) goes through every
        layer as :func:`nncore.network.forward` does, one matrix product a layer over the whole
        grid. Week 3's :class:`~nncore.model.Params` takes the separable path: the same
        operations on every pixel as :meth:`hidden` followed by the weighted sum, so the same
        bits; but one unit at a time through a single ``(h, w)`` buffer, which stays in the
        cache: with 100 units a frame's field costs about 0.6x of going through the whole
        ``(n_h, h, w)`` block (``benchmarks/bench_widths.py``).
        """
        if isinstance(params, Net):
            return self._layers(params, dtype, len(params.W)).reshape(self.height_px, self.width_px)
        cols, rows = self._separable(params, dtype)
        unit = np.empty((rows.shape[1], cols.shape[1]), dtype=dtype)
        # A plain multiply-add per unit: as fast as a BLAS call for a few units, and no BLAS
        # threads to fight over a busy machine's cores.
        z2 = np.full(unit.shape, params.b2[0, 0], dtype=dtype)  # (h, w)
        for u, w in enumerate(params.W2[0]):
            np.add(cols[u], rows[u][:, None], out=unit)
            np.tanh(unit, out=unit)
            unit *= dtype(w)
            z2 += unit
        return z2

    def probabilities(self, iteration: int) -> np.ndarray:
        """The predicted probability ``A2`` on the grid at ``iteration``: ``predict_grid`` of that iteration."""
        return expit(self.logits(self.parameters(iteration)))

    def misclassified(self, iteration: int) -> np.ndarray:
        """Which training points the parameters of ``iteration`` classify wrongly, shape ``(m,)`` bool.

        The same rule as the history's accuracy: predicted class ``A2 > 0.5`` against ``Y``.
        """
        i = int(iteration) % (self.history.iterations + 1)
        mis, done = self._mis, self._mis_done
        if mis is None or done is None:
            # Two flat arrays rather than a dict of many small ones: Manim hashes what a scene's
            # mobjects reach before every play, and one array hashes much faster than hundreds.
            mis = self._mis = np.zeros((self.history.iterations + 1, self.history.m), dtype=bool)
            done = self._mis_done = np.zeros(self.history.iterations + 1, dtype=bool)
        if not done[i]:
            h = self.history
            mis[i] = (self.point_logits(i)[0] > 0) != (h.Y[0] > 0.5)
            done[i] = True
        row: np.ndarray = mis[i]
        return row

    def point_logits(self, iteration: int, test: bool = False) -> np.ndarray:
        """The output's logit at the training (or ``test``) points, shape ``(1, m)``: the history's own inputs."""
        h = self.history
        X = h.more["X_test"] if test else h.X  # (n_x, m)
        if self.separable and not test:
            p = h.params(iteration)
            z2: np.ndarray = p.W2 @ np.tanh(p.W1 @ X + p.b1) + p.b2  # (1, m)
            return z2
        net = h.net(iteration)
        a = X
        for l in range(len(net.W)):
            if l:
                a = activate(a, h.config.activation)
            a = np.dot(net.W[l], a) + net.b[l]  # (n_l, m)
        return a

    # --- drawing ---------------------------------------------------------------------------------

    def contour_alpha(self, z: np.ndarray) -> np.ndarray:
        """Coverage of the ``z = 0`` line (the 0.5 contour of ``sigmoid(z)``), anti-aliased.

        Each pixel's distance to the line is estimated as ``|z| / |grad z|`` in pixels (exact
        for a locally linear field); the logit is used rather than the probability because it
        stays well-conditioned where the probability saturates.

        Returns
        -------
        ndarray, shape (h, w), values in [0, 1]
        """
        idx, a = self._contour_pixels(z)
        alpha = np.zeros(z.size)
        alpha[idx] = a
        return alpha.reshape(z.shape)

    def _contour_pixels(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flat indices of the pixels the contour covers, and their coverage."""
        z = np.asarray(z, dtype=np.float32)
        gy, gx = np.gradient(z)  # per pixel
        g2 = gx * gx + gy * gy
        reach = self.line_width_px / 2 + 0.5  # coverage is 0 beyond this distance
        near = np.flatnonzero((z * z < reach * reach * g2).ravel())
        dist = np.abs(z.ravel()[near]) / np.sqrt(g2.ravel()[near])
        return near, np.clip(reach - dist, 0.0, 1.0)

    def _build_points(self, radius: float, ring_radius: float, ring_width: float) -> None:
        h, w = self.height_px, self.width_px
        n = h * w
        color = np.zeros((n, 3))  # premultiplied
        alpha = np.zeros(n)
        ring_idx: list[np.ndarray] = []
        ring_alpha: list[np.ndarray] = []
        ring_pid: list[np.ndarray] = []
        if radius <= 0:
            self._pt_idx = np.zeros(0, dtype=np.int64)
            self._pt_keep = np.zeros((0, 1), dtype=np.float32)
            self._pt_color255 = np.zeros((0, 3), dtype=np.float32)
            self._ring_idx = self._ring_pid = np.zeros(0, dtype=np.int64)
            self._ring_alpha = np.zeros(0)
            return
        cols, rows = self.to_pixels(plane_points(self.history))
        labels = self.history.Y[0] > 0.5
        class_rgb = (rgb(CLASS_0_HEX), rgb(CLASS_1_HEX))
        # A dark rim separates a point from a background of its own hue; thin on small points,
        # which it would otherwise darken all over.
        outline = float(np.clip(0.3 * radius, 0.4, 0.45 * radius))
        reach = max(radius, ring_radius + ring_width / 2) + 1.5
        for k in range(self.history.m):
            window = _pixel_window(float(cols[k]), float(rows[k]), reach, w, h)
            if window is None:
                continue
            d, idx = window
            # A dark outline disc, then the class-coloured disc inside it: "over" onto the layer.
            for a, paint in (
                (np.clip(radius + 0.5 - d, 0.0, 1.0), self.OUTLINE_RGB),
                (np.clip(radius - outline + 0.5 - d, 0.0, 1.0), class_rgb[int(labels[k])]),
            ):
                color[idx] = color[idx] * (1 - a[:, None]) + paint * a[:, None]
                alpha[idx] = alpha[idx] * (1 - a) + a
            ring = np.clip(ring_width / 2 + 0.5 - np.abs(d - ring_radius), 0.0, 1.0)
            keep = ring > 0
            ring_idx.append(idx[keep])
            ring_alpha.append(ring[keep])
            ring_pid.append(np.full(int(keep.sum()), k))
        self._draw_test_points(color, alpha, radius, outline, class_rgb)
        self._pt_idx = np.flatnonzero(alpha > 0)
        # Premultiplied "over": new = below * (1 - alpha) + colour, in 0..255, float32.
        self._pt_keep = (1 - alpha[self._pt_idx, None]).astype(np.float32)
        self._pt_color255 = (255 * color[self._pt_idx]).astype(np.float32)
        self._ring_idx = np.concatenate(ring_idx) if ring_idx else np.zeros(0, dtype=np.int64)
        self._ring_alpha = np.concatenate(ring_alpha) if ring_alpha else np.zeros(0)
        self._ring_pid = np.concatenate(ring_pid) if ring_pid else np.zeros(0, dtype=np.int64)

    def _draw_test_points(
        self, color: np.ndarray, alpha: np.ndarray, radius: float, outline: float, class_rgb: tuple[np.ndarray, ...]
    ) -> None:
        """Add the test points to the points' layer: hollow rings in their class colour, a dark rim on each edge."""
        h, w = self.height_px, self.width_px
        P = plane_points(self.history, test=True)
        if not P.size:
            return
        cols, rows = self.to_pixels(P)
        labels = self.history.more["Y_test"][0] > 0.5
        outer, hole = TEST_RADIUS * radius, max(TEST_HOLE * radius, 0.75)
        rim = 0.5 * outline  # the inner rim: thinner, so the class colour's band stays wide at 480p
        reach = outer + 1.5
        for k in range(P.shape[1]):
            window = _pixel_window(float(cols[k]), float(rows[k]), reach, w, h)
            if window is None:
                continue
            d, idx = window
            # The annulus hole..outer, dark; inside it, the class colour between the two rims.
            a = np.clip(outer + 0.5 - d, 0.0, 1.0) - np.clip(hole + 0.5 - d, 0.0, 1.0)
            inner = np.clip(outer - outline + 0.5 - d, 0.0, 1.0) - np.clip(hole + rim + 0.5 - d, 0.0, 1.0)
            inner = np.clip(inner, 0.0, None)
            paint = class_rgb[int(labels[k])] * inner[:, None] + self.OUTLINE_RGB * (a - inner)[:, None]
            color[idx] = color[idx] * (1 - a[:, None]) + paint
            alpha[idx] = alpha[idx] * (1 - a) + a

    def compose(
        self,
        z: np.ndarray,
        *,
        points: bool = True,
        contour: bool = True,
        rings: np.ndarray | None = None,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """Draw a logit field: probability colours, then the contour, rings and points on top.

        Parameters
        ----------
        z : ndarray, shape (h, w)
            Logits (``sigmoid(z)`` is the probability shown).
        points : bool
            Draw the data points.
        contour : bool
            Draw the ``sigmoid(z) = 0.5`` line.
        rings : ndarray of bool, shape (m,), optional
            Ring these points (the misclassified ones).
        out : ndarray, shape (h, w, 4), dtype uint8, optional
            Draw into this RGBA array (e.g. an ``ImageMobject``'s pixels); its alpha becomes 255.

        Returns
        -------
        ndarray
            ``out`` if given, else a new ``(h, w, 3)`` uint8 RGB array.
        """
        h, w = z.shape
        rgba = np.empty((h, w, 4), dtype=np.uint8) if out is None else out
        if rgba.shape != (h, w, 4) or rgba.dtype != np.uint8 or not rgba.flags.c_contiguous:
            raise ValueError(f"out must be a C-contiguous ({h}, {w}, 4) uint8 array")
        rgba.view(np.uint32).reshape(-1)[:] = probability_lut()[_lut_index(z)]
        flat = rgba.reshape(-1, 4)  # (h*w, 4) view
        if contour:
            on, a = self._contour_pixels(z)
            _blend(flat, on, self.LINE_RGB, LINE_ALPHA * a)
        if rings is not None and rings.any() and self._ring_idx.size:
            sel = rings[self._ring_pid]
            # Where two rings overlap, one of them wins the pixel (each is blended onto the colours
            # below, never onto the other ring): invisible at ring sizes, and no per-pixel reduction.
            _blend(flat, self._ring_idx[sel], self.RING_RGB, self._ring_alpha[sel])
        if points and self._pt_idx.size:
            i = self._pt_idx
            below = flat[i, :3].astype(np.float32)
            flat[i, :3] = np.rint(below * self._pt_keep + self._pt_color255)
        return rgba if out is not None else rgba[..., :3].copy()

    def raster(
        self,
        iteration: int,
        *,
        points: bool = True,
        contour: bool = True,
        misclassified: bool = True,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """The decision-boundary picture of ``iteration``: ``(h, w, 3)`` uint8, or drawn into ``out``."""
        z = self.logits(self.parameters(iteration), np.float32)
        rings = self.misclassified(iteration) if misclassified and points else None
        return self.compose(z, points=points, contour=contour, rings=rings, out=out)


def top_units(W2: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` hidden units with the largest ``|W2|``, largest first.

    Parameters
    ----------
    W2 : ndarray, shape (1, n_h)
    k : int
    """
    w = np.abs(np.asarray(W2).reshape(-1))
    return np.argsort(-w, kind="stable")[: min(k, w.size)]


def _pixel_window(col: float, row: float, reach: float, w: int, h: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The pixels within ``reach`` of a point at pixel ``(col, row)``: their centres' distances and flat indices.

    ``None`` when the window lies wholly outside the ``w`` x ``h`` picture.
    """
    c0, c1 = int(math.floor(col - reach)), int(math.ceil(col + reach))
    r0, r1 = int(math.floor(row - reach)), int(math.ceil(row + reach))
    cc = np.arange(max(c0, 0), min(c1, w))
    rr = np.arange(max(r0, 0), min(r1, h))
    if cc.size == 0 or rr.size == 0:
        return None
    d = np.hypot(cc[None, :] + 0.5 - col, rr[:, None] + 0.5 - row).ravel()
    return d, (rr[:, None] * w + cc[None, :]).ravel()


__all__ = [
    "BoundaryField",
    "Extent",
    "clamp_iteration",
    "data_extent",
    "history_extent",
    "plane_points",
    "separable_tanh",
    "top_units",
]
