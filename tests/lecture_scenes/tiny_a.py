"""``manim render -ql tests/lecture_scenes/tiny_a.py TinyA``: a one-second segment for tests."""

from __future__ import annotations

import math

from manim import BLUE, Circle, Create, Scene
from tiny_common import final_cost

from scenes.common.narration import Narrated
from voice.pacing import ReadingTiming


class TinyA(Narrated, Scene):
    """A circle; its second caption outlasts the segment (the stitcher must clip it)."""

    timing = ReadingTiming(math.inf)  # captions take no reading time: the segment lasts 1.2 seconds

    def construct(self) -> None:
        """Draw it, in two sections."""
        with self.beat("circle"), self.line(f"segment a, cost {final_cost()}"):
            self.play(Create(Circle(color=BLUE)), run_time=0.8)
        with self.beat("rest", min_seconds=0.4):
            # a subcaption of its own, not a line: a line ends with its beat, and this one must
            # run past the end of the segment
            self.add_subcaption("a caption that runs past the end of the segment", duration=5)
