"""Subtitles and chapters: read manim's SRT files, shift them to lecture time, write SRT and WebVTT.

``python -m lecture build`` writes ``captions.srt``, ``captions.vtt`` and ``chapters.vtt`` with
these functions. SRT is read and written by the ``srt`` library (the one manim writes its
subtitles with); WebVTT, which it does not write, is written here. Times are kept as exact
:class:`~fractions.Fraction` seconds until they are written, rounded to the millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

import srt

from lecture.errors import LectureError

_SRT_TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[,.](\d{3})")


@dataclass(frozen=True)
class Cue:
    """One timed text: a caption line or a chapter.

    Attributes
    ----------
    start, end : Fraction
        Seconds.
    text : str
        May hold several lines.
    """

    start: Fraction
    end: Fraction
    text: str


def parse_time(text: str) -> Fraction:
    """``HH:MM:SS,mmm`` (SRT) or ``HH:MM:SS.mmm`` (VTT) → seconds.

    Raises
    ------
    ValueError
        If ``text`` is not such a time.
    """
    m = _SRT_TIME.fullmatch(text.strip())
    if not m:
        raise ValueError(f"not a subtitle time: {text!r}")
    h, mi, s, ms = (int(g) for g in m.groups())
    return Fraction(h * 3600 + mi * 60 + s) + Fraction(ms, 1000)


def _milliseconds(seconds: Fraction | float) -> int:
    """Seconds → whole milliseconds, rounded to the nearest."""
    ms = round(Fraction(seconds) * 1000)
    if ms < 0:
        raise ValueError(f"negative time {seconds}")
    return ms


def format_time(seconds: Fraction | float, sep: str = ".") -> str:
    """Seconds → ``HH:MM:SS.mmm`` (``sep=","`` for SRT), rounded to the nearest millisecond."""
    ms = _milliseconds(seconds)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _seconds(delta: timedelta) -> Fraction:
    """A :class:`~datetime.timedelta` as exact seconds."""
    return Fraction(delta.days * 86_400 + delta.seconds) + Fraction(delta.microseconds, 1_000_000)


def _delta(seconds: Fraction) -> timedelta:
    """Seconds → a :class:`~datetime.timedelta` of whole milliseconds (``srt`` would truncate the rest)."""
    return timedelta(milliseconds=_milliseconds(seconds))


def parse_srt(text: str, source: str = "srt") -> list[Cue]:
    """Parse SubRip text (as manim writes it beside a video) with the ``srt`` library.

    Raises
    ------
    LectureError
        On text that is not a sequence of ``start --> end`` blocks.
    """
    try:
        subtitles = list(srt.parse(text.lstrip("\ufeff")))
    except srt.SRTParseError as err:
        block = err.unmatched_content.strip()
        raise LectureError(f"{source}: subtitle block without a 'start --> end' line: {block[:60]!r}") from None
    return [Cue(_seconds(s.start), _seconds(s.end), s.content.strip()) for s in subtitles]


def shift(cues: Iterable[Cue], offset: Fraction, limit: Fraction | None = None) -> list[Cue]:
    """Move cues by ``offset`` seconds, clipping them to ``[offset, offset + limit]``.

    A segment's caption that outlasts its video is cut at the segment's end, so it never shows
    over the next chapter; cues left empty by the clipping are dropped.
    """
    out = []
    for c in cues:
        start, end = c.start, c.end
        if limit is not None:
            start, end = min(max(start, Fraction(0)), limit), min(max(end, Fraction(0)), limit)
        if end > start and c.text:
            out.append(Cue(start + offset, end + offset, c.text))
    return out


def without_overlaps(cues: Iterable[Cue]) -> list[Cue]:
    """Cues in time order, each ended no later than the next begins (players would stack them).

    A scene's captions can overlap by a frame when their durations were rounded differently from
    the animations'; the earlier one gives way. Cues left empty are dropped.
    """
    ordered = sorted(cues, key=lambda c: (c.start, c.end))
    out = []
    for c, nxt in zip(ordered, [*ordered[1:], None], strict=True):
        end = min(c.end, nxt.start) if nxt is not None else c.end
        if end > c.start:
            out.append(Cue(c.start, end, c.text))
    return out


def to_srt(cues: Iterable[Cue]) -> str:
    """SubRip text, numbered from 1 in the given order, times rounded to the millisecond."""
    subtitles = [srt.Subtitle(i, _delta(c.start), _delta(c.end), c.text) for i, c in enumerate(cues, 1)]
    return srt.compose(subtitles, reindex=False)


def _vtt_text(text: str) -> str:
    # WebVTT cue text is HTML-like: escape what would be read as markup, and a blank line would
    # end the cue early.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(line for line in text.split("\n") if line.strip())


def to_vtt(cues: Iterable[Cue], ids: Iterable[str] | None = None) -> str:
    """WebVTT text; ``ids`` optionally names each cue (chapters use the segment names)."""
    ids_list = list(ids) if ids is not None else None
    parts = ["WEBVTT\n"]
    for i, c in enumerate(cues):
        ident = f"{ids_list[i]}\n" if ids_list is not None else ""
        parts.append(f"{ident}{format_time(c.start)} --> {format_time(c.end)}\n{_vtt_text(c.text)}\n")
    return "\n".join(parts)


def chapters(titles: Iterable[str], durations: Iterable[Fraction]) -> list[Cue]:
    """One cue per segment, back to back from time 0."""
    out, t = [], Fraction(0)
    for title, d in zip(titles, durations, strict=True):
        out.append(Cue(t, t + d, title))
        t += d
    return out
