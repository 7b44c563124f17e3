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

How long a caption needs is the scene's :class:`~voice.pacing.Timing`, :class:`~voice.pacing.ReadingTiming`
by default (15 characters a second); another timing changes every beat's duration without touching the scenes.

**The voice.** ``$NN_VOICE`` (read when the first beat starts; ``none`` when unset) picks it: with
an installed voice (:mod:`voice.speaker`), every line is said by that voice, or by the
author's recording of it, and the scene's timing becomes a :class:`~voice.pacing.VoiceTiming`,
whatever the class set: a line lasts at least its audio plus a pause (``$NN_VOICE_PAUSE``,
:data:`~voice.pacing.SPEECH_PAUSE` by default; a beat's caption still at least
:data:`~voice.pacing.MIN_BEAT_SECONDS`), its audio plays from the line's start (``add_sound``), and a
line, or a beat, never starts before the previous line's audio has ended, so speech is never cut off
and lines never overlap. Manim mixes the lines' audio into the segment's audio track (pydub) and
muxes it into the MP4 as AAC, 48 kHz stereo (the mono lines at −3 dB a channel, so the stream measures
−16 LUFS by ITU-R BS.1770, which sums the channels); the track is ended so that the encoded stream
ends within half an AAC frame (10.7 ms) of the last video frame (:meth:`Narrated._end_audio`).
Without a voice nothing of this happens: the same waits, the same frames, no audio stream. (A
render that writes no video, ``-s``, has no audio either, but its lines are timed by their speech
all the same. With manim's animation cache on, a plain ``manim render`` without
``--disable_caching``, manim advances the time of a cached animation by its run time rather than
by whole frames, so the audio can drift from the picture by a fraction of a frame per cached
animation; the build renders uncached.)

Line ids: a beat's first (or only) line is ``<beat>``, its later lines ``<beat>-2``, ``<beat>-3``, …
A beat whose animation length is free (a clock that runs while its caption is said) fits it to
the speech with :meth:`Narrated.fit_to_speech`, or reads the length of its speech from the
:class:`BeatRecord` it gets (``speech``) or from :meth:`Narrated.speech_seconds`.

