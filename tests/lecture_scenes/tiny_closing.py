"""``manim render -ql tests/lecture_scenes/tiny_closing.py TinyClosing``: a short closing for tests."""

from __future__ import annotations

from manim import ORANGE, Create, Scene, Triangle


class TinyClosing(Scene):
    """A triangle."""

    def construct(self) -> None:
        """Draw it."""
        self.play(Create(Triangle(color=ORANGE)), run_time=0.6, subcaption="closing")
