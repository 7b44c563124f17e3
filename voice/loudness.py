"""Loudness and true peak, measured and limited: one implementation for a line and for the lecture's track.

``python -c "import numpy as np; from voice.loudness import loudness; print(loudness(np.ones(48000) * 0.1))"``
measures a second of a constant signal.

Every spoken line is normalised to :data:`TARGET_LUFS` integrated with its true peak at most
:data:`LIMITER_CEILING_DBTP` (:func:`voice.audio.normalise`), and the lecture's one audio track
(:mod:`lecture.assemble.soundtrack`) is measured, and if need be brought back, with the same
functions. Integrated loudness follows ITU-R BS.1770-4 (K-weighting and gating, by ``pyloudnorm``);
the true peak is the largest magnitude of the signal oversampled :data:`OVERSAMPLING` times
(BS.1770-4, annex 2). Both take mono ``(n,)`` or multi-channel ``(channels, n)`` samples.
"""

from __future__ import annotations

import math

import numpy as np

SAMPLE_RATE = 48_000
"""Sample rate of every line's audio and of the lecture's track (Hz): the usual rate of video sound."""

TARGET_LUFS = -16.0
"""Integrated loudness of every line (LUFS), the usual target for online lecture video."""

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

CHUNK_SECONDS = 20.0
"""True peaks are measured this many seconds at a time (the oversampled track would not fit in memory)."""

_DITHER = 1e-12
"""±this (−240 dBFS) at the Nyquist frequency keeps the K-weighting filters out of subnormal numbers in
silences (four times slower there), 170 dB below the meter's gate: nothing measurable."""


def _channels(audio: np.ndarray) -> np.ndarray:
    """``audio`` as ``(channels, n)`` (a view, not a copy: a lecture's track is hundreds of MB)."""
    x = np.asarray(audio)
    return x[None, :] if x.ndim == 1 else x


def loudness(audio: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770-4 with gating) by ``pyloudnorm``; ``-inf`` for silence.

    Parameters
    ----------
    audio : ndarray, shape (n,) or (channels, n)
        Samples in [-1, 1].
    rate : int
        Their rate (Hz).

    Notes
    -----
    Audio shorter than the meter's 400 ms block is measured with silence appended (which the gate
    ignores as long as the block holds any sound). The channels are summed, as BS.1770 does.
    """
    import pyloudnorm

    pcm = _channels(audio)
    if pcm.size == 0 or not np.any(pcm):
        return -math.inf
    data = pcm.T.astype(np.float64)  # (n, channels), as pyloudnorm takes it: a copy, dithered below
    block = int(0.4 * rate) + 1
    if len(data) < block:
        data = np.concatenate([data, np.zeros((block - len(data), data.shape[1]))])
    data[0::2] += _DITHER
    data[1::2] -= _DITHER
    return float(pyloudnorm.Meter(rate).integrated_loudness(data[:, 0] if data.shape[1] == 1 else data))


def true_peak(audio: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """True peak (dBTP): the largest magnitude of ``audio`` oversampled :data:`OVERSAMPLING` times.

    Parameters
    ----------
    audio : ndarray, shape (n,) or (channels, n)
    rate : int
        Their rate (Hz): the signal is oversampled :data:`CHUNK_SECONDS` at a time.
    """
    from scipy.signal import resample_poly

    pcm = _channels(audio)
    if pcm.size == 0:
        return -math.inf
    chunk, margin = int(CHUNK_SECONDS * rate), 64  # the margin covers the interpolation filter's reach
    peak = float(np.abs(pcm).max())
    for channel in pcm:
        for lo in range(0, len(channel), chunk):
            part = channel[max(lo - margin, 0) : lo + chunk + margin].astype(np.float64)
            if part.size and np.abs(part).max() > 0:
                peak = max(peak, float(np.abs(resample_poly(part, OVERSAMPLING, 1)).max()))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def block_peaks(audio: np.ndarray, block: int) -> np.ndarray:
    """The largest oversampled magnitude (:data:`OVERSAMPLING` ×) of each ``block`` samples of mono ``audio``, in dB.

    An inter-sample peak counts in the block of the sample before it.
    """
    from scipy.signal import resample_poly

    n = len(audio)
    nb = -(-n // block)
    over = np.abs(resample_poly(audio, OVERSAMPLING, 1))[: n * OVERSAMPLING]
    over = np.concatenate([over, np.zeros(nb * block * OVERSAMPLING - len(over))])
    peaks = np.maximum(over.reshape(nb, block * OVERSAMPLING).max(axis=1), 1e-12)
    return np.asarray(20 * np.log10(peaks))


def limiter_gain(
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
    return np.asarray(10 ** (at / 20))


def limit(
    audio: np.ndarray,
    ceiling_db: float = LIMITER_CEILING_DBTP,
    rate: int = SAMPLE_RATE,
    attack: float = LIMITER_ATTACK,
    release: float = LIMITER_RELEASE,
) -> np.ndarray:
    """Mono ``audio`` with its true peaks brought down to ``ceiling_db`` dBTP by a smooth look-ahead gain.

    The gain needed is computed per millisecond from the oversampled peaks; it falls towards a
    peak over about ``attack`` seconds before it (look-ahead) and recovers over about ``release``
    seconds after it, never above what any peak allows. Below the ceiling nothing changes.
    """
    if len(audio) == 0:
        return audio
    block = max(rate // 1000, 1)
    gain = limiter_gain(block_peaks(audio, block), len(audio), block, ceiling_db, attack, release, rate)
    return audio if gain is None else audio * gain
