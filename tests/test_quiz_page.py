"""The lecture page's "check your understanding" questions: their data.

:func:`lecture.page.quiz.quiz_view` is checked against a bank (made with the generators' own
:func:`~lecture.quiz.questions.choice` and :func:`~lecture.quiz.questions.numeric`) and a manifest made here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from lecture.page.quiz import number_text, quiz_view, storage_key
from lecture.quiz.bank import Bank, Picture, QuestionBankError, Teaches
from lecture.quiz.questions import choice, numeric

SEGMENTS = [
    ("alpha", "The first chapter", 0.0, 2.0, [("setup", 0.0, 0.8), ("shape", 0.8, 2.0)]),
    ("beta", "The second chapter", 2.0, 2.0, [("curves", 2.0, 3.2), ("result", 3.2, 4.0)]),
]
"""The lecture: two chapters of 2 s, each of two beats (name, title, start, duration, beats)."""


def manifest() -> dict[str, Any]:
    """The manifest's segments as the build writes them (times in lecture seconds)."""
    return {
        "segments": [
            {
                "name": n,
                "title": t,
                "start": s,
                "duration": d,
                "beats": [{"name": b, "start": bs, "end": be} for b, bs, be in beats],
            }
            for n, t, s, d, beats in SEGMENTS
        ]
    }


def bank(history: str = "ab" * 32, lecture: str = "A quiz test lecture") -> Bank:
    """Three questions: a choice with a picture, a number, and a "which picture" choice."""
    shape = choice(
        "alpha.w1_shape",
        "alpha",
        "What is the shape of W[1] for 4 hidden units and 2 inputs?",
        ("4 × 2", "Right: one row per unit, one column per input."),
        [("2 × 4", "That is Wᵀ: rows are units, columns inputs."), ("4 × 1", "That is b[1]'s shape.")],
        "W[1] maps the 2 inputs to the 4 hidden units: 4 rows of 2 weights.",
        Teaches("alpha", "shape"),
        picture=Picture("questions/network.png", "A network with 2 inputs, 4 hidden units and 1 output"),
    )
    cost = numeric(
        "alpha.first_cost",
        "alpha",
        "What is dW[2]'s first entry at iteration 0?",
        -0.0071,
        0.0005,
        "dW[2] = (1/m) dZ[2] A[1]ᵀ: the output's error times the hidden units' activations, averaged.",
        Teaches("alpha", "setup"),
    )
    which = choice(
        "beta.which_curve",
        "beta",
        "Which picture shows the cost of the largest learning rate?",
        ("Curve C", "Right: it jumps before it settles."),
        [("Curve A", "That one falls slowly: the smallest rate."), ("Curve B", "That one is smooth: a middle rate.")],
        "A large step overshoots the minimum, so its cost jumps up and down.",
        Teaches("beta", "curves"),
        pictures={
            "Curve A": Picture("questions/a.png", "A cost curve falling slowly and smoothly"),
            "Curve B": Picture("questions/b.png", "A cost curve falling fast and smoothly"),
            "Curve C": Picture("questions/c.png", "A cost curve jumping up and down before it falls"),
        },
    )
    assert shape is not None and which is not None
    return Bank(lecture, history, (shape, cost, which))


# --- the data, in Python -------------------------------------------------------------------------


