"""``manim render scenes/decision_boundary.py`` shows them: decision-boundary views driven by one clock.

``tests/test_scene_decision_boundary.py`` checks them. They are built to be reused: the
hidden-size, learning-rate and data-set comparisons draw several small panels, each from its own
history, on one clock.

The pieces:

- :func:`data_extent` — the rectangle of input space a panel covers (the data plus a margin).
- :class:`BoundaryField` — NumPy only: the predicted probability on a pixel grid for any iteration,
  coloured by :func:`~scenes.common.palette.probability_rgb`, with the data points, the 0.5 contour
  and rings round misclassified points drawn *into* the raster (400 ``Dot`` mobjects above a
  moving image would be redrawn every frame).
- :class:`BoundaryPanel` — a framed :class:`~manim.ImageMobject` of a field whose raster has one
  pixel per output pixel (sharp at 480p and 1080p alike); ``set_iteration(i)`` is cheap enough for
  an updater.
- :class:`RasterCamera` / :class:`RasterScene` — a camera that pastes such pixel-aligned images
  directly instead of resampling the whole frame through PIL (measured: the stock path costs
  more than the rest of a frame); any other image falls back to Manim's own path.
- :func:`sample_iterations` and :class:`IterationClock` — which iterations get screen time (log
  spaced, blended with how fast the cost falls, so the early, dramatic changes are not over in a
  blink) and one clock that drives every view.
- :class:`CostCurve`, :class:`SlotNumber`, :class:`IterationReadout`, :class:`HistoryNumber` — a
  cost curve that grows with the clock, and numbers composed from glyphs typeset once
  (re-typesetting a ``DecimalNumber`` every frame costs ~18 ms).
- :func:`value_rgb` and :class:`FieldPanel` — a signed field (e.g. one hidden unit's tanh) as a
  small heatmap in the palette's value colours.
- :func:`reveal` — a fade-in that animates one curtain rectangle instead of every glyph under it.

Several runs on one clock (e.g. hidden sizes 1..50), sketched::

    class HiddenSizes(RasterScene):
        def construct(self):
            runs = [History.load(p) for p in paths]
            extent = data_extent(runs[0].X)  # one window of input space for all panels
            panels = [BoundaryPanel(h, 1.8, extent=extent, point_radius=0.025) for h in runs]
            accuracies = [HistoryNumber(h, "accuracy", font_size=22) for h in runs]
            ...  # arrange them, add labels
            clock = IterationClock(sample_iterations(T, frames, runs[-1].cost))
            self.play(reveal(self, *panels, *accuracies))
            with clock.driving(self, *panels, *accuracies):
                self.play(clock.advance_to(T, run_time=30))

Views clamp the iteration to their own run, so runs of different lengths can share a clock.
Create panels at their final size and do not scale them afterwards: a scaled raster is no longer
one pixel per output pixel, so it loses sharpness and falls back to Manim's slow image path.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import NamedTuple

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Axes,
    Camera,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Rectangle,
    Scene,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    linear,
)
from scipy.special import expit

from nncore import History
from nncore.model import Params
from scenes.common.palette import (
    CLASS_0,
    CLASS_1,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    TEXT,
    probability_rgb,
)
from scenes.common.tex import fmt

# --- geometry ------------------------------------------------------------------------------------


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


# --- colours as rasters -----------------------------------------------------------------------------


def _rgb(color: ManimColor) -> np.ndarray:
    return np.asarray(ManimColor(color).to_rgb(), dtype=float)  # (3,)


def value_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Vectorised :func:`~scenes.common.palette.value_color`: signed values to RGB pixels.

    Grey near zero, towards blue when positive and red when negative, fully saturated at
    ``|value| >= scale``; the sign change shows as a seam (where a tanh unit crosses 0).

    Parameters
    ----------
    values : ndarray, shape (h, w)
    scale : float

    Returns
    -------
    ndarray, shape (h, w, 3), dtype uint8
    """
    v = np.asarray(values, dtype=float)[..., None]  # (h, w, 1)
    t = np.zeros_like(v) if scale <= 0 else np.minimum(np.abs(v) / scale, 1.0)
    alpha = 0.25 + 0.75 * t
    neutral = _rgb(NEUTRAL)
    target = np.where(v >= 0, _rgb(POSITIVE), _rgb(NEGATIVE))  # (h, w, 3)
    rgb = neutral + (target - neutral) * alpha
    return np.rint(np.clip(rgb, 0.0, 1.0) * 255).astype(np.uint8)


# --- the field -------------------------------------------------------------------------------------

_LUT_SIZE = 4096
_LUT_Z = 16.0
"""The colour table spans logits -16..16 (probabilities 1e-7..1 - 1e-7); beyond, colours are flat."""


@cache
def _probability_lut() -> np.ndarray:
    """:func:`probability_rgb` of ``sigmoid(z)`` at ``_LUT_SIZE`` evenly spaced logits, as RGBA words.

    Indexed by the logit directly (no sigmoid per pixel) and packed as one ``uint32`` per pixel
    (one gather writes a whole RGBA pixel). The logit step, 32/4095, moves the probability by at
    most 0.002: within one colour level of :func:`probability_rgb`.

    Returns
    -------
    ndarray, shape (_LUT_SIZE,), dtype uint32
    """
    z = np.linspace(-_LUT_Z, _LUT_Z, _LUT_SIZE)
    rgb = probability_rgb(expit(z)[None, :])[0]  # (_LUT_SIZE, 3) uint8
    rgba = np.concatenate([rgb, np.full((_LUT_SIZE, 1), 255, dtype=np.uint8)], axis=1)
    return np.ascontiguousarray(rgba).view(np.uint32).reshape(_LUT_SIZE)


