"""The lecture's page, ``index.html``, written from ``templates/lecture.html``.

``python -m lecture build`` (:mod:`lecture.pipeline`) writes it beside ``lecture.mp4``. It plays the
lecture with a chapters track, a captions track and a chapter list, and works when opened straight
from disk (``file://``): every path is relative, and the two tracks are inlined as ``data:`` URLs
because browsers treat each ``file://`` page as a unique origin and refuse to load a ``<track>``
from a neighbouring file (Chromium: "Unsafe attempt to load URL ... 'file:' URLs are treated as
unique security origins"). Under the video, the run explorer (its data from
:mod:`lecture.page.explorer`; ``templates/explorer.html``, ``explorer.js``, ``explorer.css``, all
inlined) lets a learner step through the run the lecture explains. Right under the video, the
transcript (:mod:`lecture.page.transcript`, ``templates/transcript.html``) is what the lecture says,
chapter by chapter, one paragraph a beat; each paragraph is a link that seeks the video to its beat
(and follows it as it plays). When the lecture has questions (:mod:`lecture.page.quiz`;
``templates/quiz.html``, ``quiz.js``, ``quiz.css``, inlined), the video stops where a chapter that
asks ends and its questions open beside it (under it on a narrow screen): multiple choice or a
number, checked at once with feedback, the explanation and a link that plays the beat that teaches
it; skip and ask-me-later; the learner's score by chapter and for the lecture, kept in the browser
under the lecture's own key; a ``lecturequiz`` event after each answer for other scripts. Without
JavaScript the explorer and the questions stay hidden and everything else works: the video, its
tracks, and the chapter and transcript links, which then open the video file at their time
(``lecture.mp4#t=…``).

Python passes the templates data only (:func:`page_html`): the title and facts, the chapters with
their times and thumbnails, the tracks as ``data:`` URLs, the transcript, the explorer's export and
the questions (:func:`lecture.page.quiz.quiz_view`).
"""

from __future__ import annotations

import base64
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture.assemble.companions import Chapter
from lecture.page.transcript import TranscriptChapter
from lecture.templating import render

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The page's templates, scripts and styles."""


def data_url(text: str, mime: str = "text/vtt") -> str:
    """``text`` as a base64 ``data:`` URL."""
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(text.encode()).decode()}"


def clock(seconds: Fraction | float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for the chapter list."""
    s = int(float(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def page_footer(manifest: dict[str, Any]) -> str:
    """The page's last line: when and with what it was built, and where its numbers come from."""
    return (
        f"Built {manifest.get('built_at', '')} with manim {manifest['tools'].get('manim', '?')}; "
        f"every number in it comes from the training history ({manifest['history']['file']})."
    )


def transcript_view(said: list[TranscriptChapter]) -> list[dict[str, Any]]:
    """The transcript as ``templates/transcript.html`` reads it: each chapter with its clock time."""
    return [{"title": ch.title, "clock": clock(ch.start), "paragraphs": ch.paragraphs} for ch in said]


def transcript_html(said: list[TranscriptChapter]) -> str:
    """The transcript's markup: a heading per chapter, a link per beat to ``lecture.mp4#t=<start>``."""
    return render(TEMPLATES, "transcript.html", said=transcript_view(said))


def page_html(
    title: str,
    facts: list[str],
    chs: list[Chapter],
    chapters_vtt: str,
    captions_vtt: str,
    size: tuple[int, int],
    footer: str,
    explorer: dict[str, Any] | None = None,
    said: list[TranscriptChapter] | None = None,
    quiz: dict[str, Any] | None = None,
) -> str:
    """The lecture's page (see the module docstring for why the tracks are inlined).

    ``explorer`` is the run explorer's data (:attr:`lecture.page.explorer.Explorer.data`); without it
    the page has no explorer. ``said`` is the transcript (:func:`lecture.page.transcript.transcript`);
    without it, or when it is empty, the page has none. ``quiz`` is the questions' data
    (:func:`lecture.page.quiz.quiz_view`); without it (``None``: a bank that asks nothing) the page
    has no questions.
    """
    width, height = size
    return render(
        TEMPLATES,
        "lecture.html",
        title=title,
        facts=facts,
        width=width,
        height=height,
        captions_src=data_url(captions_vtt),
        chapters_src=data_url(chapters_vtt),
        said=transcript_view(said or []),
        data=explorer,
        quiz=quiz,
        chapters=[
            {
                "start": float(c.start),
                "end": float(c.end),
                "thumb": c.thumb_name,
                "clock": clock(c.start),
                "title": c.segment.title,
            }
            for c in chs
        ],
        thumb_height=round(320 * height / width),
        footer=footer,
    )
