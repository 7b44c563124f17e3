"""The deck's page, ``index.html``: a reveal.js deck written from ``templates/deck.html``.

:func:`lecture.deck.make_deck.make_deck` calls :func:`deck_html`. One column per chapter, one slide
per beat (its clip, its speaker notes), then one slide per question of the chapter
(:mod:`lecture.deck.questions`) whose answer is a reveal.js fragment, the chapter outline under the
picture and the deck's script (``templates/deck.js``) and style (``templates/deck.css``), inlined.
Python passes the template data only: the chapters with their steps and questions, the picture's
size, the deck's configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lecture.deck.questions import KICKER, LETTERS, Asked
from lecture.deck.steps import Step
from lecture.quiz.bank import Picture
from lecture.templating import render

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The deck's template, script and style."""


def chapters_of(steps: list[Step]) -> list[list[Step]]:
    """``steps`` grouped by chapter, in order (a chapter starts at its first beat)."""
    chapters: list[list[Step]] = []
    for st in steps:
        if st.beat_number == 1:
            chapters.append([])
        chapters[-1].append(st)
    return chapters


def step_view(st: Step, facts: list[str], run: str = "") -> dict[str, Any]:
    """What the template shows of a step: its place, clip, label and notes.

    The first step's notes also give the run's facts; every chapter's first beat says what the run
    is (``run``, :func:`lecture.deck.steps.run_words`).
    """
    notes = st.notes()
    if st.beat_number == 1 and run:
        notes.append(f"This lecture explains {run}.")
    if st.number == 1 and facts:
        notes.append(f"The run: {'; '.join(facts)}.")
    return {
        "number": st.number,
        "chapter": st.chapter,
        "beat": st.beat,
        "duration": float(st.duration),
        "label": st.where,
        "stem": st.stem,
        "notes": notes,
    }


def _picture(p: Picture | None) -> dict[str, str] | None:
    """A picture as the template shows it: its path in the deck (as in the lecture folder) and its text."""
    return None if p is None else {"src": p.file, "alt": p.alt}


def question_view(a: Asked) -> dict[str, Any]:
    """What the template shows of a question: its place, prompt, picture, choices, answer and notes.

    Only the answer's parts (the right choice's mark, ``answer``, ``explanation``) go inside the
    slide's fragment; the template keeps everything else visible from the start.
    """
    q = a.question
    return {
        "id": f"question-{a.chapter}-{a.number}",
        "chapter": a.chapter,
        "number": a.number,
        "count": a.count,
        "after": a.after.number,
        "kicker": f"{KICKER} · {a.label}",
        "label": a.label,
        "kind": q.kind,
        "prompt": q.prompt,
        "picture": _picture(q.picture),
        "pictured": a.pictured,
        "choices": [
            {"letter": letter, "text": c.text, "right": c.correct, "picture": _picture(c.picture)}
            for letter, c in zip(LETTERS, q.choices, strict=False)
        ],
        "unit": q.unit,
        "answer": a.answer(),
        "explanation": q.explanation,
        "notes": a.notes(),
    }


def deck_html(
    title: str,
    facts: list[str],
    steps: list[Step],
    size: tuple[int, int],
    reveal_version: str,
    run: str = "",
    questions: Sequence[Asked] = (),
) -> str:
    """The reveal.js deck: one column per chapter, one slide per beat then per question, notes, the outline, the script.

    Parameters
    ----------
    title : str
        The lecture's title.
    facts : list of str
        The run in a few phrases (shown in the first beat's notes).
    steps : list of Step
    size : (int, int)
        The video's width and height: the deck's own size, scaled to the window by reveal.js.
    reveal_version : str
        The vendored reveal.js (named in the page).
    run : str
        What the run is, in words (each chapter's first notes, and the outline's label).
    questions : sequence of Asked
        The questions asked after each chapter's last beat (:func:`lecture.deck.questions.asked_after`);
        their pictures are in the deck at the paths the bank names.
    """
    chapters = chapters_of(steps)
    width, height = size
    asked = [[question_view(a) for a in questions if a.chapter == ch[0].chapter] for ch in chapters]
    return render(
        TEMPLATES,
        "deck.html",
        title=title,
        run=run,
        chapters=[
            {
                "number": ch[0].chapter,
                "title": ch[0].title,
                "steps": [step_view(st, facts, run) for st in ch],
                "questions": qs,
            }
            for ch, qs in zip(chapters, asked, strict=True)
        ],
        width=width,
        height=height,
        reveal_version=reveal_version,
        config={
            "width": width,
            "height": height,
            "steps": len(steps),
            "questions": len(questions),
            "chapters": [
                {"title": ch[0].title, "steps": len(ch), "questions": len(qs)}
                for ch, qs in zip(chapters, asked, strict=True)
            ],
        },
    )
