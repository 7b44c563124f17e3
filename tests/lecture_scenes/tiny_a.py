"""``manim render -ql tests/lecture_scenes/tiny_a.py TinyA``: a one-second segment for tests."""

from __future__ import annotations

from manim import BLUE, Circle, Create, Scene
from tiny_common import final_cost


class TinyA(Scene):
    """A circle; its second caption outlasts the segment (the stitcher must clip it)."""

    def construct(self) -> None:
        """Draw it, in two sections."""
        self.next_section("circle")
        self.play(Create(Circle(color=BLUE)), run_time=0.8, subcaption=f"segment a, cost {final_cost()}")
        self.next_section("rest")
        self.add_subcaption("a caption that runs past the end of the segment", duration=5)
        self.wait(0.4)
