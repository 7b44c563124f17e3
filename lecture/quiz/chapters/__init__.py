"""One module per chapter that asks: ``questions(run) -> list[Question]``, every number from the run.

:data:`GENERATORS` maps a segment's name (``media_config/render.toml``) to its module's ``questions``;
:func:`generate` calls them in the lecture's order.
"""

from __future__ import annotations

from collections.abc import Sequence

from lecture.quiz.bank import Bank, Question
from lecture.quiz.chapters import (
    backprop,
    decision_boundary,
    forward_pass,
    hidden_sizes,
    initialization,
    learning_rates,
    matrix_algebra,
    optimizers,
    regularization,
)
from lecture.quiz.questions import Generator, RunInputs

GENERATORS: dict[str, Generator] = {
    "matrix_algebra": matrix_algebra.questions,
    "forward_pass": forward_pass.questions,
    "backprop": backprop.questions,
    "decision_boundary": decision_boundary.questions,
    "learning_rates": learning_rates.questions,
    "initialization": initialization.questions,
    "optimizers": optimizers.questions,
    "regularization": regularization.questions,
    "hidden_sizes": hidden_sizes.questions,
}
"""The chapters that ask questions, by segment name."""


def generate(lecture: str, history_digest: str, run: RunInputs, chapters: Sequence[str]) -> Bank:
    """The bank of a lecture with ``chapters`` (segment names, in order): each one's questions, in order.

    A chapter without a generator (the title card, the summary) asks nothing.
    """
    qs: list[Question] = []
    for chapter in chapters:
        if chapter in GENERATORS:
            qs.extend(GENERATORS[chapter](run))
    return Bank(lecture, history_digest, tuple(qs))
