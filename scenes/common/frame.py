"""Keeping a mobject inside the frame: ``keep_in_frame(label)`` after placing it by its anchor.

``python -c "from scenes.common.frame import keep_in_frame"``. A label placed beside a point (a
curve's end, a node) can stick out of the frame when its text is long for some run (a power of
ten, a wide data set's coordinate). :func:`keep_in_frame` moves it back in, by as little as it
must; a label that fits is not moved, so the default lecture's picture does not change.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from manim import DL, UR, Mobject, config

FRAME_MARGIN = 0.1
"""How far inside the frame's edges :func:`keep_in_frame` puts a mobject, in scene units."""

M = TypeVar("M", bound=Mobject)


def keep_in_frame(mob: M, margin: float = FRAME_MARGIN) -> M:
    """Shift ``mob`` the least it takes to lie ``margin`` inside the frame on every side; returns it.

    A mobject larger than the frame (less its margins) is centred on that axis instead.
    """
    half = np.array([config.frame_width / 2 - margin, config.frame_height / 2 - margin])
    lo, hi = mob.get_corner(DL)[:2], mob.get_corner(UR)[:2]
    shift = np.zeros(3)
    for axis in (0, 1):
        if hi[axis] - lo[axis] > 2 * half[axis]:
            shift[axis] = -(hi[axis] + lo[axis]) / 2
        elif hi[axis] > half[axis]:
            shift[axis] = half[axis] - hi[axis]
        elif lo[axis] < -half[axis]:
            shift[axis] = -half[axis] - lo[axis]
    if shift.any():
        mob.shift(shift)
    return mob


__all__ = ["FRAME_MARGIN", "keep_in_frame"]
