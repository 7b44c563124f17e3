"""``manim render -ql tests/lecture_scenes/tiny_opening.py TinyOpening``: a one-second title for tests."""

from __future__ import annotations

import math

from manim import FadeIn, Scene, Text
from tiny_common import final_cost

from scenes.common.narration import Narrated
from voice.pacing import ReadingTiming


class TinyOpening(Narrated, Scene):
    """The run's final cost as a title, with a caption naming it."""

    timing = ReadingTiming(math.inf)  # captions take no reading time: the segment lasts one second

    def construct(self) -> None:
        """Fade in one line."""
        with self.beat("title"):
            text = Text(f"cost {final_cost()}", font_size=40)
            with self.line(f"opening, cost {final_cost()}"):
                self.play(FadeIn(text), run_time=0.6)
            self.wait(0.4)
