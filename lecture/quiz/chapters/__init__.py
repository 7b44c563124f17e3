"""One module per chapter that asks: ``questions(run) -> list[Question]``, every number from the run.

:data:`GENERATORS` maps a segment's name (``media_config/render.toml``) to its module's ``questions``;
:func:`lecture.quiz.questions.generate` calls them in the lecture's order.
"""

from __future__ import annotations

from lecture.quiz.chapters import backprop, decision_boundary, forward_pass, matrix_algebra
from lecture.quiz.questions import Generator

GENERATORS: dict[str, Generator] = {
    "matrix_algebra": matrix_algebra.questions,
    "forward_pass": forward_pass.questions,
    "backprop": backprop.questions,
    "decision_boundary": decision_boundary.questions,
}
"""The chapters that ask questions, by segment name."""
