"""Cut a segment's render into one clip per beat, copying its compressed frames (no re-encoding).

``python -m lecture slides`` plays the lecture one beat at a time, so it needs every beat as its
own video. A beat is a run of animations, and manim encodes every animation as its own movie
(then joins them by copying), so every animation, and so every beat, starts on an IDR keyframe:
a beat's frames can be copied out of the segment's ``segment.mp4`` as they are, with shifted
timestamps, exactly as :func:`lecture.assemble.stitch.stitch` joins segments. A clip whose first frame is
not a keyframe, or whose end is not followed by one (the next clip's first frame), is decoded and
encoded again with the preset's libx264 settings instead; only that clip pays for it.

A segment is cut where its beats start (``scene.json``, in frames: beat times are whole frames,
manim adds ``1 / fps`` a frame): clip *i* runs from beat *i*'s start to beat *i + 1*'s, the first
from the segment's first frame and the last to its end, so the clips hold every frame of the
segment once. A beat that lasts no frame is dropped; a segment without a scene record is one clip.

The clips of one render are cached in ``build/clips/<quality>/<segment>/<key[:16]>/`` (each clip,
a JPEG of its first frame and ``clips.json``), made in a temporary folder and renamed into place
in one step, like the renders (:mod:`lecture.render.segment`). The key covers the render's input hash and
this module's source.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av

from lecture.assemble.stitch import LastPacket, grab_frame, nominal_rate, probe
from lecture.errors import LectureError
from lecture.render.inputs import digest_json, sha256_file
from lecture.settings import Preset

CLIPS_NAME = "clips.json"
"""The list of a render's clips, in its clip folder."""

_SAFE = re.compile(r"[^A-Za-z0-9_-]+")

POSTER_QUALITY = 88
"""JPEG quality of each clip's first frame (the PowerPoint poster frame, the page's ``poster``)."""


class ClipError(LectureError):
    """A clip could not be cut or did not come out as expected; exit code 1."""

    exit_code = 1


@dataclass(frozen=True)
class Cut:
    """One beat's stretch of a segment, in frames (presentation order).

    Attributes
    ----------
    index : int
        Position of the beat in the scene record (0-based).
    beat : str
        The beat's name (``""`` for a segment without beats).
    first : int
        Its first frame.
    frames : int
        How many frames it holds (at least one).
    """

    index: int
    beat: str
    first: int
    frames: int

    @property
    def end(self) -> int:
        """The frame after its last."""
        return self.first + self.frames


@dataclass(frozen=True)
class Clip:
    """One cut written as a video, with a JPEG of its first frame.

    Attributes
    ----------
    index, beat, first, frames
        As in :class:`Cut`.
    file, poster : str
        File names in the clip folder.
    duration : str
        Seconds, an exact fraction (its frames' timestamps).
    method : str
        ``"remux"`` (frames copied) or ``"re-encode"``.
    bytes : int
        The clip's size.
    """

    index: int
    beat: str
    first: int
    frames: int
    file: str
    poster: str
    duration: str
    method: str
    bytes: int


@dataclass(frozen=True)
class SegmentClips:
    """All clips of one render, as cached.

    Attributes
    ----------
    name : str
        The segment.
    key : str
        :func:`clips_key` of its render.
    folder : Path
        Where the clips are.
    clips : tuple of Clip
    seconds : float
        How long cutting them took when they were made.
    reused : bool
        Found in the cache by this run.
    """

    name: str
    key: str
    folder: Path
    clips: tuple[Clip, ...]
    seconds: float
    reused: bool


def clips_key(input_hash: str) -> str:
    """The cache key of a render's clips: its input hash and the code that cuts it."""
    return digest_json({"segment": input_hash, "code": sha256_file(Path(__file__))})


