"""The one narration API of every scene: beats, their captions, and how long each one lasts.

A scene mixes in :class:`Narrated` and its ``construct`` lists its beats; a beat reads ::

    with self.beat("bias", caption):
        self.play(...)

which starts a ``next_section`` named after the beat, plays the animations, waits until the
caption has been on screen long enough (:attr:`Narrated.timing`), and records the caption as a
subcaption spanning the whole beat. A beat that says several things in turn opens a line for each::

    with self.beat("setup"):
        with self.line(first):
            self.play(...)
        with self.line(second, hold=0.3):
            self.play(...)

A line's caption starts when the line opens and lasts until the next line opens or the beat ends;
leaving the line waits until it has had its time plus ``hold``. Manim writes the subcaptions
beside the video as ``.srt``; the lecture's captions are made from them.

How long a caption needs is the scene's :class:`Timing`, :class:`ReadingTiming` by default (15
characters a second); another timing (a spoken line's measured length, say) changes every beat's
duration without touching the scenes. When ``$NN_SCENE_RECORD`` names a file, the scene writes
there what it did as JSON (:meth:`Narrated.scene_record`): its beats and lines with their start
and end times, and any series a view recorded (the iteration a clock showed, frame by frame).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nncore.atomic import atomic_write
from nncore.paths import SCENE_RECORD_ENV

CHARS_PER_SECOND = 15.0
"""Reading speed assumed for captions (subtitling guides use 15 to 17 characters a second)."""

MIN_BEAT_SECONDS = 4.0
"""No beat with a caption of its own is shorter than this, however short its caption."""

MIN_WAIT = 1e-3
"""A beat or line waits out what remains of its time only if more than this remains."""


def reading_time(caption: str, chars_per_second: float = CHARS_PER_SECOND) -> float:
    """Seconds a viewer needs to read ``caption`` (at least :data:`MIN_BEAT_SECONDS`)."""
    return max(MIN_BEAT_SECONDS, len(caption) / chars_per_second)


class Timing(Protocol):
    """How long a caption keeps the picture waiting: reading it, or hearing it."""

    def seconds(self, caption: str) -> float:
        """The time ``caption`` needs, without any minimum."""
        ...


@dataclass(frozen=True)
class ReadingTiming:
    """A caption needs ``len(caption) / chars_per_second`` seconds."""

    chars_per_second: float = CHARS_PER_SECOND

    def seconds(self, caption: str) -> float:
        """Reading time of ``caption``."""
        return len(caption) / self.chars_per_second


@dataclass
class LineRecord:
    """One caption as it was shown: its text and its start and end in seconds of the segment."""

    text: str
    start: float
    end: float | None = None


@dataclass
class BeatRecord:
    """One beat as it was played: its name, start and end, and its lines in order."""

    name: str
    start: float
    end: float | None = None
    lines: list[LineRecord] = field(default_factory=list)


class Narrated:
    """Mixin for a :class:`~manim.Scene` whose ``construct`` is a list of narrated beats.

    Put it first among the bases (``class Backprop(Narrated, Scene)``). Every method needs only
    what a Scene has: ``time``, ``wait``, ``next_section`` and ``add_subcaption``.

    Attributes
    ----------
    timing : Timing
        How long captions need (class attribute; :class:`ReadingTiming` unless set otherwise).
    beat_name : str
        The beat being played (``""`` before the first).
    beats : list of BeatRecord
        Every beat played so far.
    """

    timing: Timing = ReadingTiming()

    def _narration_state(self) -> None:
        if "beats" not in self.__dict__:
            self.beats: list[BeatRecord] = []
            self.beat_name = ""
            self._open: LineRecord | None = None
            self._series: dict[str, list[Any]] = {}

    # --- beats and lines ----------------------------------------------------------------------

    @contextmanager
    def beat(self, name: str, caption: str | None = None, *, min_seconds: float = 0.0) -> Iterator[BeatRecord]:
        """Play one beat: a section named ``name``, narrated by ``caption`` (or by its lines).

        Parameters
        ----------
        name : str
            Section name (``snake_case``; it names the section video with ``--save_sections``).
        caption : str, optional
            What the whole beat says, with its real numbers; shown for the whole beat, which lasts
            at least its :attr:`timing` (and :data:`MIN_BEAT_SECONDS`). Without it the beat says
            what its :meth:`line` blocks say.
        min_seconds : float
            The beat lasts at least this long too; the difference is spent waiting at the end,
            with everything on screen.

        Yields
        ------
        BeatRecord
            The beat being played.
        """
        self._narration_state()
        self._close_line()
        self.next_section(name)  # type: ignore[attr-defined]
        self.beat_name = name
        record = BeatRecord(name, self.time)  # type: ignore[attr-defined]
        self.beats.append(record)
        if caption is not None:
            self._open_line(caption)
        yield record
        needed = min_seconds
        if caption is not None:
            needed = max(MIN_BEAT_SECONDS, self.timing.seconds(caption), min_seconds)
        self._wait_until(record.start + needed)
        self._close_line()
        record.end = self.time  # type: ignore[attr-defined]
        self.beat_ended(name)

    @contextmanager
    def line(self, caption: str, *, hold: float = 0.0) -> Iterator[LineRecord]:
        """Say ``caption`` within the current beat; on leaving, wait until it has had its time plus ``hold``.

        The caption stays up after the block, until the next line starts or the beat ends.
        """
        self._narration_state()
        record = self._open_line(caption)
        yield record
        self._wait_until(record.start + self.timing.seconds(caption) + hold)

    def beat_ended(self, name: str) -> None:
        """Called at the end of every beat, everything still on screen (tests record the layout here)."""

    # --- what the scene did ---------------------------------------------------------------------

    def record_series(self, name: str, item: Any) -> None:
        """Append ``item`` to the series ``name`` of the scene record (e.g. ``[time, iteration]``)."""
        self._narration_state()
        self._series.setdefault(name, []).append(item)

    def scene_record(self) -> dict[str, Any]:
        """What the scene did: its beats and lines with their times, and the recorded series."""
        self._narration_state()
        return {"beats": [asdict(b) for b in self.beats], "series": self._series}

    def tear_down(self) -> None:
        """Close the last caption and write the scene record where ``$NN_SCENE_RECORD`` says."""
        self._narration_state()
        self._close_line()
        super().tear_down()  # type: ignore[misc]
        target = os.environ.get(SCENE_RECORD_ENV)
        if target:
            with atomic_write(Path(target), "w", encoding="utf-8") as fh:
                fh.write(json.dumps(self.scene_record(), indent=1) + "\n")

    # --- internals ------------------------------------------------------------------------------

    def _open_line(self, caption: str) -> LineRecord:
        self._close_line()
        record = LineRecord(caption, self.time)  # type: ignore[attr-defined]
        if self.beats:
            self.beats[-1].lines.append(record)
        self._open = record
        return record

    def _close_line(self) -> None:
        record, self._open = self._open, None
        if record is None:
            return
        record.end = self.time  # type: ignore[attr-defined]
        elapsed = record.end - record.start
        if elapsed > 0:
            self.add_subcaption(record.text, duration=elapsed, offset=-elapsed)  # type: ignore[attr-defined]

    def _wait_until(self, t: float) -> None:
        remaining = t - self.time  # type: ignore[attr-defined]
        if remaining > MIN_WAIT:
            self.wait(remaining)  # type: ignore[attr-defined]
