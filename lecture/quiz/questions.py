"""The questions of each chapter, made from the run: :func:`generate` and the helpers its chapters use.

Each chapter that asks has a module in :mod:`lecture.quiz.chapters` with a function
``questions(run: RunInputs) -> list[Question]`` (two to four questions, every number read from
the history or the chapter's sweeps); :func:`lecture.quiz.chapters.generate` calls them. A multiple
choice question's wrong choices are the mistakes learners make (a transposed shape, a forgotten
``1/m``, a sign flipped, ``tanh'`` taken as ``tanh``, the probability read as the class...), each
with feedback that names it; :func:`choice` drops a mistake that happens to give the right value
(a square matrix transposed), so no distractor ever equals the answer.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lecture.quiz.bank import Choice, Picture, Question, Teaches, generated
from nncore import History
from nncore.sweep import SweepEntry

PERCENT_TOLERANCE = 0.5
"""A numeric accuracy, in percent, is right within half a percentage point (a 400-point accuracy moves
in steps of 0.25)."""


@dataclass(frozen=True)
class RunInputs:
    """What a chapter's questions are made from.

    Attributes
    ----------
    history : History
        The lecture's run.
    sweeps : mapping of str to list of SweepEntry
        The sweeps the lecture's chapters read (``media_config/sweeps.toml``), by name, trained.
    pictures : Path
        The bank's picture folder (``<lecture folder>/questions``): where a question's PNGs go.
    beats : mapping of str to sequence of str
        Each chapter of the lecture and its beats' names, in order: ``teaches`` names one of them.
    """

    history: History
    sweeps: Mapping[str, Sequence[SweepEntry]]
    pictures: Path
    beats: Mapping[str, Sequence[str]]

    def teaches(self, segment: str, *beats: str) -> Teaches:
        """The first of ``beats`` that ``segment`` has (its first beat if none: a scene's beats follow its run)."""
        names = list(self.beats.get(segment, ()))
        beat = next((b for b in beats if b in names), names[0] if names else beats[0])
        return Teaches(segment, beat)

    def picture(self, name: str, png: bytes, alt: str) -> Picture:
        """Write ``png`` as ``questions/<name>-<digest>.png`` and return its :class:`Picture`.

        The digest in the name changes with the picture, so a page or a package never shows an
        old copy under a new question.
        """
        digest = hashlib.sha256(png).hexdigest()[:10]
        file = f"{name}-{digest}.png"
        self.pictures.mkdir(parents=True, exist_ok=True)
        (self.pictures / file).write_bytes(png)
        return Picture(f"{self.pictures.name}/{file}", alt)


Generator = Callable[[RunInputs], list[Question]]


def choice(
    qid: str,
    chapter: str,
    prompt: str,
    right: tuple[str, str],
    wrong: Sequence[tuple[str, str]],
    explanation: str,
    teaches: Teaches,
    picture: Picture | None = None,
    pictures: Mapping[str, Picture] | None = None,
    lettered: bool = False,
) -> Question | None:
    """A multiple-choice question: ``right`` and ``wrong`` are ``(text, feedback)`` pairs.

    Wrong choices whose text equals the right one's or an earlier one's are left out (a mistake
    that gives the right value teaches nothing); without any wrong choice left there is no
    question (``None``). The choices are shuffled by a generator seeded with ``qid``, so the same
    run always asks them in the same order and the right one is not always first. ``pictures``
    maps a choice's text to its picture ("which picture" questions); with ``lettered`` the choices'
    texts become "Picture A", "Picture B"... in the order shown (the texts given then only name the
    pictures, and the feedback should not refer to them).
    """
    seen = {right[0]}
    distinct: list[tuple[str, str]] = []
    for text, feedback in wrong:
        if text not in seen:
            seen.add(text)
            distinct.append((text, feedback))
    if not distinct:
        return None
    pics = pictures or {}
    choices = [Choice(right[0], True, right[1], pics.get(right[0]))]
    choices += [Choice(t, False, f, pics.get(t)) for t, f in distinct[:5]]
    random.Random(int(hashlib.sha256(qid.encode()).hexdigest()[:8], 16)).shuffle(choices)
    if lettered:
        choices = [replace(c, text=f"Picture {chr(ord('A') + i)}") for i, c in enumerate(choices)]
    q = Question(
        id=qid,
        chapter=chapter,
        kind="choice",
        prompt=prompt,
        explanation=explanation,
        teaches=teaches,
        choices=tuple(choices),
        picture=picture,
    )
    return generated(q)


def numeric(
    qid: str,
    chapter: str,
    prompt: str,
    answer: float,
    tolerance: float,
    explanation: str,
    teaches: Teaches,
    unit: str = "",
    picture: Picture | None = None,
) -> Question:
    """A question answered with a number: right within ``tolerance`` of ``answer``."""
    q = Question(
        id=qid,
        chapter=chapter,
        kind="numeric",
        prompt=prompt,
        explanation=explanation,
        teaches=teaches,
        answer=float(answer),
        tolerance=float(tolerance),
        unit=unit,
        picture=picture,
    )
    return generated(q)


def asked(*questions: Question | None) -> list[Question]:
    """The questions that could be asked of this run (``None``: one that could not)."""
    return [q for q in questions if q is not None]