def beat_cuts(record: dict[str, Any] | None, frames: int, fps: Fraction) -> list[Cut]:
    """Where a segment of ``frames`` frames at ``fps`` is cut: at every beat's start (see the module docstring).

    Parameters
    ----------
    record : dict or None
        The scene record (:func:`lecture.assemble.timeline.read_scene_record`), times in seconds of the segment.
    frames : int
        The segment's frame count.
    fps : Fraction
        Its frame rate.
    """
    beats = (record or {}).get("beats") or []
    if not beats:
        return [Cut(0, "", 0, frames)]
    starts = [min(max(round(float(b["start"]) * fps), 0), frames) for b in beats]
    starts[0] = 0  # what comes before the first beat (nothing, in a narrated scene) is played with it
    for i in range(1, len(starts)):  # never backwards
        starts[i] = max(starts[i], starts[i - 1])
    ends = [*starts[1:], frames]
    return [
        Cut(i, str(b["name"]), s, e - s) for i, (b, s, e) in enumerate(zip(beats, starts, ends, strict=True)) if e > s
    ]


@dataclass(frozen=True)
class FrameTable:
    """A video's encoded pictures in presentation order: their timestamps and keyframe flags (read without decoding).

    Cuts count frames at the nominal rate, as a player shows them: a variable-rate video encodes
    a still picture once and shows it until the next, so its picture ``i`` is shown from frame
    :meth:`frame_of` ``(pts[i])`` to the next picture's.
    """

    pts: tuple[int, ...]
    keyframe: tuple[bool, ...]
    time_base: Fraction
    rate: Fraction
    end: int = 0
    """Where the last picture ends, in ticks (0: one frame after it starts)."""

    @property
    def frames(self) -> int:
        """How many frames the video shows at its nominal rate."""
        last = self.end or (self.tick(self.frame_of(self.pts[-1]) + 1) if self.pts else 0)
        return self.frame_of(last) - (self.frame_of(self.pts[0]) if self.pts else 0)

    def frame_of(self, pts: int) -> int:
        """The frame number (at the nominal rate) at which a picture with timestamp ``pts`` starts."""
        return round(pts * self.time_base * self.rate)

    def tick(self, frame: int) -> int:
        """The timestamp at which frame number ``frame`` starts."""
        return round(Fraction(frame) / (self.rate * self.time_base))

    def index(self) -> dict[int, int]:
        """Frame number of each picture's timestamp."""
        return {p: self.frame_of(p) for p in self.pts}

    def starts(self) -> dict[int, bool]:
        """For every frame number at which a picture starts: whether that picture is a keyframe."""
        return {self.frame_of(p): k for p, k in zip(self.pts, self.keyframe, strict=True)}

    def clean_cut(self, cut: Cut) -> bool:
        """Whether ``cut`` can be copied: a keyframe starts at its first frame and (if any) at the frame after it."""
        starts = self.starts()
        return starts.get(cut.first, False) and (cut.end >= self.frames or starts.get(cut.end, False))


def frame_table(video: Path) -> FrameTable:
    """Read the presentation timestamps and keyframe flags of ``video``'s pictures (demuxing only)."""
    try:
        with av.open(str(video)) as c:
            s = c.streams.video[0]
            packets = [(p.pts, bool(p.is_keyframe), p.duration or 0) for p in c.demux(s) if p.pts is not None]
            if s.time_base is None:
                raise ClipError(f"{video}: the video stream has no time base; render the segment again")
            time_base = Fraction(s.time_base)
            rate = nominal_rate(s)
    except (av.FFmpegError, OSError, IndexError) as err:
        raise ClipError(f"{video}: not a readable video ({err.__class__.__name__}: {err})") from None
    found = sorted(packets)
    # one frame after the last picture starts (see lecture.assemble.stitch.probe: with B-frames and
    # held stills the largest timestamp plus duration overshoots)
    end = (
        found[-1][0] + round(1 / (rate * time_base)) if found and rate else max((p + d for p, _, d in found), default=0)
    )
    return FrameTable(tuple(p for p, _, _ in found), tuple(k for _, k, _ in found), time_base, rate, end)


