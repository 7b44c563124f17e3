"""``manim render -ql tests/lecture_scenes/tiny_plain.py TinyPlain``: a one-second segment that reads no history.

It draws the same whatever the lecture's run is (as the course's pinned experiments do), so a
build of several lectures renders it once for all of them (``tests/test_cluster.py``).
"""

from __future__ import annotations

import math

from manim import ORANGE, Create, Scene, Triangle

from scenes.common.narration import Narrated
from voice.pacing import ReadingTiming


class TinyPlain(Narrated, Scene):
    """A triangle, the same in every lecture."""

    timing = ReadingTiming(math.inf)  # captions take no reading time

    def construct(self) -> None:
        """Draw it."""
        with self.beat("triangle"), self.line("a segment that every lecture shares"):
            self.play(Create(Triangle(color=ORANGE)), run_time=0.8)
