"""``manim render -ql tests/lecture_scenes/tiny_opening.py TinyOpening``: a one-second title for tests."""

from __future__ import annotations

from manim import FadeIn, Scene, Text
from tiny_common import final_cost


class TinyOpening(Scene):
    """The run's final cost as a title, with a caption naming it."""

    def construct(self) -> None:
        """Fade in one line."""
        self.next_section("title")
        text = Text(f"cost {final_cost()}", font_size=40)
        self.play(FadeIn(text), run_time=0.6, subcaption=f"opening, cost {final_cost()}")
        self.wait(0.4)