def test_the_view_lists_the_asking_chapters_in_lecture_order_with_their_ends_and_teaching_beats() -> None:
    b = bank()
    view = quiz_view(b, manifest())
    assert view is not None
    assert view["format"] == 1 and view["total"] == 3 and view["lecture"] == "A quiz test lecture"
    assert view["key"] == storage_key(b) and view["key"].startswith("lecturequiz:")
    assert [(c["segment"], c["title"], c["end"], c["clock"]) for c in view["chapters"]] == [
        ("alpha", "The first chapter", 2.0, "0:02"),
        ("beta", "The second chapter", 4.0, "0:04"),
    ]
    shape, cost = view["chapters"][0]["questions"]
    assert [q["n"] for c in view["chapters"] for q in c["questions"]] == [1, 2, 3]
    assert shape["kind"] == "choice" and shape["prompt"].startswith("What is the shape")
    assert shape["picture"] == {"file": "questions/network.png", "alt": b.questions[0].picture.alt}  # type: ignore[union-attr]
    assert [c["correct"] for c in shape["choices"]] == [c.correct for c in b.questions[0].choices]
    assert shape["teaches"] == {
        "segment": "alpha",
        "beat": "shape",
        "title": "The first chapter",
        "time": 0.8,
        "clock": "0:00",
    }
    assert shape["pictures"] is False
    assert cost["kind"] == "numeric" and cost["answer"] == -0.0071 and cost["tolerance"] == 0.0005
    assert cost["answer_text"] == "−0.0071" and cost["tolerance_text"] == "0.0005" and cost["unit"] == ""
    assert cost["teaches"]["time"] == 0.0 and "choices" not in cost
    which = view["chapters"][1]["questions"][0]
    assert which["pictures"] is True and {c["picture"]["file"] for c in which["choices"]} == {
        "questions/a.png",
        "questions/b.png",
        "questions/c.png",
    }
    assert which["teaches"]["time"] == 2.0 and which["teaches"]["clock"] == "0:02"
    json.dumps(view)  # the page inlines it as JSON


def test_the_teaching_beats_time_is_in_lecture_time_with_its_clock() -> None:
    m = manifest()
    m["segments"][1]["start"] = 125.5
    m["segments"][1]["beats"][0]["start"] = 130.25
    view = quiz_view(bank(), m)
    assert view is not None
    which = view["chapters"][1]
    assert which["end"] == 127.5 and which["clock"] == "2:07"
    assert which["questions"][0]["teaches"]["time"] == 130.25 and which["questions"][0]["teaches"]["clock"] == "2:10"


def test_dropped_questions_and_chapters_without_any_are_left_out_and_a_bank_asking_nothing_is_none() -> None:
    b = bank()
    only_beta = replace(b, questions=tuple(replace(q, dropped=q.chapter == "alpha") for q in b.questions))
    view = quiz_view(only_beta, manifest())
    assert view is not None and [c["segment"] for c in view["chapters"]] == ["beta"] and view["total"] == 1
    assert view["chapters"][0]["questions"][0]["n"] == 1
    none = replace(b, questions=tuple(replace(q, dropped=True) for q in b.questions))
    assert quiz_view(none, manifest()) is None
    assert quiz_view(replace(b, questions=()), manifest()) is None


def test_a_question_of_a_chapter_or_beat_the_lecture_does_not_have_is_an_error_naming_it() -> None:
    b = bank()
    lost = replace(b, questions=(replace(b.questions[0], teaches=Teaches("alpha", "gone")),))
    with pytest.raises(QuestionBankError, match=r"alpha\.w1_shape.*'teaches'.*'gone'"):
        quiz_view(lost, manifest())
    elsewhere = replace(b, questions=(replace(b.questions[1], chapter="omega"),))
    with pytest.raises(QuestionBankError, match=r"alpha\.first_cost.*'chapter'.*'omega'"):
        quiz_view(elsewhere, manifest())


def test_each_lecture_and_run_keeps_its_answers_under_its_own_key() -> None:
    keys = {storage_key(bank()), storage_key(bank(history="cd" * 32)), storage_key(bank(lecture="Another"))}
    assert len(keys) == 3 and storage_key(bank()) == storage_key(bank())


def test_numbers_read_as_written_with_a_true_minus() -> None:
    assert [number_text(x) for x in (0.0, -0.0071, 0.0005, 1234.5, 1e-7, -2.5e-6, 0.693147180559, 1e7)] == [
        "0",
        "−0.0071",
        "0.0005",
        "1234.5",
        "0.0000001",
        "−0.0000025",
        "0.693147",
        "10000000",
    ]
