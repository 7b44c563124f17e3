"""``manim render -ql tests/lecture_scenes/tiny_closing.py TinyClosing``: a short closing for tests."""

from __future__ import annotations

import math

from manim import ORANGE, Create, Scene, Triangle

from scenes.common.narration import Narrated
from voice.pacing import ReadingTiming


class TinyClosing(Narrated, Scene):
    """A triangle."""

    timing = ReadingTiming(math.inf)  # captions take no reading time: the segment lasts 0.6 seconds

    def construct(self) -> None:
        """Draw it."""
        with self.beat("closing"), self.line("closing"):
            self.play(Create(Triangle(color=ORANGE)), run_time=0.6)
