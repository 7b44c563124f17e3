"""``manim render -ql scenes/matrix_algebra.py`` uses it: beats, each one section and one subcaption.

Every beat of a segment is written as ::

    with beat(self, "bias", caption):
        self.play(...)

which starts a ``next_section`` named after the beat, plays the animations, waits until the
caption has been on screen long enough to read (:func:`reading_time`), and records the caption
as a subcaption spanning the whole beat. Manim writes the subcaptions beside the video as
``.srt``; the lecture's captions are made from them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from manim import Scene

CHARS_PER_SECOND = 15.0
"""Reading speed assumed for captions (subtitling guides use 15 to 17 characters a second)."""

MIN_BEAT_SECONDS = 4.0
"""No beat is shorter than this, however short its caption."""


def spoken_list(items: Sequence[str]) -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def dataset_name(value: str) -> str:
    """A data set's name as spoken (``gaussian_quantiles`` → ``gaussian quantiles``)."""
    return str(value).replace("_", " ")


def reading_time(caption: str, chars_per_second: float = CHARS_PER_SECOND) -> float:
    """Seconds a viewer needs to read ``caption`` (at least :data:`MIN_BEAT_SECONDS`)."""
    return max(MIN_BEAT_SECONDS, len(caption) / chars_per_second)


@contextmanager
def beat(scene: Scene, name: str, caption: str, min_seconds: float = 0.0) -> Iterator[None]:
    """Mark one beat of ``scene``: a section named ``name`` narrated by ``caption``.

    Parameters
    ----------
    scene : Scene
        The scene being constructed.
    name : str
        Section name (``snake_case``; it names the section video with ``--save_sections``).
    caption : str
        What the beat says, with its real numbers; shown as a subcaption for the whole beat.
    min_seconds : float
        The beat lasts at least this long as well as at least :func:`reading_time` of the caption;
        the difference is spent waiting at the end, with everything on screen.
    """
    scene.next_section(name)
    start = scene.time
    yield
    elapsed = scene.time - start
    remaining = max(reading_time(caption), min_seconds) - elapsed
    if remaining > 1e-3:
        scene.wait(remaining)
    elapsed = scene.time - start
    scene.add_subcaption(caption, duration=elapsed, offset=-elapsed)