def _lut_index(z: np.ndarray) -> np.ndarray:
    """Indices into :func:`_probability_lut` of logits ``z`` (any shape; flattened)."""
    t = np.asarray(z, dtype=np.float32).ravel() * np.float32((_LUT_SIZE - 1) / (2 * _LUT_Z))
    t += np.float32((_LUT_SIZE - 1) / 2 + 0.5)
    np.clip(t, 0, _LUT_SIZE - 1, out=t)
    return t.astype(np.intp)


def _blend(flat: np.ndarray, idx: np.ndarray, rgb: np.ndarray, alpha: np.ndarray) -> None:
    """Paint ``rgb`` (floats in [0, 1]) with coverage ``alpha`` over pixels ``idx`` of a ``(n, 4)`` uint8 raster."""
    if idx.size:
        old = flat[idx, :3].astype(np.float32)
        flat[idx, :3] = np.rint(old + (rgb * 255 - old) * alpha[:, None])


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
        The ring drawn round a misclassified point (default 1.9 and 0.55 point radii).

    Attributes
    ----------
    xs : ndarray, shape (width_px,)
    ys : ndarray, shape (height_px,)
        Descending: row 0 is the top of the picture.
    """

    LINE_RGB = _rgb(TEXT)
    RING_RGB = _rgb(HIGHLIGHT)
    OUTLINE_RGB = np.array([0.05, 0.05, 0.06])

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
        self.extent = extent or data_extent(history.X, aspect=width_px / height_px)
        e = self.extent
        self.dx = e.width / self.width_px
        self.dy = e.height / self.height_px
        self.xs = e.xmin + (np.arange(self.width_px) + 0.5) * self.dx  # (w,)
        self.ys = e.ymax - (np.arange(self.height_px) + 0.5) * self.dy  # (h,)
        self.line_width_px = float(line_width_px)
        self.point_radius_px = float(point_radius_px)
        self._build_points(
            point_radius_px,
            ring_radius_px if ring_radius_px is not None else 1.9 * point_radius_px,
            ring_width_px if ring_width_px is not None else max(0.55 * point_radius_px, 1.0),
        )
        self._mis: np.ndarray | None = None  # (T+1, m) bool, filled lazily
        self._mis_done: np.ndarray | None = None  # (T+1,) bool

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

    def hidden(self, params: Params, dtype: type = np.float64) -> np.ndarray:
        """Every hidden unit's activation ``tanh(W1[u] . x + b1[u])`` on the grid.

        Parameters
        ----------
        params : Params
        dtype : numpy dtype
            ``float32`` halves the cost for pictures; ``float64`` matches ``predict_grid``.

        Returns
        -------
        ndarray, shape (n_h, h, w)
        """
        W1, b1 = params.W1.astype(dtype), params.b1.astype(dtype)
        xs, ys = self.xs.astype(dtype), self.ys.astype(dtype)
        a1 = np.empty((W1.shape[0], ys.size, xs.size), dtype=dtype)
        # Separable: W1[u,0] x1 + W1[u,1] x2 + b1[u], broadcast over rows and columns.
        np.add(W1[:, 0, None, None] * xs, (W1[:, 1, None] * ys + b1)[:, :, None], out=a1)
        return np.tanh(a1, out=a1)  # (n_h, h, w)

    def logits(self, params: Params, dtype: type = np.float64) -> np.ndarray:
        """``Z2 = W2 tanh(W1 x + b1) + b2`` on the grid, shape ``(h, w)``."""
        a1 = self.hidden(params, dtype)  # (n_h, h, w)
        # A plain multiply-add per unit: as fast as a BLAS call for a few units, and no BLAS
        # threads to fight over a busy machine's cores.
        z2 = np.full(a1.shape[1:], params.b2[0, 0], dtype=dtype)  # (h, w)
        for u, w in enumerate(params.W2[0]):
            a1[u] *= dtype(w)
            z2 += a1[u]
        return z2

    def probabilities(self, iteration: int) -> np.ndarray:
        """The predicted probability ``A2`` on the grid at ``iteration``: ``predict_grid`` of that iteration."""
        return expit(self.logits(self.history.params(iteration)))

    def misclassified(self, iteration: int) -> np.ndarray:
        """Which training points the parameters of ``iteration`` classify wrongly, shape ``(m,)`` bool.

        The same rule as the history's accuracy: predicted class ``A2 > 0.5`` against ``Y``.
        """
        i = int(iteration) % (self.history.iterations + 1)
        if self._mis is None:
            # Two flat arrays rather than a dict of many small ones: Manim hashes what a scene's
            # mobjects reach before every play, and one array hashes much faster than hundreds.
            self._mis = np.zeros((self.history.iterations + 1, self.history.m), dtype=bool)
            self._mis_done = np.zeros(self.history.iterations + 1, dtype=bool)
        if not self._mis_done[i]:
            h = self.history
            p = h.params(i)
            z2 = p.W2 @ np.tanh(p.W1 @ h.X + p.b1) + p.b2  # (1, m)
            self._mis[i] = (z2[0] > 0) != (h.Y[0] > 0.5)
            self._mis_done[i] = True
        return self._mis[i]

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
        cols, rows = self.to_pixels(self.history.X)
        labels = self.history.Y[0] > 0.5
        class_rgb = (_rgb(CLASS_0), _rgb(CLASS_1))
        # A dark rim separates a point from a background of its own hue; thin on small points,
        # which it would otherwise darken all over.
        outline = float(np.clip(0.3 * radius, 0.4, 0.45 * radius))
        reach = max(radius, ring_radius + ring_width / 2) + 1.5
        for k in range(self.history.m):
            c0, c1 = int(math.floor(cols[k] - reach)), int(math.ceil(cols[k] + reach))
            r0, r1 = int(math.floor(rows[k] - reach)), int(math.ceil(rows[k] + reach))
            cc = np.arange(max(c0, 0), min(c1, w))
            rr = np.arange(max(r0, 0), min(r1, h))
            if cc.size == 0 or rr.size == 0:
                continue
            d = np.hypot(cc[None, :] + 0.5 - cols[k], rr[:, None] + 0.5 - rows[k]).ravel()
            idx = (rr[:, None] * w + cc[None, :]).ravel()
            # A dark outline disc, then the class-coloured disc inside it: "over" onto the layer.
            for a, rgb in (
                (np.clip(radius + 0.5 - d, 0.0, 1.0), self.OUTLINE_RGB),
                (np.clip(radius - outline + 0.5 - d, 0.0, 1.0), class_rgb[int(labels[k])]),
            ):
                color[idx] = color[idx] * (1 - a[:, None]) + rgb * a[:, None]
                alpha[idx] = alpha[idx] * (1 - a) + a
            ring = np.clip(ring_width / 2 + 0.5 - np.abs(d - ring_radius), 0.0, 1.0)
            keep = ring > 0
            ring_idx.append(idx[keep])
            ring_alpha.append(ring[keep])
            ring_pid.append(np.full(int(keep.sum()), k))
        self._pt_idx = np.flatnonzero(alpha > 0)
        # Premultiplied "over": new = below * (1 - alpha) + colour, in 0..255, float32.
        self._pt_keep = (1 - alpha[self._pt_idx, None]).astype(np.float32)
        self._pt_color255 = (255 * color[self._pt_idx]).astype(np.float32)
        self._ring_idx = np.concatenate(ring_idx) if ring_idx else np.zeros(0, dtype=np.int64)
        self._ring_alpha = np.concatenate(ring_alpha) if ring_alpha else np.zeros(0)
        self._ring_pid = np.concatenate(ring_pid) if ring_pid else np.zeros(0, dtype=np.int64)

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
        rgba.view(np.uint32).reshape(-1)[:] = _probability_lut()[_lut_index(z)]
        flat = rgba.reshape(-1, 4)  # (h*w, 4) view
        if contour:
            on, a = self._contour_pixels(z)
            _blend(flat, on, self.LINE_RGB, 0.9 * a)
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
        z = self.logits(self.history.params(iteration), np.float32)
        rings = self.misclassified(iteration) if misclassified and points else None
        return self.compose(z, points=points, contour=contour, rings=rings, out=out)


# --- iteration sampling and the clock -------------------------------------------------------------


def sample_iterations(T: int, n: int, cost: np.ndarray | None = None, mix: float = 0.5) -> np.ndarray:
    """Choose which iterations to show, at most ``n`` of ``0..T``: 0 and ``T`` always, denser early.

    Screen time is spread evenly over a "progress" measure ``F`` from 0 to 1: the log of the
    iteration (each decade gets the same time), blended with the fraction of the total cost
    decrease achieved so far (the iterations where the boundary forms get more time).

    Parameters
    ----------
    T : int
        Last iteration.
    n : int
        Number of frames available; the result has at most ``n`` (and at most ``T + 1``) entries.
    cost : ndarray, shape (T+1,), optional
        The cost of each iteration; without it the spacing is purely logarithmic.
    mix : float
        Weight of the cost-decrease measure (0: log spacing only).

    Returns
    -------
    ndarray of int64
        Strictly increasing, starting at 0 and ending at ``T``.

    Notes
    -----
    Where samples are more than one iteration apart they keep the parity of ``T``. A large
    learning rate can leave training in a period-2 oscillation (the lecture's default run
    alternates between two states from iteration 7858 on); sampling both parities would make the
    picture and the accuracy flicker at the frame rate between the two states.
    """
    T, n = int(T), int(n)
    if T < 0 or n < 2:
        raise ValueError(f"need T >= 0 and n >= 2, got T={T}, n={n}")
    if T == 0:
        return np.zeros(1, dtype=np.int64)
    it = np.arange(T + 1)
    progress = np.log1p(it) / math.log1p(T)  # (T+1,)
    if cost is not None and mix > 0:
        c = np.asarray(cost, dtype=float)
        best = np.minimum.accumulate(np.where(np.isfinite(c), c, np.inf))
        drop = best[0] - best[-1]
        if np.isfinite(drop) and drop > 0:
            progress = (1 - mix) * progress + mix * (best[0] - best) / drop
    targets = np.linspace(0.0, 1.0, n)
    picks = np.searchsorted(progress, targets, side="left")
    picks = np.unique(np.clip(picks, 0, T))
    gaps = np.diff(picks, prepend=-1)
    sparse = gaps >= 2
    picks[sparse] -= (picks[sparse] - T) % 2
    picks = np.unique(np.concatenate([[0], picks, [T]]))
    return picks.astype(np.int64)


class IterationClock:
    """One clock that every view follows: a position along a schedule of iterations.

    Parameters
    ----------
    schedule : ndarray of int
        Increasing iterations (from :func:`sample_iterations`); the clock shows one per frame.

    Examples
    --------
    ::

        clock = IterationClock(sample_iterations(h.iterations, frames, h.cost))
        with clock.driving(panel, readout, diagram, curve):
            self.play(clock.advance_to(h.iterations, run_time=30))
    """

    def __init__(self, schedule: Sequence[int] | np.ndarray) -> None:
        self.schedule = np.asarray(schedule, dtype=np.int64)
        if self.schedule.ndim != 1 or self.schedule.size == 0 or np.any(np.diff(self.schedule) <= 0):
            raise ValueError("an iteration schedule must be a non-empty, strictly increasing 1-D sequence")
        self.tracker = ValueTracker(0.0)

    @property
    def position(self) -> float:
        """Index into the schedule (fractional while animating)."""
        return float(self.tracker.get_value())

    @property
    def iteration(self) -> int:
        """The iteration shown now."""
        k = int(np.clip(round(self.position), 0, self.schedule.size - 1))
        return int(self.schedule[k])

    def index_of(self, iteration: int) -> int:
        """Index of the last scheduled iteration ``<= iteration``."""
        return int(np.clip(np.searchsorted(self.schedule, iteration, side="right") - 1, 0, self.schedule.size - 1))

    def steps_between(self, start: int, stop: int) -> int:
        """How many schedule steps lie between two iterations (for run times in proportion)."""
        return abs(self.index_of(stop) - self.index_of(start))

    def set_iteration(self, iteration: int) -> IterationClock:
        """Jump to ``iteration`` (its schedule entry) without animating."""
        self.tracker.set_value(self.index_of(iteration))
        return self

    def advance_to(self, iteration: int, **kwargs: object) -> Animation:
        """An animation running the clock to ``iteration`` at an even pace through the schedule."""
        kwargs.setdefault("rate_func", linear)
        return self.tracker.animate(**kwargs).set_value(self.index_of(iteration))

    @contextmanager
    def driving(self, scene: Scene, *views: Mobject | tuple[Mobject, Sequence[Mobject]]) -> Iterator[IterationClock]:
        """Make ``views`` follow the clock while inside the block.

        Parameters
        ----------
        scene : Scene
            The scene the views are in.
        *views : Mobject or (Mobject, list of Mobject)
            Anything with ``set_iteration(i)`` (and an ``iteration`` attribute); optionally paired
            with its parts that actually change (default: its ``moving_parts()`` if it has one,
            else the whole view).

        Notes
        -----
        Manim redraws every frame the first mobject that changes *and everything after it* in
        the scene's list; a group that holds both labels and a changing curve counts as
        changing. So inside the block the scene's list is re-stacked: groups holding changing
        parts are opened, everything static keeps its order in front, and only the changing
        parts come last (drawn on top). On exit the updaters are removed (later waits stay
        static frames), the views keep the last iteration shown, and the scene's list is
        restored. Do not add or remove the driven views inside the block.
        """
        pairs: list[tuple[Mobject, list[Mobject]]] = []
        for v in views:
            if isinstance(v, tuple):
                pairs.append((v[0], list(v[1])))
            else:
                parts = v.moving_parts() if hasattr(v, "moving_parts") else [v]
                pairs.append((v, list(parts)))

        def follower(view: Mobject) -> object:
            def follow(_: Mobject) -> None:
                i = self.iteration
                if getattr(view, "iteration", None) != i:
                    view.set_iteration(i)

            return follow

        saved = list(scene.mobjects)
        moving = [p for _, parts in pairs for p in parts]
        restacked = _static_first(saved, moving)
        scene.mobjects = restacked
        attached: list[tuple[Mobject, object]] = []
        for view, parts in pairs:
            view.set_iteration(self.iteration)
            follow = follower(view)
            for part in parts:
                part.add_updater(follow)
                attached.append((part, follow))
        try:
            yield self
        finally:
            for part, follow in attached:
                part.remove_updater(follow)
            for view, _ in pairs:
                if getattr(view, "iteration", None) != self.iteration:
                    view.set_iteration(self.iteration)
            now = list(scene.mobjects)
            removed = [m for m in restacked if m not in now]
            added = [m for m in now if m not in restacked]
            scene.mobjects = [m for m in saved if m not in removed] + added


def _static_first(mobjects: Sequence[Mobject], moving: Sequence[Mobject]) -> list[Mobject]:
    """The scene list with groups holding ``moving`` parts opened and those parts moved last."""
    moving_ids = {id(m) for m in moving}
    out: list[Mobject] = []

    def visit(m: Mobject) -> None:
        if id(m) in moving_ids:
            return
        family = m.get_family()
        if not any(id(f) in moving_ids for f in family):
            out.append(m)
        elif len(m.points) > 0:
            out.append(m)  # has its own points: keep it (correct, merely redrawn)
        else:
            for sub in m.submobjects:
                visit(sub)

    for m in mobjects:
        visit(m)
    in_scene = {id(f) for m in mobjects for f in m.get_family()}
    return out + [m for m in moving if id(m) in in_scene]


# --- pixel-aligned images --------------------------------------------------------------------------


def _clamp(history: History, iteration: int) -> int:
    """``iteration`` limited to the run, so that runs of different lengths can share one clock."""
    return min(max(int(iteration), 0), history.iterations)


def pixels_per_unit(pixel_height: int | None = None) -> float:
    """Output pixels per scene unit (``config.pixel_height / config.frame_height`` by default)."""
    return (pixel_height or config.pixel_height) / config.frame_height


class RasterCamera(Camera):
    """Manim's camera, with a fast path for images drawn one raster pixel per output pixel.

    The stock path resamples every image through a perspective transform and composites it onto
    a full-frame RGBA image (about 15 ms a frame for one 372x372 raster at 480p). An unrotated
    image whose on-screen size matches its pixel array to within a pixel is instead copied (or
    alpha-blended) straight into the frame at the nearest whole pixel; anything else, e.g. an
    image being scaled by an animation, takes Manim's own path.
    """

    def display_image_mobject(self, image_mobject: Mobject, pixel_array: np.ndarray) -> None:
        """Paste a pixel-aligned image directly; defer to :class:`~manim.Camera` otherwise."""
        src = image_mobject.get_pixel_array()  # (h, w, 4) uint8
        corners = self.points_to_subpixel_coords(image_mobject, image_mobject.points)  # UL, UR, DL, DR
        (x0, y0), (x1, y1u), (x0d, y1), _ = corners
        h, w = src.shape[:2]
        aligned = (
            abs(y0 - y1u) < 1e-3
            and abs(x0 - x0d) < 1e-3
            and abs((x1 - x0) - w) < 1.0
            and abs((y1 - y0) - h) < 1.0
            and src.dtype == np.uint8
        )
        if not aligned:
            super().display_image_mobject(image_mobject, pixel_array)
            return
        left, top = int(round(x0)), int(round(y0))
        H, W = pixel_array.shape[:2]
        c0, r0 = max(left, 0), max(top, 0)
        c1, r1 = min(left + w, W), min(top + h, H)
        if c0 >= c1 or r0 >= r1:
            return
        patch = src[r0 - top : r1 - top, c0 - left : c1 - left]
        dst = pixel_array[r0:r1, c0:c1]
        a = patch[..., 3]
        if a.min() == 255:
            dst[...] = patch
            return
        # "Over" compositing, as PIL's alpha_composite does.
        sa = a[..., None].astype(np.float32) / 255.0
        da = dst[..., 3:4].astype(np.float32) / 255.0
        out_a = sa + da * (1.0 - sa)
        with np.errstate(divide="ignore", invalid="ignore"):
            rgb = (patch[..., :3] * sa + dst[..., :3] * da * (1.0 - sa)) / out_a
        dst[..., :3] = np.where(out_a > 0, np.rint(rgb), 0).astype(np.uint8)
        dst[..., 3] = np.rint(out_a[..., 0] * 255).astype(np.uint8)


class RasterScene(Scene):
    """A :class:`~manim.Scene` that uses :class:`RasterCamera` unless told otherwise."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("camera_class", RasterCamera)
        super().__init__(*args, **kwargs)


