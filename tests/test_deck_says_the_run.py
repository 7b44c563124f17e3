"""The deck says what the run is: its notes and outline name the network and its training, for every configuration.

No render: the run's words come from a history's config alone (:func:`lecture.deck.steps.run_words`),
and the deck's page is written from steps whose clips need not exist.
"""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from pathlib import Path

import pytest

from lecture.deck.clips import Clip
from lecture.deck.reveal_page import deck_html
from lecture.deck.steps import Step, run_words
from nncore import TrainConfig, load_config, train

ROOT = Path(__file__).resolve().parents[1]

RUNS = {
    "lecture": (
        TrainConfig(iterations=2),
        "a network with one hidden layer of 4 tanh units, trained by full-batch gradient descent",
    ),
    "course_initialization": (
        dataclasses.replace(load_config(ROOT / "media_config/course_initialization.toml"), iterations=2),
        "a network with two hidden layers of 10 and 5 units (ReLU), trained by full-batch gradient descent",
    ),
    "moons_adam_l2_dropout": (
        dataclasses.replace(load_config(ROOT / "media_config/moons_adam_l2_dropout.toml"), iterations=2),
        "a network with two hidden layers of 5 and 2 units (ReLU), trained by Adam on mini-batches of 64, with L2 "
        "regularisation (lambda 0.05) and dropout keeping 90 % of the hidden units",
    ),
}


def steps() -> list[Step]:
    """Two chapters of two beats each, their clips named only."""
    out = []
    for n, (chapter, beat) in enumerate([(1, 1), (1, 2), (2, 1), (2, 2)], 1):
        clip = Clip(beat - 1, f"b{beat}", 0, 1, f"{n:03d}-b{beat}.mp4", f"{n:03d}-b{beat}.jpg", "1", "remux", 1)
        start = Fraction(n)
        out.append(
            Step(
                n,
                chapter,
                f"seg{chapter}",
                f"Chapter {chapter}",
                f"b{beat}",
                beat,
                2,
                start,
                clip,
                Path("."),
                (f"caption {n}",),
                (),
            )
        )
    return out


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_deck_names_the_run_in_its_notes_and_outline(name: str, tmp_path: Path) -> None:
    cfg, words = RUNS[name]
    history = train(cfg).save(tmp_path / "history.npz")
    assert run_words(history) == words
    page = deck_html("A lecture", ["a fact"], steps(), (854, 480), "5.0.0", run_words(history))
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', page)
    said = f"<p>This lecture explains {words}.</p>"
    assert [said in n for n in notes] == [True, False, True, False]  # each chapter's first beat
    assert "<p>The run: a fact.</p>" in notes[0]
    assert f'<span class="run">{words}</span>' in page


def test_an_unreadable_history_gives_no_words(tmp_path: Path) -> None:
    (tmp_path / "bad.npz").write_text("not a history")
    assert run_words(tmp_path / "bad.npz") == "" == run_words(tmp_path / "missing.npz")
    page = deck_html("A lecture", [], steps(), (854, 480), "5.0.0")
    assert "This lecture explains" not in page and 'class="run"' not in page
