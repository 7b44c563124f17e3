"""Join segment videos into one without re-encoding the video (PyAV remux), and grab still frames.

``python -m lecture build`` calls :func:`stitch`. Every segment of a preset is encoded by manim
with the same codec, resolution, frame rate and encoder settings, so their compressed packets can
be copied one after the other, each segment's timestamps shifted by the length of what precedes
it. :func:`stitch` checks that assumption first and the result afterwards (frame count and
duration equal the sums).

The sound is not copied: when any segment has an audio stream (a narrated lecture), the lecture
gets one continuous AAC track made by :mod:`lecture.assemble.soundtrack` (every segment's audio decoded and
placed at its start to the sample, silence where a segment has none, measured, encoded once),
interleaved with the copied video; its duration equals the video's within a frame (checked).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
from PIL import Image

from lecture.assemble import soundtrack
from lecture.errors import StitchError


@dataclass(frozen=True)
class VideoInfo:
    """What :func:`stitch` needs to know about one video file (read from its packets).

    Attributes
    ----------
    path : Path
    codec : str
    width, height : int
    pix_fmt : str
    time_base : Fraction
        Seconds per timestamp tick.
    rate : Fraction
        Nominal frames per second.
    frames : int
        Number of video packets: the pictures encoded, one each. A variable-rate video shows a
        still picture for as long as it lasts, so it may have fewer than :attr:`shown_frames`.
    start, end : int
        First presentation time and end of the last frame, in ticks.
    extradata : str
        SHA-256 of the codec's extradata (H.264 SPS/PPS): equal for packets that can share a stream.
    audio : bool
        Whether the file has an audio stream.
    audio_duration : Fraction or None
        Its audio stream's duration in seconds, as the container states it (``None`` without one).
    video_duration : Fraction or None
        Its video stream's duration in seconds as FFmpeg reads it, and so Chromium: the sum of its
        packets' decoding-time steps (``None`` if the file does not say). See :class:`LastPacket`.
    """

    path: Path
    codec: str
    width: int
    height: int
    pix_fmt: str
    time_base: Fraction
    rate: Fraction
    frames: int
    start: int
    end: int
    extradata: str
    audio: bool
    audio_duration: Fraction | None = None
    video_duration: Fraction | None = None

    @property
    def duration(self) -> Fraction:
        """Seconds, exactly: from the first frame's start to the last frame's end."""
        return (self.end - self.start) * self.time_base

    def plays_its_frames(self) -> bool:
        """Whether its video stream, as FFmpeg and Chromium read it, lasts as long as its frames, within a frame."""
        frame = 1 / self.rate if self.rate else Fraction(1, 1000)
        return self.video_duration is None or abs(self.video_duration - self.duration) <= frame

    @property
    def shown_frames(self) -> int:
        """Frames a player shows at the nominal rate: the duration times the rate (every frame of a still counted)."""
        return round(self.duration * self.rate) if self.rate else self.frames

    def format_key(self) -> tuple[object, ...]:
        """The properties that must match for packets to be joined into one stream."""
        return (self.codec, self.width, self.height, self.pix_fmt, self.time_base, self.rate, self.extradata)

    def describe(self) -> str:
        """E.g. ``h264 854x480 yuv420p 15 fps``."""
        return f"{self.codec} {self.width}x{self.height} {self.pix_fmt} {self.rate} fps"


MAX_STATED_RATE = 240
"""Above this, an H.264 stream's stated rate is its encoder's time base, not a frame rate."""


def nominal_rate(stream: av.VideoStream) -> Fraction:
    """The frame rate a video was encoded at: the H.264 stream's own timing (its SPS), else the container's guess.

    Not the average over the file, nor the container's guess when the stream states a rate: a
    variable-rate video holds its still pictures for many frames (a clip of one still has two
    pictures five frames apart, which the guess takes for 3 fps), and manim's own concatenation
    leaves a few frames a tick or so off the grid. libx264 states one over its encoder's time
    base, which manim sets to one frame; a stream encoded with a fine time base (1/15360 s) states
    that instead, and then the container's guess is taken (:data:`MAX_STATED_RATE`).
    """
    stated = Fraction(stream.codec_context.framerate or 0)
    if 0 < stated <= MAX_STATED_RATE:
        return stated
    return Fraction(stream.base_rate or stream.guessed_rate or stream.average_rate or 0)


def probe(path: Path) -> VideoInfo:
    """Read a video's stream properties and packet timestamps (no decoding).

    Raises
    ------
    StitchError
        If the file cannot be read or has no video frames.
    """
    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                raise StitchError(f"{path}: no video stream")
            s = c.streams.video[0]
            cc = s.codec_context
            if s.time_base is None:
                raise StitchError(f"{path}: the video stream has no time base")
            frames, start, end, last = 0, None, None, None
            for p in c.demux(s):
                if p.pts is None:
                    continue
                if p.duration is None:
                    raise StitchError(f"{path}: a video packet has no duration")
                frames += 1
                start = p.pts if start is None else min(start, p.pts)
                end = p.pts + p.duration if end is None else max(end, p.pts + p.duration)
                last = p.pts if last is None else max(last, p.pts)
            if frames == 0 or start is None or end is None or last is None:
                raise StitchError(f"{path}: the video has no frames")
            # The video ends one frame after its last picture starts. Not at the largest timestamp
            # plus duration: an MP4 sample's duration is its decoding-time step, and with B-frames a
            # picture shown late is decoded early, so after a still held for many frames (encoded
            # once, variable frame rate) that sum runs the length of the hold past the end.
            rate = nominal_rate(s)
            if rate:
                end = last + round(1 / (rate * Fraction(s.time_base)))
            video_duration = s.duration * Fraction(s.time_base) if s.duration is not None else None
            audio_duration = None
            if c.streams.audio:
                a = c.streams.audio[0]
                if a.duration is not None and a.time_base is not None:
                    audio_duration = a.duration * Fraction(a.time_base)
            return VideoInfo(
                path=Path(path),
                codec=cc.name,
                width=cc.width,
                height=cc.height,
                pix_fmt=str(cc.pix_fmt),
                time_base=Fraction(s.time_base),
                rate=rate,
                frames=frames,
                start=int(start),
                end=int(end),
                extradata=hashlib.sha256(bytes(cc.extradata or b"")).hexdigest(),
                audio=bool(c.streams.audio),
                audio_duration=audio_duration,
                video_duration=video_duration,
            )
    except StitchError:
        raise
    except (av.FFmpegError, OSError) as err:
        raise StitchError(f"{path}: not a readable video ({err.__class__.__name__}: {err})") from None


@dataclass(frozen=True)
class StitchResult:
    """The joined video, checked: its frames, its duration, where each input starts, and its sound.

    ``frames`` are the frames shown at the nominal rate, ``pictures`` those encoded (fewer in a
    variable-rate video, whose still pictures are encoded once). ``audio`` is ``None`` when no
    input has sound (the lecture then has no audio stream).
    """

    path: Path
    frames: int
    duration: Fraction
    starts: tuple[Fraction, ...]
    durations: tuple[Fraction, ...]
    audio: soundtrack.TrackReport | None = None
    pictures: int = 0


def check_compatible(infos: Sequence[VideoInfo], names: Sequence[str]) -> None:
    """Raise :class:`StitchError` unless every video can be joined to the first without re-encoding."""
    first = infos[0]
    for info, name in zip(infos, names, strict=True):
        if info.format_key() != first.format_key():
            detail = (
                "the same format but other encoder settings"
                if info.describe() == first.describe()
                else f"{info.describe()} vs {first.describe()}"
            )
            raise StitchError(
                f"segment {name!r} cannot be joined to {names[0]!r} without re-encoding ({detail}); "
                f"rebuild it with the same preset (delete its folder under build/segments/)"
            )


def stitch(
    inputs: Sequence[Path], out: Path, names: Sequence[str] | None = None, metadata: dict[str, str] | None = None
) -> StitchResult:
    """Join ``inputs`` in order into ``out`` by copying their video packets with shifted timestamps.

    If any input has sound, ``out`` gets one audio track made of every input's (see the module
    docstring), its packets interleaved with the video's.

    Parameters
    ----------
    inputs : sequence of Path
        Video files with identical codec, resolution, pixel format, frame rate and extradata.
    out : Path
        The ``.mp4`` to write (``moov`` atom first, so it starts playing before it is loaded).
    names : sequence of str, optional
        Names of the inputs for error messages (default: their file names).
    metadata : dict, optional
        Container metadata such as ``title`` and ``comment``.

    Returns
    -------
    StitchResult

    Raises
    ------
    StitchError
        If the inputs differ in format, or the written file does not have the expected frame count
        and duration, or its audio is not as long as its video within a frame.
    """
    if not inputs:
        raise StitchError("nothing to stitch")
    names = list(names) if names is not None else [p.name for p in inputs]
    infos = [probe(p) for p in inputs]
    check_compatible(infos, names)
    track = soundtrack.lecture_track([i.path for i in infos], [i.duration for i in infos], [i.audio for i in infos])
    report = None
    try:
        with av.open(str(out), mode="w", format="mp4", options={"movflags": "+faststart"}) as oc:
            for key, value in (metadata or {}).items():
                oc.metadata[key] = value
            with av.open(str(inputs[0])) as first:
                ostream = oc.add_stream_from_template(first.streams.video[0])
            sound: list[av.Packet] = []
            if track is not None:
                pcm, report = soundtrack.normalise_track(*track)
                sound = soundtrack.encode(pcm, soundtrack.add_stream(oc))
                del pcm, track
            starts = _mux_in_order(oc, ostream, infos, sound)
    except (av.FFmpegError, OSError) as err:
        raise StitchError(f"{out}: writing the stitched video failed ({err.__class__.__name__}: {err})") from None
    result = _check_stitched(out, infos, report is not None)
    return StitchResult(
        out,
        result.shown_frames,
        result.duration,
        tuple(starts),
        tuple(i.duration for i in infos),
        report,
        result.frames,
    )


def _mux_in_order(
    oc: av.container.OutputContainer, ostream: av.VideoStream, infos: Sequence[VideoInfo], sound: list[av.Packet]
) -> list[Fraction]:
    """Copy every input's video packets into ``oc``, one after the other, with the ``sound`` interleaved in time.

    Returns
    -------
    list of Fraction
        Where each input starts in the joined video, in seconds.
    """
    tb = infos[0].time_base
    starts, offset = [], 0
    pending = iter(sound)
    waiting = next(pending, None)
    held = LastPacket()
    for info in infos:
        starts.append(offset * tb)
        shift = offset - info.start
        with av.open(str(info.path)) as ic:
            istream = ic.streams.video[0]
            for packet in ic.demux(istream):
                if packet.dts is None or packet.pts is None:  # the demuxer's final flush packet
                    continue
                packet.pts += shift
                packet.dts += shift
                packet.stream = ostream
                waiting = _mux_video(oc, held.swap(packet), waiting, pending, tb)
        offset += info.end - info.start
    waiting = _mux_video(oc, held.last(offset * tb), waiting, pending, tb)
    while waiting is not None:
        oc.mux(waiting)
        waiting = next(pending, None)
    return starts


class LastPacket:
    """Holds back a stream's packets by one, so that its last can be given the decoding time that ends it.

    An MP4 track lasts, to FFmpeg and so to Chromium, the sum of its samples' durations: from its
    first packet's decoding time to its last one's plus that packet's duration. A still held at
    the end (a variable-rate video encodes it at its first and its last frame) is decoded before
    the pictures shown ahead of it, so its decoding time lags its showing by the hold: a silent
    lecture ending on an 8-second still played 8 seconds short in Chromium, the still cut off.
    :meth:`last` moves that last packet's decoding time up to where the track's sum ends with its
    last frame, never past its own showing time. Its duration stays one frame, as the end the
    track's header states (the latest showing time plus duration) must stay the video's.
    """

    def __init__(self) -> None:
        self._packet: av.Packet | None = None
        self._first_dts: int | None = None

    def swap(self, packet: av.Packet) -> av.Packet | None:
        """Hold ``packet``; return the one held before it (``None`` for the first)."""
        if self._first_dts is None:
            self._first_dts = packet.dts
        before, self._packet = self._packet, packet
        return before

    def last(self, end: Fraction) -> av.Packet | None:
        """The last packet, its decoding time set so that the track lasts until ``end`` (seconds from pts 0)."""
        packet = self._packet
        if packet is None or packet.dts is None or packet.pts is None or self._first_dts is None:
            return packet
        dts = round(end / Fraction(packet.time_base)) + self._first_dts - (packet.duration or 0)
        if packet.dts < dts <= packet.pts:
            packet.dts = dts
        return packet


def _mux_video(
    oc: av.container.OutputContainer,
    packet: av.Packet | None,
    waiting: av.Packet | None,
    pending: Iterator[av.Packet],
    tb: Fraction,
) -> av.Packet | None:
    """Mux the sound decoded up to ``packet`` (``waiting``, then the rest of ``pending``), then ``packet``.

    The file interleaves both streams in time. Returns the first sound packet left to mux.
    """
    if packet is None:
        return waiting
    now = cast(int, packet.dts) * tb
    while waiting is not None and _decoding_time(waiting) <= now:
        oc.mux(waiting)
        waiting = next(pending, None)
    oc.mux(packet)
    return waiting


def _check_stitched(out: Path, infos: Sequence[VideoInfo], with_sound: bool) -> VideoInfo:
    """``out`` probed, once it has every input's frames and duration (and, ``with_sound``, as much audio)."""
    result = probe(out)
    want_frames = sum(i.frames for i in infos)
    want_duration = sum((i.duration for i in infos), Fraction(0))
    if result.frames != want_frames or abs(result.duration - want_duration) > Fraction(1, 1000):
        raise StitchError(
            f"{out}: stitched video has {result.frames} frames / {float(result.duration):.3f} s, expected "
            f"{want_frames} frames / {float(want_duration):.3f} s"
        )
    if not result.plays_its_frames():
        raise StitchError(
            f"{out}: the stitched video's stream lasts {float(cast(Fraction, result.video_duration)):.3f} s to a "
            f"player, its frames {float(result.duration):.3f} s: more than a frame"
        )
    if with_sound:
        frame = 1 / infos[0].rate if infos[0].rate else Fraction(1, 1000)
        if result.audio_duration is None or abs(result.audio_duration - result.duration) > frame:
            heard = "none" if result.audio_duration is None else f"{float(result.audio_duration):.3f} s"
            raise StitchError(
                f"{out}: the stitched audio lasts {heard}, the video {float(result.duration):.3f} s: more than a frame"
            )
    return result


def _decoding_time(packet: av.Packet) -> Fraction:
    """When ``packet`` is decoded, in seconds (an encoded packet always has a decoding timestamp)."""
    if packet.dts is None:
        raise StitchError("an encoded audio packet has no decoding timestamp")
    return packet.dts * Fraction(packet.time_base)


def grab_frame(path: Path, t: Fraction | float) -> Image.Image:
    """The frame shown at ``t`` seconds (the last one if ``t`` is past the end), as an RGB image.

    That is the last frame that starts at or before ``t``: in a variable-rate video a still picture
    starts once and is shown until the next frame.
    """
    t = float(t)
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        if s.time_base is None:
            raise StitchError(f"{path}: the video stream has no time base")
        tb = float(s.time_base)
        if t > 0:
            c.seek(int(t / tb), stream=s, backward=True, any_frame=False)
        chosen = None
        for frame in c.decode(s):
            if chosen is not None and frame.pts is not None and frame.pts * tb > t + 1e-9:
                break
            chosen = frame
        if chosen is None:
            raise StitchError(f"{path}: no frame to grab")
        return chosen.to_image().convert("RGB")