def reveal(scene: Scene, *mobjects: Mobject, buff: float = 0.06, **kwargs: object) -> Animation:
    """Fade ``mobjects`` in by fading out a background-coloured curtain laid over each of them.

    On the plain background this looks exactly like ``FadeIn``, but Manim animates (copies,
    hashes and redraws every frame) one rectangle per mobject instead of every glyph and image
    under it, while the mobjects themselves stay in the static background. The mobjects are
    added to ``scene`` now; the curtains must not overlap anything already visible.

    Parameters
    ----------
    scene : Scene
    *mobjects : Mobject
    buff : float
        Margin of each curtain around its mobject.
    **kwargs
        Passed to the returned animation (``run_time`` …).

    Returns
    -------
    Animation
        Removes the curtains when done.
    """
    curtains = [
        Rectangle(
            width=m.width + 2 * buff,
            height=m.height + 2 * buff,
            stroke_width=0,
            fill_color=config.background_color,
            fill_opacity=1.0,
        ).move_to(m)
        for m in mobjects
    ]
    scene.add(*mobjects, *curtains)
    return AnimationGroup(*[FadeOut(c) for c in curtains], **kwargs)


def fade_to_black(scene: Scene, run_time: float) -> None:
    """Fade everything out by fading one background-coloured curtain in, then clear the scene.

    One rectangle to animate and copy, not every mobject on screen (copying those costs more than
    the fade itself).
    """
    curtain = Rectangle(
        width=config.frame_width + 0.2,
        height=config.frame_height + 0.2,
        stroke_width=0,
        fill_color=config.background_color,
        fill_opacity=1.0,
    )
    scene.play(FadeIn(curtain), run_time=run_time)
    scene.clear()