def cut_video(video: Path, cuts: list[Cut], folder: Path, names: list[str], preset: Preset) -> list[Clip]:
    """Write each of ``cuts`` of ``video`` as ``folder / names[i]`` (``.mp4``) with a ``.jpg`` of its first frame.

    Clips that start on a keyframe and end before one are copied packet by packet in one pass
    over the file; the others are decoded and encoded with ``preset``'s libx264 settings.

    Raises
    ------
    ClipError
        If the video cannot be read or written, or a clip does not hold the frames it should.
    """
    table = frame_table(video)
    if not cuts or cuts[-1].end > table.frames:
        raise ClipError(f"{video}: the cuts need {cuts[-1].end if cuts else 0} frames, the video has {table.frames}")
    clean = [table.clean_cut(c) for c in cuts]
    paths = [folder / n for n in names]
    try:
        if any(clean):
            _remux(video, table, [(c, p) for c, p, ok in zip(cuts, paths, clean, strict=True) if ok])
        if not all(clean):
            _reencode(video, table, [(c, p) for c, p, ok in zip(cuts, paths, clean, strict=True) if not ok], preset)
    except (av.FFmpegError, OSError) as err:
        raise ClipError(f"{video}: cutting the beats' clips failed ({err.__class__.__name__}: {err})") from None

    clips = []
    for cut, path, ok in zip(cuts, paths, clean, strict=True):
        info = probe(path)
        if info.shown_frames != cut.frames:
            raise ClipError(f"{path}: the clip shows {info.shown_frames} frames, expected {cut.frames}")
        if not info.plays_its_frames():
            raise ClipError(
                f"{path}: the clip lasts {float(cast(Fraction, info.video_duration)):.3f} s to a player, its frames "
                f"{float(info.duration):.3f} s"
            )
        poster = path.with_suffix(".jpg")
        grab_frame(path, 0).save(poster, quality=POSTER_QUALITY)
        clips.append(
            Clip(
                index=cut.index,
                beat=cut.beat,
                first=cut.first,
                frames=cut.frames,
                file=path.name,
                poster=poster.name,
                duration=str(info.duration),
                method="remux" if ok else "re-encode",
                bytes=path.stat().st_size,
            )
        )
    return clips


@dataclass
class _ClipFile:
    """One clip being written: its cut, its container and streams, its span in the render's seconds.

    ``begin`` and ``end`` are the cut's span (``end`` ``None`` for a cut that runs to the last
    frame), which :func:`_copy_audio` reads. The video's packets are held back by one
    (:class:`~lecture.assemble.stitch.LastPacket`), so that the last can be timed to end the clip:
    a beat's clip often ends on a still held while its line is said.
    """

    cut: Cut
    container: Any
    video: Any
    audio: Any | None
    begin: Fraction
    end: Fraction | None
    held: LastPacket = field(default_factory=LastPacket)

    @classmethod
    def open(cls, path: Path, cut: Cut, table: FrameTable, ain: Any, video: Callable[[Any], Any]) -> _ClipFile:
        """Open the clip file of ``cut``; ``video`` adds its video stream (copied or encoded), ``ain`` its sound's."""
        oc = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
        vout = video(oc)
        aout = oc.add_stream_from_template(ain) if ain is not None else None
        begin = table.tick(cut.first) * table.time_base
        end = (table.tick(cut.end) * table.time_base) if cut.end < table.frames else None
        return cls(cut, oc, vout, aout, begin, end)

    def mux_video(self, packet: av.Packet) -> None:
        """Mux the video packet before ``packet``, and hold ``packet`` back."""
        before = self.held.swap(packet)
        if before is not None:
            self.container.mux(before)

    def mux_last(self, table: FrameTable) -> None:
        """Mux the last video packet, timed so that a player plays the clip to its end."""
        cut = self.cut
        last = self.held.last((table.tick(min(cut.end, table.frames)) - table.tick(cut.first)) * table.time_base)
        if last is not None:
            self.container.mux(last)


