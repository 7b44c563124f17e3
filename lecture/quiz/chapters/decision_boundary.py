"""Questions of *Training moves the decision boundary*: which picture is the run at iteration N, its accuracy.

The "which picture" question shows the run's own decision regions (the lecture's boundary raster,
:class:`scenes.common.field.BoundaryField`) at three snapshots: the start, the snapshot where half
of the wrong points have been put right, and the end; the learner picks the middle one. Each
picture's text alternative says what a sighted learner sees (how sure the colours are, how many
points are ringed), so the question can be answered without the picture. With a test set, a
question tells the test accuracy from the training accuracy.
"""

from __future__ import annotations

import numpy as np

from lecture.quiz.bank import Picture, Question
from lecture.quiz.pictures import boundary_png
from lecture.quiz.questions import PERCENT_TOLERANCE, RunInputs, asked, choice, numeric
from nncore import History
from scenes.common.field import BoundaryField
from scenes.common.format import caption_number, caption_percent, count

CHAPTER = "decision_boundary"
PICTURE_PX = 240
"""The side of a boundary picture, in pixels."""


def wrong_points(h: History) -> np.ndarray:
    """Training points on the wrong side at every snapshot, ``(E + 1,)`` int."""
    return np.rint((1 - h.accuracy) * h.m).astype(int)


def describe(field: BoundaryField, h: History, snapshot: int) -> str:
    """A picture's text alternative: how sure its colours are and how many points are ringed."""
    p = field.probabilities(snapshot)
    spread = float(np.abs(p - 0.5).max())
    sure = (
        f"faint colours everywhere (the output stays within {caption_number(spread, 1, bound='up')} of 0.5)"
        if spread < 0.1
        else f"colours {'sharp' if np.mean(np.abs(p - 0.5) > 0.4) > 0.5 else 'soft'} away from the line"
    )
    wrong = int(wrong_points(h)[snapshot])
    return f"Decision regions with {sure}; {wrong} of the {h.m} training points ringed as on the wrong side."


def which_picture(run: RunInputs) -> Question | None:
    """Which of three pictures is the run halfway through putting its wrong points right."""
    h = run.history
    wrong = wrong_points(h)
    T = h.iterations
    half = (wrong[0] + wrong[T]) / 2
    mid = int(np.argmax(wrong <= half)) if (wrong <= half).any() else T
    if not wrong[0] > wrong[mid] > wrong[T]:
        return None
    field = BoundaryField(h, PICTURE_PX, PICTURE_PX, point_radius_px=2.5)
    names = {0: "start", mid: "middle", T: "end"}
    pics: dict[str, Picture] = {}
    for i, label in names.items():
        pics[label] = run.picture(f"{CHAPTER}-{label}", boundary_png(field, i), describe(field, h, i))
    step = "epoch" if h.config.batch_size is not None else "iteration"
    return choice(
        f"{CHAPTER}.which_picture",
        CHAPTER,
        f"These are the run's decision regions at three moments of its {count(T, step)}. Which one is after "
        f"{count(mid, step)}, when {wrong[0] - wrong[mid]} of the {wrong[0]} points that started on the wrong "
        f"side had been put right?",
        ("middle", f"Sharper than at the start, with {wrong[mid]} points still ringed."),
        [
            ("start", f"That is before training: {wrong[0]} points ringed."),
            ("end", f"That is after all {count(T, step)}: only {wrong[T]} points ringed."),
        ],
        f"Training sharpens the colours and moves the boundary until fewer points are on the wrong side: "
        f"{wrong[0]} at first, {wrong[mid]} after {count(mid, step)}, {wrong[T]} at the end.",
        run.teaches(CHAPTER, "early", "late"),
        pictures=pics,
        lettered=True,
    )


def final_accuracy(run: RunInputs) -> Question:
    """The training accuracy after the whole run, in percent."""
    h = run.history
    acc = float(h.accuracy[-1])
    wrong = int(wrong_points(h)[-1])
    step = "epochs" if h.config.batch_size is not None else "iterations"
    return numeric(
        f"{CHAPTER}.final_accuracy",
        CHAPTER,
        f"After {h.iterations} {step}, {wrong} of the {h.m} training points are still on the wrong side "
        f"of the boundary. What is the training accuracy, in percent?",
        100 * acc,
        PERCENT_TOLERANCE,
        f"{h.m - wrong} of {h.m} right: {caption_percent(acc)}.",
        run.teaches(CHAPTER, "result"),
        unit="%",
    )


def test_or_train(run: RunInputs) -> Question | None:
    """Which accuracy says how the network does on points it never trained on (runs with a test set)."""
    h = run.history
    if "test_accuracy" not in h.more:
        return None
    train, test = float(h.accuracy[-1]), float(h.more["test_accuracy"][-1])
    m_test = h.more["X_test"].shape[1]
    return choice(
        f"{CHAPTER}.test_accuracy",
        CHAPTER,
        f"The trained network classifies {caption_percent(train)} of its {h.m} training points and "
        f"{caption_percent(test)} of {m_test} test points correctly. Which number tells how it does on new points?",
        (f"{caption_percent(test)}, the test accuracy", "The test points took no part in training."),
        [
            (
                f"{caption_percent(train)}, the training accuracy",
                "That is measured on the points the weights were fitted to; it flatters the network.",
            ),
            (
                f"{caption_percent((train + test) / 2)}, their average",
                "Mixing in the training points flatters the network; only the test points are new to it.",
            ),
        ],
        f"Training fits the weights to the {h.m} training points; the {m_test} test points, held out, "
        f"show how the network does on points it has not seen: {caption_percent(test)}.",
        run.teaches(CHAPTER, "result"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions for ``run``."""
    return asked(which_picture(run), final_accuracy(run), test_or_train(run))