def _raster_image(rgb: np.ndarray, pixel_height: int) -> ImageMobject:
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, dtype=np.uint8)], axis=2)
    return ImageMobject(rgba, scale_to_resolution=pixel_height)


class BoundaryPanel(Group):
    """A framed decision-boundary picture of one history, at any iteration.

    Sized in scene units; its raster has one pixel per output pixel (``config.pixel_height``), so
    it is equally sharp at 480p and 1080p. Render it in a :class:`RasterScene` for speed.

    Parameters
    ----------
    history : History
    height : float
        Height in scene units; the width follows the extent's aspect (or ``width``).
    width : float, optional
    extent : Extent, optional
        Input-space rectangle; pass the same one to panels that should be comparable.
    iteration : int
        Shown at first.
    points, contour, misclassified : bool
        What to draw over the probability colours.
    point_radius, line_width : float
        In scene units (converted to pixels at the render's resolution).
    pixel_height : int, optional
        Output pixel height (default ``config.pixel_height``).
    border_color : ManimColor

    Attributes
    ----------
    field : BoundaryField
    image : ImageMobject
    border : Rectangle
    iteration : int or None
        The iteration shown (``None`` after :meth:`show_logits`).
    """

    def __init__(
        self,
        history: History,
        height: float = 6.0,
        *,
        width: float | None = None,
        extent: Extent | None = None,
        iteration: int = 0,
        points: bool = True,
        contour: bool = True,
        misclassified: bool = True,
        point_radius: float = 0.045,
        line_width: float = 0.025,
        pixel_height: int | None = None,
        border_color: ManimColor = MUTED,
    ) -> None:
        super().__init__()
        self.pixel_height = int(pixel_height or config.pixel_height)
        ppu = pixels_per_unit(self.pixel_height)
        if width is None:
            width = height * (extent.aspect if extent is not None else 1.0)
        h_px, w_px = max(round(height * ppu), 2), max(round(width * ppu), 2)
        self.field = BoundaryField(
            history,
            w_px,
            h_px,
            extent,
            point_radius_px=point_radius * ppu,
            line_width_px=max(line_width * ppu, 1.0),
        )
        self.history = history
        self.show_points, self.show_contour, self.show_misclassified = points, contour, misclassified
        self.iteration: int | None = None
        self.image = _raster_image(self._raster(iteration), self.pixel_height)
        self.iteration = int(iteration)
        # Just outside the image, so that the image (redrawn on top while it changes) never covers it.
        self.border = Rectangle(
            width=self.image.width + 0.025, height=self.image.height + 0.025, color=border_color, stroke_width=2
        )
        self.add(self.image, self.border)

    def _raster(self, iteration: int, out: np.ndarray | None = None) -> np.ndarray:
        return self.field.raster(
            iteration,
            points=self.show_points,
            contour=self.show_contour,
            misclassified=self.show_misclassified,
            out=out,
        )

    def _pixels(self) -> np.ndarray:
        """The image's RGBA array, to draw into (opaque: a faded panel is redrawn opaque)."""
        pixels = self.image.pixel_array
        if not pixels.flags.c_contiguous:
            self.image.pixel_array = pixels = np.ascontiguousarray(pixels)
        return pixels

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the image (the frame stays)."""
        return [self.image]

    def set_iteration(self, iteration: int) -> BoundaryPanel:
        """Show ``iteration`` (a no-op if it is shown already; beyond the run, its last one)."""
        i = _clamp(self.history, iteration)
        if i != self.iteration:
            self._raster(i, out=self._pixels())
            self.iteration = i
        return self

    def show_logits(self, z: np.ndarray, *, rings: np.ndarray | None = None) -> BoundaryPanel:
        """Show an arbitrary logit field on this panel's grid (e.g. a partial sum of hidden units)."""
        self.field.compose(z, points=self.show_points, contour=self.show_contour, rings=rings, out=self._pixels())
        self.iteration = None
        return self

    def data_to_point(self, x: Sequence[float]) -> np.ndarray:
        """The scene point of input ``x = (x1, x2)``."""
        e = self.field.extent
        u = (x[0] - e.xmin) / e.width
        v = (x[1] - e.ymin) / e.height
        c = self.image.get_corner(DOWN + LEFT)
        return c + np.array([u * self.image.width, v * self.image.height, 0.0])