def _remux(video: Path, table: FrameTable, jobs: list[tuple[Cut, Path]]) -> None:
    """Copy each cut's packets (and any audio in its time span) into its own file, timestamps from zero."""
    index = table.index()
    starts = [c.first for c, _ in jobs]
    with av.open(str(video)) as ic:
        vin = ic.streams.video[0]
        ain = ic.streams.audio[0] if ic.streams.audio else None
        outs: list[_ClipFile] = []
        try:
            for cut, path in jobs:
                outs.append(_ClipFile.open(path, cut, table, ain, lambda oc: oc.add_stream_from_template(vin)))
            streams = [vin] if ain is None else [vin, ain]
            for packet in ic.demux(streams):
                if packet.dts is None or packet.pts is None:  # the demuxer's final flush packets
                    continue
                if packet.stream.type == "video":
                    frame = index[packet.pts]
                    k = bisect.bisect_right(starts, frame) - 1
                    if k < 0 or frame >= jobs[k][0].end:
                        continue  # a frame of a clip that is re-encoded
                    shift = table.tick(outs[k].cut.first)
                    packet.pts -= shift
                    packet.dts -= shift
                    packet.stream = outs[k].video
                    outs[k].mux_video(packet)
                else:  # audio: into the clip whose time span holds the packet's start
                    _copy_audio(packet, outs)
            for out in outs:
                out.mux_last(table)
        finally:
            for out in outs:
                out.container.close()


def _reencode(video: Path, table: FrameTable, jobs: list[tuple[Cut, Path]], preset: Preset) -> None:
    """Decode the video once and encode each cut's frames with the preset's libx264 settings (audio copied)."""
    starts = [c.first for c, _ in jobs]
    with av.open(str(video)) as ic:
        vin = ic.streams.video[0]
        ain = ic.streams.audio[0] if ic.streams.audio else None
        outs: list[_ClipFile] = []
        try:

            def x264(oc: Any) -> Any:
                s = oc.add_stream("libx264", rate=table.rate)
                s.width, s.height, s.pix_fmt = vin.codec_context.width, vin.codec_context.height, "yuv420p"
                s.options = dict(kv.split("=", 1) for kv in preset.encoder_options())
                return s

            for cut, path in jobs:
                outs.append(_ClipFile.open(path, cut, table, ain, x264))
            first, last = min(starts), max(c.end for c, _ in jobs)
            if first > 0:  # start decoding at the keyframe before the first frame needed
                ic.seek(table.pts[first_picture(table, first)], stream=vin, backward=True, any_frame=False)
            shown: tuple[int, av.VideoFrame] | None = None  # the picture on screen, from its frame number on
            for packet in ic.demux([vin] if ain is None else [vin, ain]):
                if shown is not None and shown[0] >= last and (ain is None or packet.stream.type == "video"):
                    break
                if packet.stream.type != "video":
                    if packet.pts is not None:
                        _copy_audio(packet, outs)
                    continue
                for frame in packet.decode():
                    assert isinstance(frame, av.VideoFrame)  # a video stream's packet
                    if frame.pts is None:
                        continue
                    i = table.frame_of(frame.pts)
                    if shown is not None:
                        _encode_shown(shown[1], shown[0], i, jobs, outs, table.rate)
                    shown = (i, frame)
            if shown is not None and shown[0] < last:
                _encode_shown(shown[1], shown[0], table.frames, jobs, outs, table.rate)
            for out in outs:
                for encoded in out.video.encode(None):
                    out.mux_video(encoded)
                out.mux_last(table)
        finally:
            for out in outs:
                out.container.close()


def first_picture(table: FrameTable, frame: int) -> int:
    """The picture shown at frame number ``frame``: the last one that starts at or before it."""
    return max(bisect.bisect_right([table.frame_of(p) for p in table.pts], frame) - 1, 0)


def _encode_shown(
    frame: av.VideoFrame, start: int, stop: int, jobs: list[tuple[Cut, Path]], outs: list[_ClipFile], rate: Fraction
) -> None:
    """Encode ``frame``, shown from frame number ``start`` to ``stop``, into every clip that holds part of that span.

    A clip gets it at the first frame of the span it holds and, if it holds more than two, at its last
    as well: a still is encoded once and lasts until the next picture, as in the render.
    """
    for (cut, _), out in zip(jobs, outs, strict=True):
        a, b = max(start, cut.first), min(stop, cut.end)
        if a >= b:
            continue
        picture = frame.reformat(format="yuv420p")
        for k in (a, b - 1) if b - a > 2 else range(a, b):
            picture.pts = k - cut.first
            picture.time_base = 1 / rate
            for encoded in out.video.encode(picture):
                out.mux_video(encoded)


