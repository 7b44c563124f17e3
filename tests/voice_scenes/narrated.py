"""``NN_VOICE=joe manim render -ql tests/voice_scenes/narrated.py Narration``: a narrated scene for tests.

Three beats, about ten seconds: a beat with one caption, a beat with two lines, and a beat with a
caption whose animation is fitted to its speech (:meth:`~scenes.common.narration.Narrated.fit_to_speech`).
It reads no history.
"""

from __future__ import annotations

from manim import BLUE, GREEN, RED, Circle, Create, FadeOut, Scene, Square, Triangle

from scenes.common.narration import Narrated

CAPTIONS = {
    "circle": "A circle: z = 2 × 3.",
    "square": "Then a square.",
    "square-2": "And it turns.",
    "triangle": "A triangle grows while this line is said.",
}
"""The captions, by line id."""

FREE_SECONDS = 6.0
"""The triangle's animation without a voice; with one, fitted to its line."""


class Narration(Narrated, Scene):
    """A circle, a square in two lines, a triangle fitted to its speech."""

    def construct(self) -> None:
        """Play the three beats."""
        with self.beat("circle", CAPTIONS["circle"]):
            self.play(Create(Circle(color=BLUE)), run_time=0.6)
        square = Square(color=RED)
        with self.beat("square"):
            with self.line(CAPTIONS["square"]):
                self.play(FadeOut(self.mobjects[0]), Create(square), run_time=0.5)
            with self.line(CAPTIONS["square-2"], hold=0.2):
                self.play(square.animate.rotate(0.5), run_time=0.5)
        scale = self.fit_to_speech({"triangle": (CAPTIONS["triangle"], FREE_SECONDS)})
        with self.beat("triangle", CAPTIONS["triangle"]):
            self.play(FadeOut(square), Create(Triangle(color=GREEN)), run_time=FREE_SECONDS * scale)