class FieldPanel(Group):
    """A framed heatmap of a signed field on a boundary field's grid (e.g. one hidden unit's tanh).

    Parameters
    ----------
    values : ndarray, shape (h, w)
        One value per pixel (one raster pixel per output pixel for sharpness).
    scale : float
        Magnitude of full colour (1 for a tanh).
    pixel_height : int, optional
    border_color : ManimColor
    """

    def __init__(
        self,
        values: np.ndarray,
        scale: float = 1.0,
        *,
        pixel_height: int | None = None,
        border_color: ManimColor = MUTED,
    ) -> None:
        super().__init__()
        self.image = _raster_image(value_rgb(values, scale), int(pixel_height or config.pixel_height))
        self.border = Rectangle(
            width=self.image.width + 0.02, height=self.image.height + 0.02, color=border_color, stroke_width=1.5
        )
        self.add(self.image, self.border)


# --- numbers without re-typesetting ----------------------------------------------------------------

# Advance widths in em of Computer Modern (cmr10 digits and punctuation, cmsy10 minus).
_ADVANCE_EM = {**dict.fromkeys("0123456789", 0.5), ".": 0.2778, "%": 0.8333, "-": 0.7778}
_GLYPH_TEX = r"0123456789.\%{-}"
_GLYPH_CHARS = "0123456789.%-"


