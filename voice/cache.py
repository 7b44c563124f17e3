"""The speech cache every render and build shares: normalised lines, published once, found by content.

``ls build/speech`` shows one folder per voice key (:func:`voice.synthesis.voice_key`) and
``recorded/`` for the authors' recordings. A synthetic line is ``<voice key>/<text hash>.wav``
(:func:`voice.speaker.text_hash` of the spoken line), a recording ``recorded/<digest>.wav`` (the
digest of its file and :data:`~voice.audio.AUDIO_FORMAT`). A line's audio is written to a
temporary file and published with a hard link (:func:`publish`), so that two renders making the
same line at once both succeed and both use the first file published (Piper's output varies
slightly from run to run; a render times its lines by the very file it plays).
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import wave
from pathlib import Path

from voice.audio import AUDIO_FORMAT, wav_seconds
from voice.errors import VoiceError, display_path
from voice.recordings import RECORD_AGAIN

RECORDED_FOLDER = "recorded"
"""The speech cache's folder of normalised recordings (next to one folder per voice key)."""


def content_digest(path: Path) -> str:
    """16 hex digits naming a recording in the cache: the SHA-256 of its bytes and :data:`~voice.audio.AUDIO_FORMAT`."""
    with open(path, "rb") as fh:
        h = hashlib.file_digest(fh, "sha256")
    h.update(AUDIO_FORMAT.encode())
    return h.hexdigest()[:16]


def recorded_audio_path(cache: Path, path: Path) -> Path:
    """Where the speech cache keeps the normalised form of the recording at ``path`` (by its content).

    Raises
    ------
    VoiceError
        If the recording cannot be read.
    """
    try:
        digest = content_digest(path)
    except OSError as err:
        raise VoiceError(f"{display_path(path)}: cannot read the recording ({err.strerror}); {RECORD_AGAIN}") from err
    return Path(cache) / RECORDED_FOLDER / f"{digest}.wav"


def publish(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` unless another process already has: the first file published stays.

    ``data`` goes to a temporary file beside ``path`` that is then hard-linked to ``path`` (an
    atomic create: a reader sees the whole file or none, and a later writer finds it there); on a
    file system without hard links, it is renamed onto ``path`` instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another render published it first: use theirs
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if not path.exists():
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def cached_seconds(path: Path) -> float | None:
    """The length of a usable cache entry at ``path`` (``None``: missing or broken, and then removed)."""
    try:
        seconds = wav_seconds(path)
    except FileNotFoundError:
        return None
    except (wave.Error, EOFError, OSError):
        path.unlink(missing_ok=True)
        return None
    if seconds <= 0:
        path.unlink(missing_ok=True)
        return None
    return seconds
