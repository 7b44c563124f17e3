"""``manim render -ql tests/lecture_scenes/tiny_b.py TinyB``: a one-second segment for tests."""

from __future__ import annotations

from manim import GREEN, Create, Scene, Square
from tiny_common import final_cost


class TinyB(Scene):
    """A square."""

    def construct(self) -> None:
        """Draw it."""
        self.play(Create(Square(color=GREEN)), run_time=0.8, subcaption=f"segment b, cost {final_cost()}")