def _copy_audio(packet: av.Packet, outs: list[_ClipFile]) -> None:
    """Mux an audio packet into the clip whose time span holds its start, its timestamps moved to the clip's."""
    tb = Fraction(packet.time_base)
    assert packet.pts is not None  # the caller copies only packets with a timestamp
    t = packet.pts * tb
    for out in outs:
        if out.begin <= t and (out.end is None or t < out.end):
            shift = int(out.begin / tb)
            packet.pts -= shift
            if packet.dts is not None:
                packet.dts -= shift
            packet.stream = out.audio
            out.container.mux(packet)
            return


# --- the cache ----------------------------------------------------------------------------------


def clip_folder(clips_dir: Path, name: str, key: str) -> Path:
    """Where the clips of segment ``name`` with clip key ``key`` live."""
    return clips_dir / name / key[:16]


def load_clips(clips_dir: Path, name: str, key: str) -> SegmentClips | None:
    """The cached clips of this render, or ``None`` if there are none (or they are damaged)."""
    folder = clip_folder(clips_dir, name, key)
    try:
        meta = json.loads((folder / CLIPS_NAME).read_text(encoding="utf-8"))
        clips = tuple(Clip(**c) for c in meta["clips"])
        found = SegmentClips(meta["name"], meta["key"], folder, clips, float(meta["seconds"]), True)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if found.key != key:
        return None
    for c in clips:
        try:
            if (folder / c.file).stat().st_size != c.bytes or not (folder / c.poster).is_file():
                return None
        except OSError:
            return None
    return found


def ensure_clips(
    clips_dir: Path, name: str, input_hash: str, video: Path, cuts: list[Cut], preset: Preset
) -> SegmentClips:
    """The clips of one render: from the cache, or cut now and moved into the cache in one rename.

    Parameters
    ----------
    clips_dir : Path
        ``build/clips/<quality>``.
    name : str
        The segment.
    input_hash : str
        Its render's input hash.
    video : Path
        Its render's ``segment.mp4``.
    cuts : list of Cut
        From :func:`beat_cuts`.
    preset : Preset
        The render's preset (its libx264 settings re-encode a clip that cannot be copied).
    """
    key = clips_key(input_hash)
    cached = load_clips(clips_dir, name, key)
    if cached is not None:
        os.utime(cached.folder / CLIPS_NAME)  # recently used: kept by prune()
        return cached
    t0 = time.perf_counter()
    tmp = clips_dir / f".tmp-{name}-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir(parents=True)
    try:
        names = [f"{i + 1:02d}-{_SAFE.sub('_', c.beat or name)}.mp4" for i, c in enumerate(cuts)]
        clips = cut_video(video, cuts, tmp, names, preset)
        seconds = round(time.perf_counter() - t0, 3)
        meta = {
            "name": name,
            "key": key,
            "segment": input_hash,
            "seconds": seconds,
            "clips": [asdict(c) for c in clips],
        }
        (tmp / CLIPS_NAME).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        final = clip_folder(clips_dir, name, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a damaged entry (a complete one would have been re-used)
            shutil.rmtree(final)
        os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SegmentClips(name, key, final, tuple(clips), seconds, False)


def clean_stale(clips_dir: Path) -> None:
    """Remove temporary clip folders left by an interrupted run (the caller holds the lock)."""
    if clips_dir.is_dir():
        for p in clips_dir.glob(".tmp-*"):
            shutil.rmtree(p, ignore_errors=True)


def prune(clips_dir: Path, in_use: dict[str, str], keep: int = 3) -> None:
    """Keep, per segment, the clips in use (``in_use``: segment → clip key) and the ``keep`` most recently used."""
    if not clips_dir.is_dir():
        return

    def used(p: Path) -> float:
        try:
            return (p / CLIPS_NAME).stat().st_mtime
        except OSError:
            return 0.0

    for seg_dir in clips_dir.iterdir():
        if not seg_dir.is_dir() or seg_dir.name.startswith("."):
            continue
        current = in_use.get(seg_dir.name, "")[:16]
        others = sorted((p for p in seg_dir.iterdir() if p.is_dir() and p.name != current), key=used)
        for p in others[: max(len(others) - keep, 0)]:
            shutil.rmtree(p, ignore_errors=True)
