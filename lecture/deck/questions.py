"""Each chapter's "check your understanding" questions as the deck asks them, after the chapter's last beat.

:func:`lecture.deck.make_deck.make_deck` reads the lecture folder's question bank
(:func:`read_questions`: ``questions.json`` and its ``questions/`` pictures, :mod:`lecture.quiz.bank`),
places every asked question of a chapter after that chapter's last beat (:func:`asked_after`) and
copies the pictures into the deck (:func:`copy_pictures`). The page (:mod:`lecture.deck.reveal_page`)
shows each as one slide whose next step reveals the answer, the PowerPoint file
(:mod:`lecture.deck.powerpoint`) as a question slide followed by an answer slide; both take the
wording of the answer and the notes from here, so they say the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lecture.deck.steps import Step, clock
from lecture.quiz.bank import BANK_FILE, Bank, Picture, Question, read_bank
from lecture.render.inputs import digest_json, sha256_file

LETTERS = "ABCDEF"
"""The choices' letters, in the bank's order (a question has 2 to 6 choices)."""

KICKER = "Check your understanding"
"""What a question slide says above its prompt."""


def read_questions(lecture: Path) -> Bank | None:
    """The lecture folder's question bank, checked (its pictures too); ``None`` for a lecture without one.

    Raises
    ------
    lecture.quiz.bank.QuestionBankError
        A bank that is not valid: one line naming the file, the question and the key (exit code 2).
    """
    path = lecture / BANK_FILE
    if not path.exists():
        return None  # a lecture built before the questions: its deck is the beats alone
    return read_bank(path)


def number(x: float) -> str:
    """``x`` as a slide shows it: at most 6 significant digits, never in exponent form, a true minus sign."""
    text = format(Decimal(f"{x:.6g}").normalize(), "f")
    return text.replace("-", "\u2212")


def decimals(text: str) -> int:
    """How many digits ``text`` (a number as :func:`number` writes it) has after its point."""
    return len(text.partition(".")[2])


def answer_and_tolerance(answer: float, tolerance: float) -> tuple[str, str]:
    """A numeric answer and its tolerance as a class reads them: ``("−0.00703", "0.00035")``.

    The tolerance to two significant digits; the answer as exact as the bank has it when that is at
    most one digit finer than the tolerance (``89.75`` within ``0.5``), otherwise rounded to the
    tolerance's last digit (``−0.007031773…`` within ``0.000352`` reads ``−0.00703``), as the
    explanation's own numbers are.
    """
    if tolerance <= 0:
        return number(answer), ""
    tol = number(float(f"{tolerance:.2g}"))
    exact, d = number(answer), decimals(tol)
    return (exact if decimals(exact) <= d + 1 else number(round(answer, d))), tol


@dataclass(frozen=True)
class Asked:
    """One question as the deck asks it: after the last beat of its chapter.

    Attributes
    ----------
    question : Question
    chapter : int
        Its chapter's number, from 1 (as the steps count them).
    title : str
        Its chapter's title.
    number, count : int
        Its place among its chapter's questions (from 1), and how many there are.
    after : Step
        The chapter's last beat: the question comes right after it.
    taught : Step or None
        The beat the question's ``teaches`` names, when the deck has it.
    """

    question: Question
    chapter: int
    title: str
    number: int
    count: int
    after: Step
    taught: Step | None

    @property
    def label(self) -> str:
        """``2. The forward pass · question 1 of 3``: its place, for headings and notes."""
        return f"{self.chapter}. {self.title} · question {self.number} of {self.count}"

    @property
    def right_letter(self) -> str:
        """The right choice's letter (``""`` for a question answered with a number)."""
        q = self.question
        return LETTERS[q.choices.index(q.correct)] if q.kind == "choice" else ""

    @property
    def pictured(self) -> bool:
        """Whether its choices are pictures (a "which picture" question)."""
        return any(c.picture is not None for c in self.question.choices)

    def value(self) -> str:
        """A numeric question's answer with its tolerance and unit: ``−0.0071 (± 0.0005)``."""
        q = self.question
        assert q.answer is not None and q.tolerance is not None
        unit = f" {q.unit}" if q.unit else ""
        answer, tolerance = answer_and_tolerance(q.answer, q.tolerance)
        return f"{answer}{unit} (± {tolerance}{unit})" if tolerance else f"{answer}{unit}"

    def answer(self) -> str:
        """``Answer: B — 4 × 2``, or ``Answer: −0.0071 (± 0.0005)``: what the reveal says first."""
        q = self.question
        if q.kind == "choice":
            return f"Answer: {self.right_letter} \u2014 {q.correct.text}"
        return f"Answer: {self.value()}"

    def where_taught(self) -> str:
        """Where the lecture teaches it: the beat's place and time, or the names the bank gives."""
        if self.taught is not None:
            st = self.taught
            return f"Taught in {st.where} · {clock(st.start)}–{clock(st.start + st.duration)}"
        t = self.question.teaches
        return f"Taught in {t.segment}, beat {t.beat}"

    def notes(self) -> list[str]:
        """The speaker notes, paragraph by paragraph: its place, the answer, why, what each wrong choice shows."""
        q = self.question
        out = [f"{self.label} (after beat {self.after.beat_number} of {self.after.beats})", self.answer()]
        out.append(f"Why: {q.explanation}")
        for letter, c in zip(LETTERS, q.choices, strict=False):
            if not c.correct and c.feedback:
                out.append(f"If they say {letter} ({c.text}): {c.feedback}")
        out.append(self.where_taught())
        return out

    def pictures(self) -> list[Picture]:
        """Every picture it shows: its own, then its choices'."""
        pics = [self.question.picture] + [c.picture for c in self.question.choices]
        return [p for p in pics if p is not None]


def asked_after(bank: Bank | None, steps: Sequence[Step]) -> list[Asked]:
    """Every asked question of ``bank``, each after its chapter's last beat, in deck order.

    A question of a chapter the deck does not have (a lecture built with ``--segments``) is left out.
    """
    if bank is None or not steps:
        return []
    last: dict[str, Step] = {}
    for st in steps:
        last[st.segment] = st
    beats = {(st.segment, st.beat): st for st in steps}
    out: list[Asked] = []
    for segment, questions in bank.by_chapter(list(last)).items():
        end = last[segment]
        for n, q in enumerate(questions, start=1):
            taught = beats.get((q.teaches.segment, q.teaches.beat))
            out.append(Asked(q, end.chapter, end.title, n, len(questions), end, taught))
    return out


def questions_key(bank: Bank | None, lecture: Path) -> str | None:
    """Digest of the bank and every picture it names: part of the deck's key (``None`` without a bank)."""
    if bank is None:
        return None
    files = sorted({p.file for q in bank.asked() for p in [q.picture, *(c.picture for c in q.choices)] if p})
    return digest_json({"bank": bank.digest(), "pictures": {f: sha256_file(lecture / f) for f in files}})


def copy_pictures(asked: Sequence[Asked], lecture: Path, deck: Path) -> dict[str, int]:
    """Copy the pictures of ``asked`` from the lecture folder into the deck, at the same relative paths.

    Returns every copied file (relative to ``deck``) and its size. The bank's reader has checked
    that every path is under ``questions/`` and exists, so the deck's page refers to them as they are.
    """
    files: dict[str, int] = {}
    for a in asked:
        for p in a.pictures():
            if p.file in files:
                continue
            dest = deck / p.file
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(lecture / p.file, dest)
            files[p.file] = dest.stat().st_size
    return files
