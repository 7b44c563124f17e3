"""The page's "check your understanding" questions: the question bank as the quiz panel reads it.

:func:`quiz_view` turns the bank (:class:`lecture.quiz.bank.Bank`, ``questions.json``) and the
lecture's manifest into the data ``templates/quiz.html`` lays out and ``templates/quiz.js`` runs:
each chapter that asks, in lecture order, with the time it ends (where the video stops to ask) and
its questions, each with the lecture time of the beat that teaches it. Pictures stay relative paths
(``questions/<name>.png``, beside ``index.html``): a ``file://`` page loads neighbouring images.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from lecture.page.lecture_page import clock
from lecture.quiz.bank import BANK_FILE, Bank, Picture, Question, check_chapters

QUIZ_FORMAT = 1
"""The version of the data ``templates/quiz.js`` reads (its ``format``)."""


def storage_key(bank: Bank) -> str:
    """Where the page keeps a learner's answers (``localStorage``): one key per lecture and run.

    Every page opened from ``file://`` shares one storage origin, so two lectures (or two builds of
    one from different runs, whose questions differ) must not read each other's answers.
    """
    digest = hashlib.sha256(f"{bank.history}\n{bank.lecture}".encode()).hexdigest()[:20]
    return f"lecturequiz:{digest}"


def number_text(x: float) -> str:
    """A number as a learner reads it: up to 6 significant digits, never in e-notation, a true minus."""
    if x == 0:
        return "0"
    text = f"{x:.6g}"
    if "e" in text:
        digits = max(0, 5 - math.floor(math.log10(abs(x))))
        text = f"{x:.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def _picture(p: Picture | None) -> dict[str, str] | None:
    return None if p is None else p.to_json()


def _question(q: Question, n: int, beat: dict[str, Any], segment_title: str) -> dict[str, Any]:
    """One question as the page reads it; ``n`` numbers it in the page (its element ids)."""
    start = float(beat["start"])
    d: dict[str, Any] = {
        "id": q.id,
        "n": n,
        "kind": q.kind,
        "prompt": q.prompt,
        "picture": _picture(q.picture),
        "explanation": q.explanation,
        "teaches": {
            "segment": q.teaches.segment,
            "beat": q.teaches.beat,
            "title": segment_title,
            "time": round(start, 3),
            "clock": clock(start),
        },
    }
    if q.kind == "choice":
        d["choices"] = [
            {"text": c.text, "correct": c.correct, "feedback": c.feedback, "picture": _picture(c.picture)}
            for c in q.choices
        ]
        d["pictures"] = any(c.picture is not None for c in q.choices)
    else:
        assert q.answer is not None and q.tolerance is not None  # read_question sets both for "numeric"
        d["answer"] = q.answer
        d["tolerance"] = q.tolerance
        d["unit"] = q.unit
        d["answer_text"] = number_text(q.answer)
        d["tolerance_text"] = number_text(q.tolerance)
    return d


def quiz_view(bank: Bank, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The quiz panel's data: each chapter that asks, in lecture order, and its questions.

    Parameters
    ----------
    bank : Bank
        The lecture's question bank (its dropped questions are left out).
    manifest : dict
        The lecture's ``manifest.json``: its ``segments``, each with ``name``, ``title``, ``start``,
        ``duration`` and ``beats`` (each ``name`` and ``start``, in lecture seconds).

    Returns
    -------
    dict or None
        ``{"format", "key", "lecture", "total", "chapters": [{"segment", "title", "end", "clock",
        "questions": [...]}]}``: ``end`` is the chapter's end in lecture seconds (``start +
        duration``), where the video stops to ask; each question carries what the script checks and
        shows, and ``teaches.time`` / ``teaches.clock``, the start of the beat it names. ``None``
        when the bank asks nothing.

    Raises
    ------
    QuestionBankError
        A question whose chapter, or whose ``teaches``, is not a chapter (and beat) of the lecture.
    """
    segments = manifest.get("segments", [])
    beats = {s["name"]: {b["name"]: b for b in s.get("beats", [])} for s in segments}
    check_chapters(bank, BANK_FILE, beats)
    titles = {s["name"]: str(s.get("title", s["name"])) for s in segments}
    by_chapter = bank.by_chapter([s["name"] for s in segments])
    chapters = []
    n = 0
    for s in segments:
        questions = []
        for q in by_chapter[s["name"]]:
            n += 1
            beat = beats[q.teaches.segment][q.teaches.beat]
            questions.append(_question(q, n, beat, titles[q.teaches.segment]))
        if questions:
            end = float(s["start"]) + float(s["duration"])
            chapters.append(
                {
                    "segment": s["name"],
                    "title": titles[s["name"]],
                    "end": round(end, 3),
                    "clock": clock(end),
                    "questions": questions,
                }
            )
    if not chapters:
        return None
    return {
        "format": QUIZ_FORMAT,
        "key": storage_key(bank),
        "lecture": bank.lecture,
        "total": n,
        "chapters": chapters,
    }