@cache
def _glyphs(font_size: float) -> tuple[dict[str, np.ndarray], float]:
    """Each character's outline points (relative to its cell's baseline centre) and the em size."""
    ref = MathTex(_GLYPH_TEX, font_size=font_size)[0]
    if len(ref) != len(_GLYPH_CHARS):
        raise RuntimeError(f"expected {len(_GLYPH_CHARS)} glyphs from {_GLYPH_TEX!r}, got {len(ref)}")
    em = (ref[9].get_center()[0] - ref[0].get_center()[0]) / 9 / 0.5
    baseline = ref[0].get_bottom()[1]
    pts = {}
    for ch, g in zip(_GLYPH_CHARS, ref, strict=True):
        p = g.points.copy()
        p[:, 0] -= g.get_center()[0]
        p[:, 1] -= baseline
        pts[ch] = p
    return pts, em


class SlotNumber(VGroup):
    """A number whose glyphs are typeset once and re-placed when the text changes.

    Changing the text costs an array concatenation instead of a LaTeX run and SVG parse, so it
    can change every frame; and all glyphs form one path (:attr:`body`), so Manim draws one
    mobject per frame rather than one per character. Characters: digits, ``.``, ``%`` and ``-``.
    Unlike ``scenes.common.glyphs.GlyphNumber`` no mobject is created per change, it can stay
    aligned at its right end (a counter whose last digit does not move), and it has ``%``.

    Parameters
    ----------
    text : str
        Initial text.
    max_chars : int
        Longest text allowed.
    font_size : float
    color : ManimColor
    align : {"right", "left"}
        Which end stays put when the text changes.

    Attributes
    ----------
    anchor : VMobject
        Invisible; marks the baseline at the aligned end, so the number can be moved.
    body : VMobject
        The glyphs (the part that changes).

    Notes
    -----
    Position it with ``move_to``/``next_to``/``shift`` or :meth:`set_anchor`; do not scale it
    (new text is placed at ``font_size``).
    """

    def __init__(
        self,
        text: str = "0",
        *,
        max_chars: int = 8,
        font_size: float = 28,
        color: ManimColor = TEXT,
        align: str = "right",
    ) -> None:
        super().__init__()
        if align not in ("left", "right"):
            raise ValueError(f"align must be 'left' or 'right', got {align!r}")
        self.align = align
        self.max_chars = int(max_chars)
        self.glyph_points, self.em = _glyphs(float(font_size))
        self.anchor = VMobject(stroke_opacity=0, fill_opacity=0).set_points(np.zeros((4, 3)))
        self.body = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.add(self.anchor, self.body)
        self.text = ""
        self.set_text(text)

    def set_anchor(self, point: Sequence[float]) -> SlotNumber:
        """Put the aligned end of the baseline at ``point`` and lay the text out again there."""
        self.anchor.set_points(np.tile([float(point[0]), float(point[1]), 0.0], (4, 1)))
        text, self.text = self.text, ""
        return self.set_text(text)

    def set_text(self, text: str) -> SlotNumber:
        """Show ``text`` (a no-op if unchanged)."""
        if text == self.text:
            return self
        if len(text) > self.max_chars:
            raise ValueError(f"{text!r} has more than {self.max_chars} characters")
        bad = set(text) - set(_GLYPH_CHARS)
        if bad:
            raise ValueError(f"SlotNumber cannot show {''.join(sorted(bad))!r} (allowed: {_GLYPH_CHARS})")
        advances = [_ADVANCE_EM[ch] * self.em for ch in text]
        x = self.anchor.points[0, 0] - (sum(advances) if self.align == "right" else 0.0)
        y = self.anchor.points[0, 1]
        pieces = []
        for ch, adv in zip(text, advances, strict=True):
            pieces.append(self.glyph_points[ch] + np.array([x + adv / 2, y, 0.0]))
            x += adv
        if pieces:
            self.body.set_points(np.concatenate(pieces))
        else:
            self.body.clear_points()
        self.text = text
        return self


