"""The authors' recordings: which files can say a line, the line each says, and whether it holds sound.

``media_config/voice/<segment>/<line id>.wav`` (or ``.flac``; any sample rate, mono or stereo)
replaces the synthetic voice for that line, normalised the same way and cached by its content
(:func:`voice.cache.recorded_audio_path`). A recording names the line it was recorded for in a
sidecar ``<id>.txt`` holding the spoken text (``python -m lecture script`` writes them). When the
line now says something else (a hyperparameter changed a number), the recording is *stale*: it is
not used, the line has the synthetic voice, and the line's ``audio.stale`` names the recording. A
recording without a sidecar is taken as current. A recording that cannot be decoded, is empty or
silent (:func:`check_recording`), two recordings for one line, or a voice folder that is not a
folder raise :class:`~voice.errors.VoiceError`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voice.audio import frame_rms_db, read_audio
from voice.errors import VoiceError, display_path

RECORDING_SUFFIXES = (".wav", ".flac")
"""The recordings an author can drop in, per line."""

SIDECAR_SUFFIX = ".txt"
"""A recording's sidecar, ``<id>.txt``: the spoken line it says (``python -m lecture script`` writes it)."""

SILENT_RECORDING_DBFS = -60.0
"""A recording whose loudest 10 ms frame is quieter than this (RMS, dBFS) is taken as silent."""

RECORD_AGAIN = "record it again, or delete it to use the synthetic voice"
"""How every message about an unusable recording ends."""


def same_line(a: str, b: str) -> bool:
    """Two spoken lines are the same when their words are (whitespace does not count)."""
    return " ".join(a.split()) == " ".join(b.split())


def check_recording(path: Path) -> tuple[np.ndarray, int]:
    """Decode an author's recording and check that it holds sound: mono floats and their rate.

    Raises
    ------
    VoiceError
        One line naming the file and the fix, if it cannot be decoded, is empty (under 50 ms) or
        silent (no 10 ms frame louder than :data:`SILENT_RECORDING_DBFS`).
    """
    try:
        audio, rate = read_audio(path)
    except ValueError as err:
        raise VoiceError(f"{display_path(path)}: not readable audio ({err}); {RECORD_AGAIN}") from err
    if audio.size < 0.05 * rate:
        raise VoiceError(f"{display_path(path)}: the recording is empty; {RECORD_AGAIN}")
    if float(frame_rms_db(audio, rate).max()) < SILENT_RECORDING_DBFS:
        raise VoiceError(f"{display_path(path)}: the recording is silent; {RECORD_AGAIN}")
    return audio, rate
