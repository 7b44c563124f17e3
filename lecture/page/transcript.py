"""What the lecture says, chapter by chapter and beat by beat, for the page's transcript.

:func:`transcript` reads it from the lecture's ``manifest.json`` (each segment's beats and their
lines in lecture time); :func:`lecture.page.lecture_page.page_html` shows it under the video, one
paragraph a beat, each a link that seeks the video to its beat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A beat in the page's transcript: its time in the lecture and what it says."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class TranscriptChapter:
    """A chapter of the page's transcript: its title, start and paragraphs."""

    title: str
    start: float
    paragraphs: tuple[Paragraph, ...]


def transcript(manifest: dict[str, Any]) -> list[TranscriptChapter]:
    """What the lecture says, by chapter and beat, from ``manifest.json``'s segments.

    A beat's paragraph is its lines' spoken form (``spoken``), or their captions (``text``) in a
    silent lecture (``voice.name`` ``"none"``), where nothing is said and the captions are what a
    learner reads. Beats without lines, and chapters without such beats, are left out.
    """
    silent = (manifest.get("voice") or {}).get("name", "none") == "none"
    said = []
    for seg in manifest.get("segments", []):
        paragraphs = []
        for beat in seg.get("beats", []):
            words = [ln.get("text", "") if silent else ln.get("spoken", ln.get("text", "")) for ln in beat["lines"]]
            text = " ".join(w.strip() for w in words if w and w.strip())
            if text:
                paragraphs.append(Paragraph(float(beat["start"]), float(beat["end"]), text))
        if paragraphs:
            said.append(TranscriptChapter(str(seg.get("title", "")), float(seg["start"]), tuple(paragraphs)))
    return said
