"""Who says a line: the author's recording of it when there is a current one, else the synthetic voice.

``NN_VOICE=joe NN_SEGMENT=title .venv/bin/manim render -ql scenes/title_card.py TitleCard``
renders the title card narrated.

:class:`~scenes.common.narration.Narrated` asks a :class:`Speaker`, for every line a scene says,
for the audio that says it (:meth:`Speaker.audio`): a normalised WAV file in the shared speech
cache (:mod:`voice.cache`) and its length, which then times the line
(:class:`voice.pacing.VoiceTiming`) and plays at its start.

The contract with the build (``python -m lecture build``), which sets for every render (the names
are in :mod:`nncore.paths`):

``$NN_VOICE``
    A voice name (:func:`voice.voices.installed_voices`) or ``none``; unset is ``none``: no audio,
    and the captions timed by reading speed.
``$NN_SPEECH_CACHE``
    The folder of normalised lines shared by all renders (default ``build/speech``).
``$NN_VOICE_DIR``
    The authors' recordings (default ``media_config/voice``; see :mod:`voice.recordings`).
``$NN_VOICE_LENGTH_SCALE``
    The synthetic voice's pace: Piper's phoneme length scale,
    :data:`~voice.synthesis.LENGTH_SCALE` by default (< 1 speaks faster); part of the voice key, so
    another pace has its own files.
``$NN_VOICE_PAUSE``
    Seconds of silence after each line (:data:`~voice.pacing.SPEECH_PAUSE` by default).
``$NN_SEGMENT``
    The segment's name; its recordings are ``$NN_VOICE_DIR/<segment>/<line id>.wav`` (or
    ``.flac``). Unset (a scene rendered on its own): no recording is looked up.

Line ids: a beat's first (or only) line is ``<beat>``, its later lines ``<beat>-2``,
``<beat>-3``, … (:func:`line_id`). Each line of the scene record (``$NN_SCENE_RECORD``) carries
``id``, ``spoken`` (:func:`voice.spoken.speak` of its caption), ``hash`` (:func:`text_hash` of
``spoken``: the first 12 hex digits of its SHA-256) and ``audio`` (:meth:`LineAudio.record`):
``{"source": "synthetic" | "recorded" | "none", "voice": name, "file": path or null, "seconds":
float, "stale": path of a stale recording or null}``. Recordings whose id no line has are the
build's to report: it knows every id once the scene has rendered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nncore.paths import (
    DEFAULT_SPEECH_CACHE,
    DEFAULT_VOICE_DIR,
    SEGMENT_ENV,
    SPEECH_CACHE_ENV,
    VOICE_DIR_ENV,
    VOICE_LENGTH_SCALE_ENV,
    VOICE_NONE,
)
from voice.audio import normalise, wav_bytes
from voice.cache import cached_seconds, publish, recorded_audio_path
from voice.errors import VoiceError, display_path
from voice.recordings import RECORD_AGAIN, RECORDING_SUFFIXES, SIDECAR_SUFFIX, check_recording, same_line
from voice.synthesis import LENGTH_SCALE, LENGTH_SCALE_RANGE, Synthesiser, voice_key
from voice.voices import check_voice, env_number, voice_setting


def line_id(beat: str, index: int) -> str:
    """The id of a beat's ``index``-th line (from 1): ``beat`` for the first, ``beat-2``, ``beat-3``, … after."""
    return beat if index <= 1 else f"{beat}-{index}"


def text_hash(spoken: str) -> str:
    """The first 12 hex digits of the SHA-256 of a spoken line (UTF-8): its id in the cache and the script."""
    return hashlib.sha256(spoken.encode("utf-8")).hexdigest()[:12]


SOURCES = ("synthetic", "recorded", "none")
"""Where a line's audio comes from (``audio.source`` in the scene record)."""


