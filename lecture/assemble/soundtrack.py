"""The lecture's one audio track: every segment's speech placed at its start, measured, encoded once.

``python -m lecture build`` (through :func:`lecture.assemble.stitch.stitch`) copies the segments' video
without re-encoding it, but not their audio: each segment's AAC stream starts with
:data:`~voice.audio.AAC_PRIMING` samples of encoder delay that manim's MP4s keep (no
edit list), and its last frame is padded, so copying the packets one after the other would push
the speech later by 21 ms at every join. Instead :func:`lecture_track` decodes each segment's
audio, drops the priming, and writes it into one 48 kHz stereo track at the segment's first
sample in lecture time (``start × 48000``, exact at 15, 24, 25, 30 and 60 fps): the speech of
every segment is where its video is, to the sample, however many segments precede it. A segment
without audio (a silent title card, a silent lecture's every segment) is silence; a few
milliseconds at both edges of every segment are faded (:data:`EDGE_FADE`), so no join clicks
even if a segment's sound did not end in silence.

:func:`measure` takes the track's integrated loudness (ITU-R BS.1770-4) and its true peak (4×
oversampled) with the functions that normalise every line (:mod:`voice.loudness`); every line is already at
−16 LUFS with its peaks at most −1.5 dBTP, so the track is too, and :func:`normalise_track`
changes nothing unless it is more than :data:`LOUDNESS_TOLERANCE` off target or above the
ceiling (a gain, then the lines' limiter). :func:`encode` encodes it once as AAC (FFmpeg's encoder
through PyAV; its own priming is written as an MP4 edit list, which players honour).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from lecture.errors import StitchError
from voice.audio import AAC_OPTIONS, AAC_PRIMING
from voice.loudness import (
    LIMITER_CEILING_DBTP,
    SAMPLE_RATE,
    TARGET_LUFS,
    limit,
    loudness,
    true_peak,
)

RATE = SAMPLE_RATE
"""The track's sample rate (Hz), as the segments' and every line's."""

LAYOUT = "stereo"
"""The track's channels, as the segments' (manim mixes the mono lines into stereo, −3 dB a channel)."""

BIT_RATE = 128_000
"""AAC bit rate of the track (bits a second)."""

EDGE_FADE = 0.005
"""Seconds faded in and out at each segment's edges (half a cosine): no click at a join."""

LOUDNESS_TOLERANCE = 0.1
"""The track is re-normalised when its integrated loudness is further than this (LU) from :data:`TARGET_LUFS`."""


@dataclass(frozen=True)
class TrackReport:
    """What :func:`lecture_track` and :func:`normalise_track` did, for the manifest.

    Attributes
    ----------
    samples : int
        The track's length in samples at :data:`RATE`.
    voiced : tuple of bool
        Per segment, whether it had an audio stream.
    loudness : float
        Integrated loudness of the track as encoded (LUFS; ``-inf`` for silence).
    true_peak : float
        Its true peak before encoding (dBTP).
    gain : float
        The gain :func:`normalise_track` applied (dB; 0.0 when the track was on target).
    limited : bool
        Whether the limiter had to bring peaks down.
    """

    samples: int
    voiced: tuple[bool, ...]
    loudness: float
    true_peak: float
    gain: float
    limited: bool

    def entry(self) -> dict[str, Any]:
        """The manifest's ``audio`` entry."""
        return {
            "codec": "aac",
            "sample_rate": RATE,
            "channels": LAYOUT,
            "bit_rate": BIT_RATE,
            "duration": round(self.samples / RATE, 6),
            "segments_with_audio": sum(self.voiced),
            "loudness_lufs": None if not math.isfinite(self.loudness) else round(self.loudness, 2),
            "true_peak_dbtp": None if not math.isfinite(self.true_peak) else round(self.true_peak, 2),
            "gain_db": round(self.gain, 2),
            "limited": self.limited,
        }


def segment_samples(duration: Fraction) -> int:
    """A segment's length in samples at :data:`RATE` (exact when the frame rate divides 48000)."""
    return round(duration * RATE)


def segment_pcm(path: Path, samples: int) -> np.ndarray | None:
    """A segment's audio as ``(2, samples)`` float32 at :data:`RATE`, its sample 0 at the video's start.

    AAC priming the container does not skip (manim's MP4s: no edit list, first packet at 0) is
    dropped; audio past ``samples`` is cut and a shorter track is padded with silence. ``None`` when
    the file has no audio stream.

    Raises
    ------
    StitchError
        If the audio cannot be decoded.
    """
    out = np.zeros((2, samples), dtype=np.float32)
    try:
        with av.open(str(path)) as c:
            if not c.streams.audio:
                return None
            stream = c.streams.audio[0]
            first = next((p.pts for p in c.demux(stream) if p.pts is not None), 0)
            in_rate = int(stream.codec_context.sample_rate or RATE)
            # a negative first timestamp: the container's edit list skips the priming already
            aac = stream.codec_context.name == "aac"
            priming = Fraction(AAC_PRIMING, in_rate) if aac and first >= 0 else Fraction(0)
        with av.open(str(path)) as c:
            stream = c.streams.audio[0]
            resampler = av.AudioResampler(format="fltp", layout=LAYOUT, rate=RATE)
            for frame in c.decode(stream):
                for part in resampler.resample(frame):
                    _place(out, part, priming)
            for part in resampler.resample(None):
                _place(out, part, priming)
    except (av.FFmpegError, OSError) as err:
        raise StitchError(f"{path}: cannot decode its audio ({err.__class__.__name__}: {err})") from None
    return out


