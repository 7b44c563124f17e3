"""How long a caption keeps the picture waiting: the time to read it, or to hear it said.

``python -c "from voice.pacing import reading_time; print(reading_time('The cost falls.'))"`` prints
the seconds a beat with that caption lasts in a silent lecture.

A scene's timing (:attr:`scenes.common.narration.Narrated.timing`) is a :class:`Timing`: by
default :class:`ReadingTiming` (:data:`CHARS_PER_SECOND` characters a second); with a voice
(``$NN_VOICE``), a :class:`VoiceTiming`, under which a line lasts at least its audio plus a pause
(``$NN_VOICE_PAUSE``, :data:`SPEECH_PAUSE` by default). Either way a beat with a caption of its
own lasts at least :data:`MIN_BEAT_SECONDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from nncore.paths import VOICE_PAUSE_ENV
from voice.speaker import LineAudio, Speaker
from voice.spoken import speak
from voice.voices import env_number

CHARS_PER_SECOND = 15.0
"""Reading speed assumed for captions (subtitling guides use 15 to 17 characters a second)."""

MIN_BEAT_SECONDS = 4.0
"""No beat with a caption of its own is shorter than this, however short its caption."""

SPEECH_PAUSE = 0.4
"""A voiced line lasts at least its audio plus this pause before the next line starts (``$NN_VOICE_PAUSE``)."""

PAUSE_RANGE = (0.0, 2.0)
"""The pauses allowed (seconds)."""


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


def speech_pause() -> float:
    """The pause after each line: ``$NN_VOICE_PAUSE`` seconds, :data:`SPEECH_PAUSE` when unset.

    Raises
    ------
    VoiceError
        If it is not a number within :data:`PAUSE_RANGE`.
    """
    return env_number(VOICE_PAUSE_ENV, SPEECH_PAUSE, PAUSE_RANGE)


@dataclass
class VoiceTiming:
    """A :class:`Timing` from the speech: a caption lasts its audio plus a pause.

    :meth:`seconds` times a caption by the synthetic voice; :class:`~scenes.common.narration.Narrated`
    times each line by the audio it actually plays (:meth:`audio`, which knows the line's id and so
    its recording).

    Attributes
    ----------
    speaker : Speaker
        Who says the lines.
    pause : float
        Silence after each line's audio before the next line (:data:`SPEECH_PAUSE`).
    """

    speaker: Speaker
    pause: float = SPEECH_PAUSE

    def audio(self, caption: str, line: str | None = None) -> LineAudio:
        """The audio that says ``caption`` as line ``line`` (:meth:`Speaker.audio` of its spoken line)."""
        return self.speaker.audio(speak(caption), line)

    def seconds(self, caption: str) -> float:
        """The synthetic voice's audio of ``caption`` plus :attr:`pause`."""
        return self.audio(caption).seconds + self.pause