@dataclass(frozen=True)
class LineAudio:
    """A line's audio: a normalised WAV file and its length.

    Attributes
    ----------
    source : str
        ``"synthetic"``, ``"recorded"`` or ``"none"`` (a silent line: no file, 0 seconds).
    voice : str
        The voice's name (``"none"`` for a silent line; the synthetic voice's name for a recording,
        which is what a stale recording falls back to).
    path : Path or None
        The normalised audio file (48 kHz mono 16-bit WAV), ``None`` for a silent line.
    seconds : float
        Its length.
    stale : Path or None
        A recording for this line that was not used because it says another line.
    """

    source: str
    voice: str
    path: Path | None
    seconds: float
    stale: Path | None = None

    def record(self) -> dict[str, Any]:
        """The line's ``audio`` in the scene record."""
        return {
            "source": self.source,
            "voice": self.voice,
            "file": None if self.path is None else str(self.path),
            "seconds": round(self.seconds, 6),
            "stale": None if self.stale is None else str(self.stale),
        }


SILENT = LineAudio("none", VOICE_NONE, None, 0.0)
"""The audio of every line of a render without a voice."""


class Speaker:
    """Everything a render says: synthetic lines, the author's recordings, and their shared cache.

    Parameters
    ----------
    voice : str
        An installed voice's name (:func:`installed_voices`).
    cache : Path
        The speech cache (``$NN_SPEECH_CACHE``).
    voice_dir : Path
        The authors' recordings (``$NN_VOICE_DIR``).
    segment : str or None
        The segment's name (``$NN_SEGMENT``); ``None``: recordings are not looked up.
    synthesiser : callable, optional
        ``text -> (mono floats, rate)``; default Piper with ``voice``'s model (tests pass a cheaper one).
    length_scale : float
        The synthetic voice's pace (:data:`LENGTH_SCALE`).

    Raises
    ------
    VoiceError
        An unknown voice, or a voice folder (or the segment's folder in it) that is not a folder.
    """

    def __init__(
        self,
        voice: str,
        cache: Path,
        voice_dir: Path,
        segment: str | None,
        synthesiser: Callable[[str], tuple[np.ndarray, int]] | None = None,
        length_scale: float = LENGTH_SCALE,
    ) -> None:
        package = check_voice(voice)
        if package is None:
            raise VoiceError(f"a speaker needs a voice, not {voice!r}")
        self.package = package
        self.voice = voice
        self.cache = Path(cache)
        self.voice_dir = Path(voice_dir)
        self.segment = segment or None
        self.length_scale = length_scale
        self._piper = Synthesiser(package, length_scale)
        self._synthesise = synthesiser or self._piper.synthesise
        self._key = f"{voice}-custom" if synthesiser is not None else None
        self._made: dict[tuple[str, str], LineAudio] = {}
        self.synthesised = 0  # lines this speaker synthesised (not found in the cache)
        for folder in (self.voice_dir, self.recordings):
            if folder is not None and folder.exists() and not folder.is_dir():
                raise VoiceError(
                    f"{display_path(folder)}: the voice recordings folder is not a folder; move it away "
                    f"or point ${VOICE_DIR_ENV} at a folder"
                )

    @property
    def key(self) -> str:
        """The voice's cache folder name (:func:`voice_key`)."""
        if self._key is None:
            self._key = voice_key(self.package, self.length_scale)
        return self._key

    @property
    def recordings(self) -> Path | None:
        """The folder of this segment's recordings (``None`` without a segment)."""
        return None if self.segment is None else self.voice_dir / self.segment

    # --- synthetic ------------------------------------------------------------------------------------

    def synthetic(self, spoken: str) -> LineAudio:
        """The synthetic voice saying ``spoken``: from the cache, or synthesised into it."""
        memo = ("synthetic", spoken)
        if memo not in self._made:
            path = (self.cache / self.key / f"{text_hash(spoken)}.wav").absolute()
            seconds = cached_seconds(path)
            if seconds is None:
                audio, rate = self._synthesise(spoken)
                try:
                    samples = normalise(audio, rate)
                except ValueError as err:
                    raise VoiceError(f"the voice {self.voice!r} said nothing for {spoken!r}") from err
                publish(path, wav_bytes(samples))
                self.synthesised += 1
                seconds = cached_seconds(path)
                if seconds is None:
                    raise VoiceError(f"{display_path(path)}: the speech cache lost a file just written; check the disk")
            self._made[memo] = LineAudio("synthetic", self.voice, path, seconds)
        return self._made[memo]

    # --- recorded -------------------------------------------------------------------------------------

    def recording(self, line: str) -> Path | None:
        """The author's recording of line ``line`` of this segment, if there is one.

        Raises
        ------
        VoiceError
            If both ``<id>.wav`` and ``<id>.flac`` exist.
        """
        folder = self.recordings
        if folder is None or not folder.is_dir():
            return None
        found = [folder / f"{line}{suffix}" for suffix in RECORDING_SUFFIXES if (folder / f"{line}{suffix}").is_file()]
        if len(found) > 1:
            raise VoiceError(
                f"{display_path(found[0])} and {display_path(found[1])}: two recordings of line {line!r}; delete one"
            )
        return found[0] if found else None

    def recorded(self, path: Path) -> LineAudio:
        """The recording at ``path``, normalised (cached by its content).

        Raises
        ------
        VoiceError
            If it cannot be decoded, is empty or silent.
        """
        memo = ("recorded", str(path))
        if memo not in self._made:
            target = recorded_audio_path(self.cache, path).absolute()
            seconds = cached_seconds(target)
            if seconds is None:
                audio, rate = check_recording(path)
                try:
                    samples = normalise(audio, rate)
                except ValueError as err:
                    raise VoiceError(f"{display_path(path)}: the recording is silent; {RECORD_AGAIN}") from err
                publish(target, wav_bytes(samples))
                seconds = cached_seconds(target)
                if seconds is None:
                    raise VoiceError(
                        f"{display_path(target)}: the speech cache lost a file just written; check the disk"
                    )
            self._made[memo] = LineAudio("recorded", self.voice, target, seconds)
        return self._made[memo]

    # --- a line ----------------------------------------------------------------------------------------

    def audio(self, spoken: str, line: str | None = None) -> LineAudio:
        """What says ``spoken`` as line ``line``: its current recording, else the synthetic voice.

        Parameters
        ----------
        spoken : str
            The line as said (:func:`~voice.spoken.speak` of its caption).
        line : str, optional
            Its id (:func:`line_id`); without it, the synthetic voice.

        Returns
        -------
        LineAudio
            ``recorded`` when this segment has a recording of ``line`` that is current (its sidecar
            ``<id>.txt`` says ``spoken``, or it has none); otherwise ``synthetic``, with ``stale``
            naming a recording that says another line; ``none`` (no file) when ``spoken`` has no
            word to say.
        """
        if not any(ch.isalnum() for ch in spoken):
            return LineAudio("none", self.voice, None, 0.0)  # nothing to say
        path = self.recording(line) if line is not None else None
        if path is None:
            return self.synthetic(spoken)
        sidecar = path.with_suffix(SIDECAR_SUFFIX)
        if sidecar.is_file():
            try:
                said = sidecar.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise VoiceError(
                    f"{display_path(sidecar)}: cannot read the recording's line ({err}); write the spoken line "
                    "there as UTF-8 text, or delete it"
                ) from err
            if not same_line(said, spoken):
                synthetic = self.synthetic(spoken)
                return LineAudio(synthetic.source, synthetic.voice, synthetic.path, synthetic.seconds, stale=path)
        return self.recorded(path)


def speaker_from_env() -> Speaker | None:
    """The speaker ``$NN_VOICE`` asks for, with the cache, recordings and segment the environment names.

    Returns
    -------
    Speaker or None
        ``None`` for ``$NN_VOICE=none`` (or unset).

    Raises
    ------
    VoiceError
        An unknown voice, or a voice folder that is not a folder.
    """
    name = voice_setting()
    if name == VOICE_NONE:
        return None
    return Speaker(
        name,
        Path(os.environ.get(SPEECH_CACHE_ENV) or DEFAULT_SPEECH_CACHE),
        Path(os.environ.get(VOICE_DIR_ENV) or DEFAULT_VOICE_DIR),
        os.environ.get(SEGMENT_ENV) or None,
        length_scale=env_number(VOICE_LENGTH_SCALE_ENV, LENGTH_SCALE, LENGTH_SCALE_RANGE),
    )
