"""A line's audio as the lecture plays it: trimmed, resampled, normalised, faded, and read and written as WAV.

``python -c "from voice.audio import read_audio; print(read_audio('media_config/voice/title/title.wav')[1])"``
prints a recording's sample rate.

Every line's audio (:func:`normalise`) is trimmed of leading and trailing silence (keeping
:data:`EDGE_SECONDS`), resampled to 48 kHz mono, normalised to −16 LUFS integrated
(:data:`~voice.loudness.TARGET_LUFS`, measured by :func:`voice.loudness.loudness`) with its true peak
at most :data:`~voice.loudness.LIMITER_CEILING_DBTP` (a gain, then the look-ahead limiter on the
4× oversampled peaks), faded in and out over :data:`FADE_SECONDS` and written as 16-bit PCM.
Silence does not count towards integrated loudness (it is gated), so a lecture made of such lines
and silence measures −16 LUFS as well; the ceiling keeps 0.5 dB of room below −1 dBTP for the AAC
encoder's overshoot.
"""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path
from typing import Any

import numpy as np

from voice.loudness import (
    LIMITER_ATTACK,
    LIMITER_CEILING_DBTP,
    LIMITER_RELEASE,
    SAMPLE_RATE,
    TARGET_LUFS,
    block_peaks,
    limiter_gain,
    loudness,
    true_peak,
)

FADE_SECONDS = 0.010
"""Every line's audio fades in and out over this long (no click where it starts or stops)."""

EDGE_SECONDS = 0.050
"""Silence kept before the first and after the last sound of a line when trimming."""

SILENCE_DB = 45.0
"""Trimming: a 10 ms frame is silent when it is this far below the line's loudest frame."""

AUDIO_FORMAT = f"{SAMPLE_RATE}Hz-s16-mono-{TARGET_LUFS:g}LUFS-{LIMITER_CEILING_DBTP:g}dBTP-fade{FADE_SECONDS:g}-v1"
"""What the lines' audio files are: part of every cache key, so that changing the normalisation re-makes them."""

AAC_FRAME = 1024
"""Samples per frame of AAC, the audio codec of manim's MP4s."""

AAC_PRIMING = 1024
"""Samples of silence FFmpeg's AAC encoder puts before the audio (manim's MP4s keep them: no edit list)."""

AAC_OPTIONS = {"aac_coder": "fast"}
"""FFmpeg's AAC encoder options for every AAC stream the build writes (a segment's, the lecture's).

The ``fast`` coder encodes speech 2.2× faster than the default ``twoloop`` (3.8× on 450 s of the
lecture's lines: 4.2 against 15.9 CPU-s) and, at 128 kb/s, as faithfully (waveform SNR 44 dB
against 30 dB on the lecture's lines).
"""


def frame_rms_db(audio: np.ndarray, rate: int, frame_seconds: float = 0.010) -> np.ndarray:
    """RMS level (dBFS) of consecutive frames of ``audio`` (the last partial frame included)."""
    n = max(int(rate * frame_seconds), 1)
    padded = np.concatenate([audio, np.zeros((-len(audio)) % n)])
    rms = np.sqrt(np.mean(padded.reshape(-1, n) ** 2, axis=1))
    level: np.ndarray = 20 * np.log10(np.maximum(rms, 1e-12))
    return level


def trim_silence(audio: np.ndarray, rate: int, keep: float = EDGE_SECONDS) -> np.ndarray:
    """``audio`` without its leading and trailing silence, ``keep`` seconds of it left at each end.

    Silence is every 10 ms frame :data:`SILENCE_DB` below the loudest frame.
    """
    if audio.size == 0:
        return audio
    level = frame_rms_db(audio, rate)
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
    """A line's audio as the lecture plays it, from mono float ``audio`` at ``rate`` Hz.

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
    peaks = block_peaks(x, block)  # the limiter's input is x times a gain: its peaks move with the gain

    def gained(gain_db: float, ceiling: float) -> np.ndarray:
        env = limiter_gain(peaks + gain_db, len(x), block, ceiling, LIMITER_ATTACK, LIMITER_RELEASE, SAMPLE_RATE)
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


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit PCM WAV file (a line in the speech cache) as floats in [-1, 1] (channels averaged) and its rate."""
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


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    """``samples`` (int16, mono) as the bytes of a 16-bit PCM WAV file at ``rate``."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()