def cost_text(value: float, digits: int = 4) -> str:
    """A cost as the readout and the captions show it: ``digits`` significant digits, never ``e``-notation."""
    s = fmt(float(value), digits)
    return s if "e" not in s else f"{float(value):.{digits + 2}f}"


def percent_text(fraction: float) -> str:
    """An accuracy as shown: percent with two decimals (a 400-point accuracy is a multiple of 0.25 %)."""
    return f"{100 * float(fraction):.2f}%"


class IterationReadout(VGroup):
    """``iteration``, ``cost`` and ``accuracy`` of the iteration shown, in aligned rows.

    Parameters
    ----------
    history : History
    iteration : int
    font_size : float
    """

    def __init__(self, history: History, iteration: int = 0, *, font_size: float = 28) -> None:
        super().__init__()
        self.history = history
        T = history.iterations
        names = [r"\text{iteration}", r"\text{cost}", r"\text{accuracy}"]
        self.labels = VGroup(*[MathTex(n, font_size=font_size, color=MUTED) for n in names])
        self.labels.arrange(DOWN, aligned_edge=LEFT, buff=0.22 * font_size / 28)
        width = max(len(str(T)), 6, len(self.cost_text(0))) + 1
        self.value_colors = (TEXT, HIGHLIGHT, TEXT)
        self.numbers = [SlotNumber("0", max_chars=width, font_size=font_size, color=c) for c in self.value_colors]
        num_x = self.labels.get_right()[0] + 0.3 + width * 0.5 * self.numbers[0].em
        for label, number in zip(self.labels, self.numbers, strict=True):
            number.set_anchor([num_x, label[0][0].get_bottom()[1]])
        self.add(self.labels, *self.numbers)
        self.iteration: int | None = None
        self.set_iteration(iteration)

    def cost_text(self, i: int) -> str:
        """The cost of iteration ``i`` as shown."""
        return cost_text(float(self.history.cost[i]))

    def accuracy_text(self, i: int) -> str:
        """The accuracy of iteration ``i`` as shown."""
        return percent_text(float(self.history.accuracy[i]))

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the numbers' glyphs (labels and anchors stay)."""
        return [number.body for number in self.numbers]

    def set_iteration(self, iteration: int) -> IterationReadout:
        """Show the numbers of ``iteration`` (beyond the run, of its last one)."""
        i = _clamp(self.history, iteration)
        if i != self.iteration:
            self.numbers[0].set_text(str(i))
            self.numbers[1].set_text(self.cost_text(i))
            self.numbers[2].set_text(self.accuracy_text(i))
            self.iteration = i
        return self


