"""Where a plot's axis ends, without Manim: the round numbers the lecture's cost axes stop at.

``python -c "from scenes.common.axis import nice_ceiling; print(nice_ceiling(0.83))"``. The scenes'
curves (:mod:`scenes.common.curves`) and the questions' pictures (:mod:`lecture.quiz.pictures`,
which the build draws without loading Manim) size their axes with these, so a picture in a question
ends where the chapter's plot does.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= value * (1 - 1e-9):
            return min(m * mag, sys.float_info.max)  # a cost near the largest float: no infinite axis
    return min(10 * mag, sys.float_info.max)


def axis_top(starts: Iterable[float], headroom: float = 1.4) -> float:
    """The top of a shared cost axis: a round number ``headroom`` times above the highest finite start.

    A run whose cost climbs above it is clipped: one wild run would otherwise squash every other
    curve into a line at the bottom. Without a finite start, ``nice_ceiling(headroom)``.
    """
    finite = [float(s) for s in starts if math.isfinite(float(s))]
    return nice_ceiling(headroom * max(finite, default=1.0))