def _place(out: np.ndarray, frame: av.AudioFrame, priming: Fraction) -> None:
    """Write ``frame`` into ``out`` at its time less ``priming`` (what falls outside is dropped)."""
    if frame.pts is None or frame.time_base is None:
        return
    at = round((frame.pts * Fraction(frame.time_base) - priming) * RATE)
    data = frame.to_ndarray()
    lo, hi = max(at, 0), min(at + data.shape[1], out.shape[1])
    if hi > lo:
        out[:, lo:hi] = data[:, lo - at : hi - at]


def fade_edges(pcm: np.ndarray, seconds: float = EDGE_FADE) -> None:
    """Fade ``pcm`` (channels, n) in and out over ``seconds``, in place."""
    n = min(int(seconds * RATE), pcm.shape[1] // 2)
    if n <= 0:
        return
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, n))).astype(pcm.dtype)
    pcm[:, :n] *= ramp
    pcm[:, -n:] *= ramp[::-1]


def lecture_track(
    videos: Sequence[Path], durations: Sequence[Fraction], voiced: Sequence[bool]
) -> tuple[np.ndarray, tuple[bool, ...]] | None:
    """Every segment's audio at its place in the lecture: ``(2, n)`` float32 and which segments had audio.

    ``voiced`` says which videos have an audio stream (the stitcher's probe knows); ``None`` when
    none has (a silent lecture has no audio track).
    """
    if not any(voiced):
        return None
    counts = [segment_samples(d) for d in durations]
    track = np.zeros((2, sum(counts)), dtype=np.float32)
    at = 0
    for video, n, has_sound in zip(videos, counts, voiced, strict=True):
        pcm = segment_pcm(video, n) if has_sound else None
        if pcm is not None:
            fade_edges(pcm)
            track[:, at : at + n] = pcm
        at += n
    return track, tuple(voiced)


def measure(pcm: np.ndarray) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``pcm``, measured at once on two threads."""
    with ThreadPoolExecutor(2) as pool:
        lufs, peak = pool.submit(loudness, pcm), pool.submit(true_peak, pcm)
        return lufs.result(), peak.result()


def normalise_track(pcm: np.ndarray, voiced: tuple[bool, ...]) -> tuple[np.ndarray, TrackReport]:
    """``pcm`` at :data:`TARGET_LUFS` (±:data:`LOUDNESS_TOLERANCE`) with its true peak at most the ceiling.

    The lines are normalised already, so this is a measurement that finds nothing to do; otherwise
    one gain brings the whole track to the target, and the lines' limiter
    (:func:`voice.loudness.limit`) the peaks below :data:`~voice.loudness.LIMITER_CEILING_DBTP`.
    """
    lufs, peak = measure(pcm)
    gain, limited = 0.0, False
    if math.isfinite(lufs) and abs(lufs - TARGET_LUFS) > LOUDNESS_TOLERANCE:
        gain = TARGET_LUFS - lufs
        pcm = pcm * np.float32(10 ** (gain / 20))
        lufs, peak = lufs + gain, peak + gain
    if math.isfinite(peak) and peak > LIMITER_CEILING_DBTP:
        pcm = np.stack([limit(ch.astype(np.float64)) for ch in pcm]).astype(np.float32)
        lufs, peak = measure(pcm)
        limited = True
    return pcm, TrackReport(pcm.shape[1], voiced, lufs, peak, gain, limited)


def encode(pcm: np.ndarray, stream: Any, block: int = 64 * 1024) -> list[av.Packet]:
    """Encode ``pcm`` (2, n) with ``stream`` (an AAC stream of the output, :func:`add_stream`); its packets.

    The packets are returned, not muxed, so that they can be interleaved with the video's.
    """
    packets: list[av.Packet] = []
    for lo in range(0, pcm.shape[1], block):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm[:, lo : lo + block]), format="fltp", layout=LAYOUT)
        frame.sample_rate = RATE
        frame.pts = lo
        frame.time_base = Fraction(1, RATE)
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    return packets


def add_stream(container: Any) -> Any:
    """The lecture's AAC stream in ``container`` (:data:`RATE`, :data:`LAYOUT`, :data:`BIT_RATE`)."""
    stream = container.add_stream("aac", rate=RATE, layout=LAYOUT)
    stream.bit_rate = BIT_RATE
    stream.options = dict(AAC_OPTIONS)
    return stream


__all__ = [
    "BIT_RATE",
    "RATE",
    "TrackReport",
    "add_stream",
    "encode",
    "lecture_track",
    "measure",
    "normalise_track",
    "segment_pcm",
]