class HistoryNumber(SlotNumber):
    """One number of a history that follows the clock: the iteration, its cost or its accuracy.

    A compact label for small panels (e.g. the accuracy under each of several boundaries).

    Parameters
    ----------
    history : History
    kind : {"iteration", "cost", "accuracy"}
    iteration : int
    font_size : float
    color : ManimColor
    align : {"right", "left"}
    """

    KINDS = ("iteration", "cost", "accuracy")

    def __init__(
        self,
        history: History,
        kind: str,
        iteration: int = 0,
        *,
        font_size: float = 24,
        color: ManimColor = TEXT,
        align: str = "left",
    ) -> None:
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {', '.join(self.KINDS)}, got {kind!r}")
        self.history, self.kind = history, kind
        self.iteration: int | None = None
        width = max(len(str(history.iterations)), 7, len(self.text_of(0)))
        super().__init__(self.text_of(iteration), max_chars=width, font_size=font_size, color=color, align=align)
        self.iteration = _clamp(history, iteration)

    def text_of(self, iteration: int) -> str:
        """The text shown for ``iteration``."""
        i = _clamp(self.history, iteration)
        if self.kind == "iteration":
            return str(i)
        if self.kind == "cost":
            return cost_text(float(self.history.cost[i]))
        return percent_text(float(self.history.accuracy[i]))

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the glyphs (not the anchor)."""
        return [self.body]

    def set_iteration(self, iteration: int) -> HistoryNumber:
        """Show the value of ``iteration`` (beyond the run, of its last one)."""
        i = _clamp(self.history, iteration)
        if i != self.iteration:
            self.set_text(self.text_of(i))
            self.iteration = i
        return self


# --- the cost curve ----------------------------------------------------------------------------------


def _nice_step(span: float, target_ticks: int = 4) -> float:
    raw = span / max(target_ticks, 1)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


class CostCurve(VGroup):
    """The cost against the iteration (log axis), drawn up to the iteration shown.

    The iteration axis is ``log10(1 + i)`` so each decade gets the same width, matching the
    clock's roughly logarithmic pace. The curve's points are precomputed once; following the
    clock only slices them (``set_points_as_corners``).

    Parameters
    ----------
    history : History
    width, height : float
        Size of the axes in scene units.
    iteration : int
        Drawn up to here at first.
    font_size : float
    color : ManimColor
    max_points : int
        The curve uses every iteration up to this many, else this many log-spaced ones (plus
        the exact tip).
    """

    def __init__(
        self,
        history: History,
        width: float = 5.5,
        height: float = 2.6,
        *,
        iteration: int = 0,
        font_size: float = 22,
        color: ManimColor = HIGHLIGHT,
        max_points: int = 1500,
    ) -> None:
        super().__init__()
        self.history = history
        T = history.iterations
        cost = np.asarray(history.cost, dtype=float)
        finite = cost[np.isfinite(cost)]
        top = float(finite.max()) if finite.size else 1.0
        step = _nice_step(top, 3)
        y_max = step * math.ceil(top / step * 1.0001)
        self.x_max = math.log10(1 + T) if T > 0 else 1.0
        self.axes = Axes(
            x_range=[0, self.x_max, self.x_max],
            y_range=[0, y_max, step],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"include_ticks": False, "stroke_width": 2, "color": MUTED},
        )
        ticks = VGroup()
        labels = VGroup()
        decade_ticks = [0] + [10**k for k in range(1, 8) if 10**k <= T]
        if T > decade_ticks[-1]:
            decade_ticks.append(T)  # the end of the run, if its label has room (below)
        for v in decade_ticks:
            p = self.axes.c2p(math.log10(1 + v), 0)
            power = v >= 1000 and 10 ** round(math.log10(v)) == v
            tex = rf"10^{{{round(math.log10(v))}}}" if power else str(v)
            label = MathTex(tex, font_size=font_size, color=MUTED).next_to(p, DOWN, buff=0.12)
            if len(labels) and label.get_left()[0] < labels[-1].get_right()[0] + 0.2:
                continue
            ticks.add(Line(p + 0.06 * UP, p + 0.06 * DOWN, color=MUTED, stroke_width=2))
            labels.add(label)
        for k in range(1, int(round(y_max / step)) + 1):
            v = k * step
            p = self.axes.c2p(0, v)
            ticks.add(Line(p + 0.06 * LEFT, p + 0.06 * RIGHT, color=MUTED, stroke_width=2))
            labels.add(MathTex(f"{v:g}", font_size=font_size, color=MUTED).next_to(p, LEFT, buff=0.12))
        self.x_label = MathTex(r"\text{iteration (log scale)}", font_size=font_size, color=MUTED)
        self.x_label.next_to(self.axes.x_axis, DOWN, buff=0.45).align_to(self.axes.x_axis, RIGHT)
        self.y_label = MathTex(r"\text{cost}", font_size=font_size, color=MUTED)
        self.y_label.next_to(self.axes.y_axis, UP, buff=0.3)
        if T + 1 <= max_points:
            its = np.arange(T + 1)
        else:
            its = np.unique(np.round(np.expm1(np.linspace(0, math.log1p(T), max_points))).astype(np.int64))
        self.curve_iterations = its  # (k,)
        self._log_its = np.log10(1 + its.astype(float))  # (k,) axis coordinates, so the curve follows moves
        self._costs = self._clipped_cost(its)  # (k,)
        self.curve = VMobject(stroke_color=color, stroke_width=3)
        self.tip = Dot(radius=0.05, color=color)
        self.add(self.axes, ticks, labels, self.x_label, self.y_label, self.curve, self.tip)
        self.ticks, self.tick_labels = ticks, labels
        self.iteration: int | None = None
        self.set_iteration(iteration)

    def _clipped_cost(self, its: np.ndarray) -> np.ndarray:
        cost = np.nan_to_num(np.asarray(self.history.cost[its], dtype=float), nan=0.0, posinf=1e9)
        return np.clip(cost, 0.0, self.axes.y_range[1])

    def _to_points(self, log_its: np.ndarray, costs: np.ndarray) -> np.ndarray:
        # From the axes' current placement: the curve may have been moved since it was built.
        origin = self.axes.c2p(0, 0)
        unit_x = self.axes.c2p(1, 0) - origin
        unit_y = self.axes.c2p(0, 1) - origin
        return origin + log_its[:, None] * unit_x + costs[:, None] * unit_y  # (k, 3)

    def point_of(self, iteration: int) -> np.ndarray:
        """The scene point of ``(iteration, cost[iteration])`` on the axes."""
        its = np.array([int(iteration)])
        return self._to_points(np.log10(1 + its.astype(float)), self._clipped_cost(its))[0]

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the curve and its tip (the axes stay)."""
        return [self.curve, self.tip]

    def set_iteration(self, iteration: int) -> CostCurve:
        """Draw the curve from iteration 0 up to ``iteration`` (at most the run's last)."""
        i = _clamp(self.history, iteration)
        if i == self.iteration:
            return self
        k = int(np.searchsorted(self.curve_iterations, i, side="left"))
        tip = self.point_of(i)
        pts = np.vstack([self._to_points(self._log_its[:k], self._costs[:k]), tip[None]])
        if len(pts) >= 2:
            self.curve.set_points_as_corners(pts)
        else:
            self.curve.set_points_as_corners(np.vstack([tip, tip]))
        self.tip.move_to(tip)
        self.iteration = i
        return self


def top_units(W2: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` hidden units with the largest ``|W2|``, largest first.

    Parameters
    ----------
    W2 : ndarray, shape (1, n_h)
    k : int
    """
    w = np.abs(np.asarray(W2).reshape(-1))
    return np.argsort(-w, kind="stable")[: min(k, w.size)]


__all__ = [
    "BoundaryField",
    "BoundaryPanel",
    "CostCurve",
    "Extent",
    "FieldPanel",
    "HistoryNumber",
    "SlotNumber",
    "cost_text",
    "percent_text",
    "reveal",
    "IterationClock",
    "IterationReadout",
    "RasterCamera",
    "RasterScene",
    "data_extent",
    "fade_to_black",
    "pixels_per_unit",
    "sample_iterations",
    "top_units",
    "value_rgb",
]
