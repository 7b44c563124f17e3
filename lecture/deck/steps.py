"""A step of the deck: one beat of the lecture, its clip, its place, its captions and its notes.

:func:`lecture.deck.make_deck.make_deck` makes one :class:`Step` per beat of every segment, in
lecture order; the reveal.js page (:mod:`lecture.deck.reveal_page`) and the PowerPoint file
(:mod:`lecture.deck.powerpoint`) are written from them. A step is a beat, nothing else: the
questions asked after a chapter (:mod:`lecture.deck.questions`) are slides of the deck but not
steps, so a chapter's beat count, a step's number and the manifest's ``steps`` stay the lecture's.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from lecture.deck.clips import Clip


def clock(seconds: Fraction | float) -> str:
    """``2:05``: a time in the lecture, in minutes and seconds."""
    s = int(float(seconds))
    return f"{s // 60}:{s % 60:02d}"


@dataclass(frozen=True)
class Step:
    """One beat of the lecture as one step of the deck.

    Attributes
    ----------
    number : int
        Its place in the deck, from 1.
    chapter : int
        Its chapter's number, from 1.
    segment, title : str
        Its chapter's segment name and title.
    beat : str
        The beat's name (``""`` for a segment without a scene record).
    beat_number, beats : int
        Its place among its chapter's steps (from 1), and how many there are.
    start : Fraction
        Where it starts in the lecture, seconds.
    clip : Clip
        Its clip, as cut.
    folder : Path
        The clip's cache folder.
    captions : tuple of str
        The beat's lines as captioned.
    spoken : tuple of str
        Their spoken form, for the lines that have one different from the caption.
    """

    number: int
    chapter: int
    segment: str
    title: str
    beat: str
    beat_number: int
    beats: int
    start: Fraction
    clip: Clip
    folder: Path
    captions: tuple[str, ...]
    spoken: tuple[str, ...]

    @property
    def duration(self) -> Fraction:
        """Seconds."""
        return Fraction(self.clip.duration)

    @property
    def stem(self) -> str:
        """Its files' name in the deck, e.g. ``007-forward_pass-bias``."""
        return f"{self.number:03d}-{self.segment}-{Path(self.clip.file).stem.split('-', 1)[1]}"

    @property
    def where(self) -> str:
        """``2. The forward pass · beat 3 of 8 (bias)``: the step's place, for notes and labels."""
        beat = f" ({self.beat})" if self.beat else ""
        return f"{self.chapter}. {self.title} · beat {self.beat_number} of {self.beats}{beat}"

    def notes(self) -> list[str]:
        """The speaker notes, paragraph by paragraph: where it is, the captions, then what to say if it differs."""
        out = [f"{self.where} · {clock(self.start)}–{clock(self.start + self.duration)}"]
        out.extend(self.captions or ["(no caption)"])
        out.extend(f"Say: {s}" for s in self.spoken)
        return out


def run_words(history_file: str | Path) -> str:
    """What the lecture's run is, in words (:func:`scenes.common.model_text.run_phrase`); empty if unreadable.

    Reads only the history's metadata (its config), not its arrays.
    """
    import json

    import numpy as np

    from nncore import TrainConfig
    from nncore.errors import NNCoreError
    from scenes.common.model_text import run_phrase

    try:
        with np.load(history_file, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"][()]))
        return run_phrase(TrainConfig.from_dict(meta["config"], source=str(history_file)))
    except (OSError, ValueError, KeyError, TypeError, NNCoreError):
        return ""
