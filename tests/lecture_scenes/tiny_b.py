"""``manim render -ql tests/lecture_scenes/tiny_b.py TinyB``: a one-second segment for tests."""

from __future__ import annotations

import math

from manim import GREEN, Create, Scene, Square
from tiny_common import final_cost, iterations

from scenes.common.narration import Narrated
from voice.pacing import ReadingTiming


class TinyB(Narrated, Scene):
    """A square, and the series a clock running through the training would record."""

    timing = ReadingTiming(math.inf)  # captions take no reading time: the segment lasts 0.8 seconds

    def construct(self) -> None:
        """Draw it."""
        with self.beat("square"), self.line(f"segment b, cost {final_cost()}"):
            self.record_series("clock", [self.time, 0])
            self.play(Create(Square(color=GREEN)), run_time=0.8)
            self.record_series("clock", [self.time, iterations()])
