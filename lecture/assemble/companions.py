"""The files written beside ``lecture.mp4``: the chapters and captions tracks, the thumbnails and the poster.

``python -m lecture build`` (:mod:`lecture.pipeline`) places every segment in the lecture as a
:class:`Chapter`, then writes into the staging folder, before it is published:
``chapters.vtt`` (one cue a chapter, from the real durations), ``captions.vtt`` and
``captions.srt`` (every segment's subcaptions moved to lecture time and cut at their chapter's
end: :func:`write_tracks`), ``thumbs/`` (one picture a chapter) and ``poster.png`` (the title
card's last frame: :func:`write_pictures`). The page (:mod:`lecture.page.lecture_page`) inlines
the two tracks, and the manifest counts their cues.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from lecture.assemble.captions import Cue, chapters, parse_srt, shift, to_srt, to_vtt, without_overlaps
from lecture.assemble.stitch import grab_frame
from lecture.render.cache import RenderedSegment
from lecture.settings import Segment
from nncore import History
from scenes.common.model_text import activation, hidden_layer_words, regularisation_words, training_words


@dataclass(frozen=True)
class Chapter:
    """A segment placed in the lecture."""

    segment: Segment
    rendered: RenderedSegment
    start: Fraction
    number: int

    @property
    def end(self) -> Fraction:
        """Where the next chapter starts."""
        return self.start + self.rendered.duration

    @property
    def thumb_name(self) -> str:
        """Its thumbnail, relative to the lecture folder."""
        return f"thumbs/{self.number:02d}-{self.segment.name}.jpg"


def lecture_captions(chs: list[Chapter]) -> list[Cue]:
    """Every segment's subcaptions, shifted to lecture time and clipped to its chapter."""
    cues: list[Cue] = []
    for ch in chs:
        own = parse_srt(ch.rendered.srt.read_text(encoding="utf-8"), str(ch.rendered.srt))
        cues.extend(shift(own, ch.start, ch.rendered.duration))
    return without_overlaps(cues)


@dataclass(frozen=True)
class Tracks:
    """The lecture's two text tracks as written (the page inlines them), and how many cues each has."""

    chapters_vtt: str
    captions_vtt: str
    chapters: int
    captions: int

    def counts(self) -> dict[str, int]:
        """The manifest's ``tracks`` entry: the cues of each track."""
        return {"chapters": self.chapters, "captions": self.captions}


def write_tracks(staging: Path, chs: list[Chapter]) -> Tracks:
    """Write ``chapters.vtt``, ``captions.vtt`` and ``captions.srt`` into ``staging``."""
    chapter_cues = chapters([c.segment.title for c in chs], [c.rendered.duration for c in chs])
    chapters_vtt = to_vtt(chapter_cues, ids=[c.segment.name for c in chs])
    caption_cues = lecture_captions(chs)
    captions_vtt = to_vtt(caption_cues)
    (staging / "chapters.vtt").write_text(chapters_vtt, encoding="utf-8")
    (staging / "captions.vtt").write_text(captions_vtt, encoding="utf-8")
    (staging / "captions.srt").write_text(to_srt(caption_cues), encoding="utf-8")
    return Tracks(chapters_vtt, captions_vtt, len(chapter_cues), len(caption_cues))


def write_pictures(staging: Path, chs: list[Chapter]) -> None:
    """Write ``thumbs/`` (each chapter's thumbnail) and ``poster.png`` (the opening's last frame) into ``staging``."""
    (staging / "thumbs").mkdir(exist_ok=True)
    for c in chs:
        shutil.copyfile(c.rendered.thumb, staging / c.thumb_name)
    opening = chs[0].rendered
    last_frame = opening.duration - Fraction(1, max(round(opening.frames / opening.duration), 1))
    grab_frame(opening.video, max(last_frame, Fraction(0))).save(staging / "poster.png", optimize=True)


def lecture_facts(history: History) -> list[str]:
    """The run in a few phrases (page subtitle, the video's comment), all read from the history.

    The lecture's own kind of run (one tanh layer, full-batch gradient descent) is described as it
    always was ("4 hidden units", "10000 iterations"); another names its layers, activation,
    optimiser and regularisation (:mod:`scenes.common.model_text`) and counts epochs.
    """
    cfg = history.config
    points = f"{history.m} points" + (f", {cfg.test_points} test points" if cfg.test_points else "")
    week3 = len(cfg.layers) == 1 and cfg.activation == "tanh"
    network = f"{cfg.layers[0]} hidden units" if week3 else f"{hidden_layer_words(cfg)} ({activation(cfg).name})"
    facts = [f"data set {cfg.dataset} ({points})", network]
    if not (cfg.optimizer == "gd" and cfg.batch_size is None):
        facts.append(training_words(cfg))
    if regularisation_words(cfg):
        facts.append(regularisation_words(cfg))
    counted = "iterations" if cfg.batch_size is None else "epochs"
    facts += [
        f"learning rate {cfg.learning_rate:g}",
        f"{history.iterations} {counted}",
        f"final cost {float(history.cost[-1]):.4f}",
        f"training accuracy {100 * float(history.accuracy[-1]):.2f} %",
    ]
    if "test_accuracy" in history.more:
        facts.append(f"test accuracy {100 * float(history.more['test_accuracy'][-1]):.2f} %")
    return facts
