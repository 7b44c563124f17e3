"""The questions of *Regularisation*, from the sweeps ``regularization`` (lambda) and ``dropout`` the chapter shows.

- ``regularization.overfit`` — what the unregularised run's test accuracy does while its training
  accuracy climbs;
- ``regularization.peak`` — the iteration at which that test accuracy first reaches its peak;
- ``regularization.best_test`` — which run ends with the best test accuracy (not the best training one);
- ``regularization.l2_term`` — what L2 adds to the cost, ``λ/(2m) ΣW²`` with the run's λ and m (the
  wrong choices forget the ``1/m``, the ``½``, or both).

The two sweeps are one run with a test set, trained with and without each regularisation; the
chapter reads ``regularization``'s runs, then ``dropout``'s. Its scene imports Manim, so its
"falls" (the test accuracy ends at least a point below its peak) is written again here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.questions import RunInputs, asked, choice, numeric
from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.format import caption_number, caption_percent, caption_setting, count, spoken_list
from scenes.common.model_text import step_word

CHAPTER = "regularization"
SWEEPS = ("regularization", "dropout")
"""The sweeps the chapter reads: lambda's, then the keep probability's."""

FALL = 0.01
"""A test accuracy "falls" when it ends at least this far (a fraction) below its peak (the chapter's)."""


# --- what the chapter reads of a run ----------------------------------------------------------------


def name(entry: SweepEntry) -> str:
    """The run as a caption names it: "no regularisation", "L2 regularisation of lambda 1", "dropout keeping 50%..."."""
    cfg = entry.config
    parts = []
    if cfg.l2 > 0:
        parts.append(f"L2 regularisation of lambda {caption_setting(cfg.l2)}")
    if cfg.keep_prob < 1:
        parts.append(f"dropout keeping {caption_percent(cfg.keep_prob)} of the hidden units")
    return " and ".join(parts) or "no regularisation"


def plain(entry: SweepEntry) -> bool:
    """The run has no regularisation."""
    return entry.config.l2 == 0 and entry.config.keep_prob == 1


def test_curve(history: History) -> np.ndarray:
    """The test accuracy at every snapshot, shape ``(T + 1,)``."""
    return np.asarray(history.more["test_accuracy"], dtype=float)


def peak_at(history: History) -> int:
    """The snapshot at which the test accuracy first reaches its highest value."""
    return int(np.argmax(test_curve(history)))


def l2_coefficient(l2: float, m: int) -> float:
    """``λ / (2m)``: what multiplies the sum of every squared weight in the cost."""
    return l2 / (2 * m)


def squared_weights(history: History, i: int) -> float:
    """``Σ_l ‖W^[l]‖²`` at snapshot ``i``: every weight of every layer, squared and summed."""
    return float(sum(np.sum(history.arrays[f"W{layer}"][i] ** 2) for layer in range(1, history.layers + 1)))


def runs(run: RunInputs) -> list[tuple[SweepEntry, History]]:
    """The chapter's finished runs with their histories: lambda's sweep, then dropout's, each in its order.

    Only runs with a test set: the chapter is about the test accuracy.
    """
    entries = [e for sweep in SWEEPS for e in run.sweeps.get(sweep, ())]
    return [(e, e.history) for e in entries if e.history is not None and "test_accuracy" in e.history.more]


# --- the questions ----------------------------------------------------------------------------------


def overfit_question(run: RunInputs, done: Sequence[tuple[SweepEntry, History]]) -> Question | None:
    """What the unregularised run's test accuracy does while its training accuracy climbs."""
    item = next(((e, h) for e, h in done if plain(e)), None)
    if item is None:
        return None
    e, h = item
    test = test_curve(h)
    train, end, peak = float(h.accuracy[-1]), float(test[-1]), float(test.max())
    m = h.m
    falls = peak - end >= FALL
    rise = (
        f"It rises with it to {caption_percent(train)}",
        f"That is the training accuracy, on the {m} points the network learnt from: on new points it ends at "
        f"{caption_percent(end)}.",
    )
    if falls:
        right = (
            f"It peaks at {caption_percent(peak)}, then falls to {caption_percent(end)}",
            f"Yes: the network learns the noise of its {m} points.",
        )
        wrong = [
            rise,
            (
                f"It climbs to {caption_percent(peak)} and stays there",
                f"The peak is not the end: it falls to {caption_percent(end)} as the network fits the noise of its "
                f"{m} points.",
            ),
        ]
        why = (
            f"Without regularisation the training accuracy reaches {caption_percent(train)}, while the test accuracy "
            f"peaks at {caption_percent(peak)} and falls to {caption_percent(end)}: the network learns the noise of "
            f"its {m} training points, not what holds on new ones."
        )
    else:
        right = (
            f"It ends at {caption_percent(end)}, near its peak of {caption_percent(peak)}",
            "Yes: this run does not overfit.",
        )
        wrong = [
            rise,
            (
                f"It peaks at {caption_percent(peak)}, then falls far below it",
                f"It ends at {caption_percent(end)}, less than {100 * FALL:g} point below its peak.",
            ),
        ]
        why = (
            f"The training accuracy reaches {caption_percent(train)}; the test accuracy ends at "
            f"{caption_percent(end)}, near its peak of {caption_percent(peak)}: this run does not overfit."
        )
    if caption_percent(train) == caption_percent(end):
        wrong = wrong[1:]  # "rises with it" would be true
    return choice(
        f"{CHAPTER}.overfit",
        CHAPTER,
        f"Without regularisation, the network's training accuracy climbs to {caption_percent(train)} over "
        f"{count(h.iterations, step_word(e.config))}. What does its accuracy on the "
        f"{h.more['Y_test'].shape[1]} test points do?",
        right=right,
        wrong=wrong,
        explanation=why,
        teaches=run.teaches(CHAPTER, "overfit", "training"),
    )


def peak_question(run: RunInputs, done: Sequence[tuple[SweepEntry, History]]) -> Question | None:
    """The iteration at which the unregularised run's test accuracy first reaches its peak (only if it then falls)."""
    item = next(((e, h) for e, h in done if plain(e)), None)
    if item is None:
        return None
    e, h = item
    test = test_curve(h)
    at, peak, end = peak_at(h), float(test.max()), float(test[-1])
    if peak - end < FALL:
        return None
    u = step_word(e.config)
    share = 100 * at / max(h.iterations, 1)
    return numeric(
        f"{CHAPTER}.peak",
        CHAPTER,
        f"Without regularisation, at which {u} (of {h.iterations}) does the test accuracy first reach its peak?",
        answer=at,
        tolerance=0,
        explanation=(
            f"At {u} {at} ({share:.1f}% of the way) it reaches {caption_percent(peak)}; from then on the extra "
            f"{u}s fit the noise of the {h.m} training points, and it falls to {caption_percent(end)}."
        ),
        teaches=run.teaches(CHAPTER, "overfit", "training"),
    )


def best_test_question(run: RunInputs, done: Sequence[tuple[SweepEntry, History]]) -> Question | None:
    """Which run ends with the best test accuracy; the others (the best on the training set among them) are wrong."""
    if len(done) < 2:
        return None
    top = max(float(test_curve(h)[-1]) for _, h in done)
    best = [(e, h) for e, h in done if float(test_curve(h)[-1]) == top]
    right, rh = best[0]
    train_top = max(float(h.accuracy[-1]) for _, h in done)
    wrong = []
    for e, h in done:
        if any(e is b for b, _ in best):
            continue
        acc, test = caption_percent(float(h.accuracy[-1])), caption_percent(float(test_curve(h)[-1]))
        if float(h.accuracy[-1]) == train_top:
            why = f"It only looks better on the training set: {acc} there, but {test} on new points."
        else:
            why = f"It ends at {test} on the test set ({acc} on the training set)."
        wrong.append((name(e), why))
    tie = [e for e, _ in best if e is not right]
    tied = f", tied with {spoken_list([name(e) for e in tie])} (not among the choices)" if tie else ""
    listed = "; ".join(f"{name(e)}, {caption_percent(float(test_curve(h)[-1]))}" for e, h in done)
    return choice(
        f"{CHAPTER}.best_test",
        CHAPTER,
        f"Which run classifies the {rh.more['Y_test'].shape[1]} test points best at the end of training?",
        right=(name(right), f"Yes: {caption_percent(top)} on the test set{tied}."),
        wrong=wrong,
        explanation=(
            f"On the test set: {listed}. What a network learnt shows on points it did not train on, not on its "
            "training points."
        ),
        teaches=run.teaches(CHAPTER, "verdict", "remedies"),
    )


def l2_term_question(run: RunInputs, done: Sequence[tuple[SweepEntry, History]]) -> Question | None:
    """What L2 adds to the cost, with the run's λ and m; the wrong choices forget the 1/m, the ½, or both."""
    item = next(((e, h) for e, h in done if e.config.l2 > 0), None)
    if item is None:
        return None
    e, h = item
    lam, m = float(e.config.l2), h.m
    lam_text = caption_setting(lam)

    def term(divisor: int) -> str:
        return f"({lam_text}/{divisor}) × ΣW²" if divisor != 1 else f"{lam_text} × ΣW²"

    T = h.iterations
    penalty = squared_weights(h, T) * l2_coefficient(lam, m)
    end = (
        f" At the end of training ΣW² = {caption_number(squared_weights(h, T))}, so it adds "
        f"{caption_number(penalty)} to the cost of {caption_number(float(h.cost[-1]))}."
    )
    return choice(
        f"{CHAPTER}.l2_term",
        CHAPTER,
        f"With L2 regularisation of lambda {lam_text} on the {m} training points, what does the regularisation add "
        "to the cost? (ΣW² sums the square of every weight of every layer.)",
        right=(term(2 * m), f"Yes: λ/(2m) = {lam_text}/(2 × {m}) = {caption_number(l2_coefficient(lam, m))}."),
        wrong=[
            (term(m), f"That forgets the ½: λ/m = {lam_text}/{m} is what the gradient dW gains per weight."),
            (term(2), f"That forgets the 1/m: the penalty is averaged over the {m} points, like the cross-entropy."),
            (term(1), "That forgets both the ½ and the 1/m."),
        ],
        explanation=(
            f"The course's L2 term is λ/(2m) ΣW², here ({lam_text}/{2 * m}) × ΣW² = "
            f"{caption_number(l2_coefficient(lam, m))} × ΣW²; its gradient adds λ/m W to dW.{end}"
        ),
        teaches=run.teaches(CHAPTER, "remedies", "verdict"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions, in the order of the beats that teach them (none without its sweeps)."""
    done = runs(run)
    if not done:
        return []
    return asked(
        overfit_question(run, done),
        peak_question(run, done),
        l2_term_question(run, done),
        best_test_question(run, done),
    )
