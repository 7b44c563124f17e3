"""Data points as dots, one mobject each, or a few shapes when there are thousands.

``python -c "from scenes.common.dots import dot_cloud"``. A scene that draws every training point
as a vector dot (the title card, the summary, backprop's errors) makes one
:class:`~manim.Dot` per point: thousands of mobjects are slow to animate, copy and draw. Beyond
:data:`MANY_POINTS` points, :func:`dot_cloud` draws the same dots (the same outlines, centres and
radii) as one shape per colour and opacity level: a handful of mobjects whatever the data set's
size. Below it, nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Dot, ManimColor, VGroup, VMobject

MANY_POINTS = 1000
"""Beyond this many points a cloud is drawn as merged shapes."""

OPACITY_LEVELS = 16
"""A merged cloud rounds each dot's opacity to one of this many levels (one shape per level and colour)."""


def dot_cloud(
    centres: np.ndarray,
    radii: np.ndarray | float,
    colors: Sequence[ManimColor],
    opacities: np.ndarray | float = 1.0,
) -> VGroup:
    """Dots at ``centres`` (drawn in the given order: later ones on top).

    Parameters
    ----------
    centres : ndarray, shape (n, 2) or (n, 3)
        Scene coordinates.
    radii : ndarray of shape (n,), or float
    colors : sequence of ManimColor, length n
    opacities : ndarray of shape (n,), or float
        Fill opacity of each dot.

    Returns
    -------
    VGroup
        One :class:`~manim.Dot` per point for at most :data:`MANY_POINTS` points; otherwise one
        filled :class:`~manim.VMobject` per colour and opacity level (rounded to
        :data:`OPACITY_LEVELS` levels), in order of opacity, so the most opaque lie on top.
    """
    n = len(centres)
    at = np.zeros((n, 3))
    at[:, :2] = np.asarray(centres, dtype=float)[:, :2]
    radius = np.broadcast_to(np.asarray(radii, dtype=float), (n,))
    alpha = np.broadcast_to(np.asarray(opacities, dtype=float), (n,))
    if n <= MANY_POINTS:
        dots = VGroup()
        for k in range(n):
            dot = Dot(at[k], radius=float(radius[k]), color=colors[k])
            if alpha[k] != 1.0:
                dot.set_fill(opacity=float(alpha[k]))
            dots.add(dot)
        return dots
    unit = Dot(radius=1.0).points  # (c, 3): one dot's cubic curves, radius 1, centred on the origin
    level = np.rint(np.clip(alpha, 0.0, 1.0) * (OPACITY_LEVELS - 1)).astype(int)  # (n,)
    keys = [ManimColor(c).to_hex() for c in colors]
    shapes = VGroup()
    for lv in sorted(set(level.tolist())):
        for hex_color in dict.fromkeys(k for k, lv_k in zip(keys, level, strict=True) if lv_k == lv):
            mine = np.array([k == hex_color for k in keys]) & (level == lv)
            points = unit[None, :, :] * radius[mine, None, None] + at[mine, None, :]  # (m, c, 3)
            shape = VMobject(fill_color=hex_color, fill_opacity=lv / (OPACITY_LEVELS - 1), stroke_width=0)
            shapes.add(shape.set_points(points.reshape(-1, 3)))
    return shapes


__all__ = ["MANY_POINTS", "dot_cloud"]