**The scene record.** When ``$NN_SCENE_RECORD`` names a file, the scene writes there what it did
as JSON (:meth:`Narrated.scene_record`): its beats and lines with their start and end times, and
any series a view recorded (the iteration a clock showed, frame by frame). A line there has
``text`` (its caption), ``start``, ``end``, ``id``, ``spoken`` (the line as said,
:func:`~voice.spoken.speak`), ``hash`` (12 hex digits of the SHA-256 of ``spoken``),
``needs`` (the seconds its timing gave it, before any ``hold``) and ``audio``: ``{"source":
"synthetic" | "recorded" | "none", "voice": name, "file": path or null, "seconds": float,
"stale": path or null}`` (:meth:`voice.speaker.LineAudio.record`). A beat has ``name``,
``start``, ``end``, ``lines``, ``seconds`` (how long its caption made it last at least) and
``speech`` (its caption's audio in seconds, 0 without one).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from nncore.atomic import atomic_write
from nncore.paths import BEAT_MARK, SCENE_RECORD_ENV
from scenes.common import svg_copies
from voice.audio import AAC_FRAME, AAC_PRIMING
from voice.errors import VoiceError
from voice.pacing import MIN_BEAT_SECONDS, ReadingTiming, Timing, VoiceTiming, speech_pause
from voice.speaker import SILENT, LineAudio, line_id, speaker_from_env, text_hash
from voice.spoken import caption_parts, speak

MIN_WAIT = 1e-3
"""A beat or line waits out what remains of its time only if more than this remains."""

FIT_SLACK = 1.5
"""A run fitted to speech (:meth:`Narrated.fit_to_speech`) outlasts the speech and its pause by at most this.

The beat then has at most this plus the pause in silence at its end, well below the 3 s a listener
notices as a gap.
"""


@dataclass
class LineRecord:
    """One caption as it was shown and said.

    Attributes
    ----------
    text : str
        The caption.
    start, end : float
        Its start and end in seconds of the segment (``end`` is ``None`` while it is up).
    id : str
        ``<beat>`` for a beat's first line, ``<beat>-2``, ``<beat>-3``, … for the next ones.
    spoken : str
        The line as said (:func:`~voice.spoken.speak` of ``text``).
    hash : str
        The first 12 hex digits of the SHA-256 of ``spoken``.
    needs : float
        The seconds its timing gives it (its audio plus a pause, or its reading time), before any hold.
    audio : dict
        Its audio (:meth:`voice.speaker.LineAudio.record`): source, voice, file, seconds, stale.
    """

    text: str
    start: float
    end: float | None = None
    id: str = ""
    spoken: str = ""
    hash: str = ""
    needs: float = 0.0
    audio: dict[str, Any] = field(default_factory=SILENT.record)


@dataclass
class BeatRecord:
    """One beat as it was played: its name, start and end, and its lines in order.

    Attributes
    ----------
    name : str
    start, end : float
        In seconds of the segment (``end`` is ``None`` while it plays).
    lines : list of LineRecord
    seconds : float
        How long the beat lasts at least: its caption's time (at least :data:`~voice.pacing.MIN_BEAT_SECONDS`)
        and ``min_seconds``; known when the beat starts, so its animations can fill it.
    speech : float
        Length of its caption's audio (0 without a voice or without a caption of its own).
    """

    name: str
    start: float
    end: float | None = None
    lines: list[LineRecord] = field(default_factory=list)
    seconds: float = 0.0
    speech: float = 0.0


class Narrated:
    """Mixin for a :class:`~manim.Scene` whose ``construct`` is a list of narrated beats.

    Put it first among the bases (``class Backprop(Narrated, Scene)``). Every method needs only
    what a Scene has: ``time``, ``wait``, ``next_section`` and ``add_subcaption`` (and, with a
    voice, its ``renderer``'s file writer).

    Attributes
    ----------
    timing : Timing
        How long captions need (class attribute; :class:`ReadingTiming` unless set otherwise). With
        a voice (``$NN_VOICE``), a :class:`~voice.pacing.VoiceTiming` replaces it when the
        first beat starts.
    beat_name : str
        The beat being played (``""`` before the first).
    beats : list of BeatRecord
        Every beat played so far.
    voiced : bool
        Whether a voice says the lines.
    """

    timing: Timing = ReadingTiming()

    def _narration_state(self) -> None:
        if "beats" not in self.__dict__:
            svg_copies.install()  # animations' copies of formulas share their parsed SVG: faster, same frames
            self.beats: list[BeatRecord] = []
            self.beat_name = ""
            self._open: LineRecord | None = None
            self._series: dict[str, list[Any]] = {}
            self._speech_end = 0.0  # when the last line's audio started ends (the next line waits for it)
            self._orphans = 0  # lines said outside any beat
            try:
                speaker = speaker_from_env()
                if speaker is not None:
                    self.timing = VoiceTiming(speaker, speech_pause())
            except VoiceError as err:
                _fail(err)
            self.voiced = isinstance(self.timing, VoiceTiming)

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
            at least its :attr:`timing` (and :data:`~voice.pacing.MIN_BEAT_SECONDS`). Without it the beat says
            what its :meth:`line` blocks say.
        min_seconds : float
            The beat lasts at least this long too; the difference is spent waiting at the end,
            with everything on screen.

        Yields
        ------
        BeatRecord
            The beat being played; its ``seconds`` (how long it lasts at least) and ``speech`` (its
            caption's audio) are known from the start.
        """
        self._narration_state()
        self._close_line()
        self._wait_for_speech()
        self.next_section(name)  # type: ignore[attr-defined]
        self.beat_name = name
        if os.environ.get(SCENE_RECORD_ENV):
            print(f"{BEAT_MARK}{name}", flush=True)  # the build names this beat if the render fails in it
        record = BeatRecord(name, self.time, seconds=min_seconds)  # type: ignore[attr-defined]
        self.beats.append(record)
        parts = caption_parts(caption) if caption is not None else []
        if parts:
            line = self._open_line(parts[0])
            record.seconds = max(MIN_BEAT_SECONDS, line.needs, min_seconds)
            record.speech = float(line.audio["seconds"])
        yield record
        for more in parts[1:]:  # a caption too long for one line: the rest said in turn, the picture held
            self._say_after(more)
        self._wait_until(record.start + record.seconds)
        self._close_line()
        record.end = self.time  # type: ignore[attr-defined]
        self.beat_ended(name)

    @contextmanager
    def line(self, caption: str, *, hold: float = 0.0) -> Iterator[LineRecord]:
        """Say ``caption`` within the current beat; on leaving, wait until it has had its time plus ``hold``.

        The caption stays up after the block, until the next line starts or the beat ends. With a
        voice, the line first waits for the previous line's audio to end, then plays its own.
        """
        self._narration_state()
        self._wait_for_speech()
        first, *more = caption_parts(caption)
        record = self._open_line(first)
        yield record
        if more:
            self._wait_until(record.start + record.needs)
            self.line_ended(record.id)
            for part in more[:-1]:
                self._say_after(part)
            self._wait_for_speech()
            record = self._open_line(more[-1])
        self._wait_until(record.start + record.needs + hold)
        self.line_ended(record.id)

    def _say_after(self, caption: str) -> None:
        """Say one more line of a caption that did not fit one, the picture held, and wait for its time."""
        self._wait_for_speech()
        record = self._open_line(caption)
        self._wait_until(record.start + record.needs)
        self.line_ended(record.id)

    def beat_ended(self, name: str) -> None:
        """Called at the end of every beat, everything still on screen (tests record the layout here)."""

    def line_ended(self, line: str) -> None:
        """Called when a :meth:`line` block has had its time, its picture on screen (the layout check looks)."""

    # --- speech ---------------------------------------------------------------------------------

    def speech_seconds(self, caption: str, line: str | None = None) -> float:
        """How long the voice takes to say ``caption`` (0.0 without a voice).

        Parameters
        ----------
        caption : str
            A caption the scene is about to show.
        line : str, optional
            The id it will have (a beat's name for its caption): its recording's length when the
            segment has a current one; without it, the synthetic voice's.
        """
        self._narration_state()
        if not isinstance(self.timing, VoiceTiming):
            return 0.0
        return self._audio(caption, line).seconds

    def fit_to_speech(self, runs: Mapping[str, tuple[str, float]], *, slack: float = FIT_SLACK) -> float:
        """One factor for the free run times of some beats, fitted to their speech (1.0 without a voice).

        Each beat ``name`` of ``runs`` (its caption, its run time without a voice) plays one
        animation whose length is free (a clock running), and nothing else that takes time. The
        factor is the largest that lets no such run outlast its beat's speech and pause by more
        than ``slack``: a run shorter than its speech leaves the picture still while the voice
        finishes, a longer one would leave a silent stretch. All runs get the same factor, so
        their pace relative to each other (what a caption may say, "the late iterations pass
        faster") does not change.

        Examples
        --------
        ::

            scale = self.fit_to_speech({"early": (captions["early"], 12.0), "late": (captions["late"], 24.0)})
            self.play(clock.advance_to(until, run_time=12.0 * scale))
        """
        self._narration_state()
        if not isinstance(self.timing, VoiceTiming) or not runs:
            return 1.0
        pause = self.timing.pause
        factors = [
            (self.speech_seconds(caption, name) + pause + slack) / seconds
            for name, (caption, seconds) in runs.items()
            if seconds > 0
        ]
        return min(factors) if factors else 1.0

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
        """Close the last caption, end the audio with the video, write the scene record (``$NN_SCENE_RECORD``)."""
        self._narration_state()
        self._close_line()
        self._end_audio()
        super().tear_down()  # type: ignore[misc]
        target = os.environ.get(SCENE_RECORD_ENV)
        if target:
            with atomic_write(Path(target), "w", encoding="utf-8") as fh:
                fh.write(json.dumps(self.scene_record(), indent=1) + "\n")

    # --- internals ------------------------------------------------------------------------------

    def _open_line(self, caption: str) -> LineRecord:
        self._close_line()
        if self.beats:
            beat = self.beats[-1]
            ident = line_id(beat.name, len(beat.lines) + 1)
        else:
            self._orphans += 1
            ident = line_id("line", self._orphans)
        spoken = speak(caption)
        record = LineRecord(caption, self.time, id=ident, spoken=spoken, hash=text_hash(spoken))  # type: ignore[attr-defined]
        if isinstance(self.timing, VoiceTiming):
            audio = self._audio(caption, ident)
            record.needs = audio.seconds + self.timing.pause
            self._play(audio)
            self._speech_end = record.start + audio.seconds
        else:
            audio = SILENT
            record.needs = self.timing.seconds(caption)
        record.audio = audio.record()
        if self.beats:
            self.beats[-1].lines.append(record)
        self._open = record
        return record

    def _audio(self, caption: str, line: str | None) -> LineAudio:
        assert isinstance(self.timing, VoiceTiming)
        try:
            return self.timing.audio(caption, line)
        except VoiceError as err:
            _fail(err)

    def _play(self, audio: LineAudio) -> None:
        """Add ``audio`` to the segment's audio at the current time.

        Through the file writer, not ``Scene.add_sound``: manim skips a sound while
        ``skip_animations`` is set, and it stays set after a play served from manim's cache
        (``manim render`` without ``--disable_caching``), which would silently drop the lines that
        follow cached animations. Only a render that writes no video (``-s``, a skipped
        section) gets no audio.
        """
        renderer = getattr(self, "renderer", None)
        writer = getattr(renderer, "file_writer", None)
        if audio.path is None or writer is None or self._writes_no_video(renderer, writer):
            return
        writer.add_sound(str(audio.path), self.time)  # type: ignore[attr-defined]

    @staticmethod
    def _writes_no_video(renderer: Any, writer: Any) -> bool:
        spec = getattr(writer, "output_spec", None)
        if spec is not None and not getattr(spec, "is_video", True):
            return True
        if getattr(renderer, "_original_skipping_status", False):
            return True
        sections = getattr(writer, "sections", None)
        if not sections:
            return False
        return bool(getattr(sections[-1], "skip_animations", False))

    def _end_audio(self) -> None:
        """Make the segment's audio as long as its video: a silent tail (or a cut in the last line's pause).

        Manim encodes an MP4's audio as AAC, which adds :data:`~voice.audio.AAC_PRIMING` samples in front and
        fills its last :data:`~voice.audio.AAC_FRAME`-sample frame; the tail is chosen so that the encoded
        stream ends within half an AAC frame (10.7 ms at 48 kHz) of the last video frame, less
        than a frame of video at up to 90 fps. Other formats get the video's length exactly.
        """
        writer = getattr(getattr(self, "renderer", None), "file_writer", None)
        if not getattr(writer, "includes_sound", False):
            return
        audio = writer.audio_segment  # type: ignore[union-attr]  # a pydub AudioSegment
        rate = int(audio.frame_rate)
        want = round(self.time * rate)  # type: ignore[attr-defined]
        spec = getattr(writer, "output_spec", None)
        if getattr(spec, "segment_extension", ".mp4") == ".mp4":
            want = max(round(want / AAC_FRAME) * AAC_FRAME - AAC_PRIMING, 0)
        have = int(audio.frame_count())
        if want > have:
            tail = b"\0" * ((want - have) * audio.frame_width)
            audio = audio + audio._spawn(tail)  # same sample width, rate and channels
        elif want < have:
            audio = audio.get_sample_slice(0, want)
        writer.audio_segment = audio  # type: ignore[union-attr]

    def _wait_for_speech(self) -> None:
        """With a voice: wait until the line playing now has ended (a no-op without one).

        A wait lasts whole frames, rounded down by manim; this one is rounded up, so that the next
        line starts on the first frame after the last one ends.
        """
        if not isinstance(self.timing, VoiceTiming):
            return
        remaining = self._speech_end - self.time  # type: ignore[attr-defined]
        if remaining > MIN_WAIT:
            camera = getattr(self, "camera", None)
            fps = float(getattr(camera, "frame_rate", 0) or 0)
            if fps <= 0:
                from manim import config

                fps = float(config.frame_rate)
            self.wait(math.ceil(remaining * fps - 1e-6) / fps + 0.5 / fps)  # type: ignore[attr-defined]

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


def _fail(err: VoiceError) -> NoReturn:
    """Bad voice input: one line on stderr, exit code 2 (as a bad history does)."""
    print(f"error: {err}", file=sys.stderr)
    raise SystemExit(2) from None
