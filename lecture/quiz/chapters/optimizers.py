"""The questions of *Optimisers*, from the sweep ``optimizers`` the chapter shows (one run per optimiser).

- ``optimizers.best`` — which optimiser reached the highest final accuracy (the test set's when there is one);
- ``optimizers.bias_correction`` — Adam's bias correction ``1 − β1^t`` at the first update of the
  second epoch (the history's ``adam_correction1``);
- ``optimizers.step_ratio`` — how many times farther Adam moved the weight with the largest first
  gradient than the one with the smallest, over the paths the chapter draws.

The chapter's scene (``scenes/optimizers.py``) imports Manim, so the weights it follows and how far
they moved are read again here, the same way (:func:`chosen_weights`, :func:`moved`);
``tests/test_quiz_sweep_chapters.py`` checks both give the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.questions import RunInputs, asked, choice, numeric
from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.format import caption_number, caption_percent, caption_setting, count, sentence_start, spoken_list
from scenes.common.model_text import OPTIMIZERS, step_word

CHAPTER = "optimizers"
SWEEP = "optimizers"

PATH_EPOCHS = 20
"""The chapter follows two weights over the first this many epochs (at most the shortest run's)."""

CORRECTION_TOLERANCE = 0.005
"""The bias correction is right within this (three decimals)."""


# --- what the chapter reads of a run ----------------------------------------------------------------


def name(entry: SweepEntry) -> str:
    """The optimiser as a caption names it."""
    opt = str(entry.config.optimizer)
    return OPTIMIZERS.get(opt, opt)


def score(history: History) -> float:
    """The run's final accuracy as the chapter ranks it: the test set's, else the training set's."""
    test = history.more.get("test_accuracy")
    return float(history.accuracy[-1] if test is None else test[-1])


def finished(entries: Sequence[SweepEntry]) -> list[tuple[SweepEntry, History]]:
    """The runs that did not diverge, with their histories, in the sweep's order."""
    return [(e, e.history) for e in entries if e.history is not None]


def chosen_weights(history: History) -> tuple[tuple[int, int], tuple[int, int]]:
    """The first layer's weights with the largest and the smallest nonzero gradient in the first update.

    With one nonzero gradient (or none), the second is the next weight in order. ``(row, column)`` from 0.
    """
    g = np.abs(history.dW1[0])  # (n_1, n_x)
    flat = g.ravel()
    a = int(np.argmax(flat))
    others = [k for k in np.argsort(flat, kind="stable") if k != a and flat[k] > 0]
    b = int(others[0]) if others else (a + 1) % flat.size
    cols = g.shape[1]
    return (a // cols, a % cols), (b // cols, b % cols)


def moved(history: History, weights: Sequence[tuple[int, int]], epochs: int) -> tuple[float, float]:
    """How far each of the two weights moved from its start to snapshot ``epochs`` (signed)."""
    (r0, c0), (r1, c1) = weights
    W = history.W1  # (E + 1, n_1, n_x)
    return float(W[epochs, r0, c0] - W[0, r0, c0]), float(W[epochs, r1, c1] - W[0, r1, c1])


def ratio(distances: tuple[float, float]) -> float:
    """How many times farther the first weight moved than the second (infinite if the second did not move)."""
    a, b = abs(distances[0]), abs(distances[1])
    return a / b if b else float("inf")


def weight_text(weight: tuple[int, int]) -> str:
    """A first-layer weight as a caption writes it, from 1: ``W1[3,1]``."""
    return f"W1[{weight[0] + 1},{weight[1] + 1}]"


def unit(entries: Sequence[SweepEntry]) -> str:
    """What the runs count: "epoch" on mini-batches, else "iteration"."""
    return step_word(entries[0].config)


# --- the questions ----------------------------------------------------------------------------------


def best_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which optimiser reached the highest final accuracy (the others tied with it are left out of the choices)."""
    done = finished(entries)
    if len(entries) < 2 or not done:
        return None
    u, T = unit(entries), max(h.iterations for _, h in done)
    top = max(score(h) for _, h in done)
    best = [e for e, h in done if score(h) == top]
    right = best[0]
    test = right.history is not None and "test_accuracy" in right.history.more
    on = "test accuracy" if test else "training accuracy"
    wrong = []
    for e in entries:
        if any(e is b for b in best):
            continue
        h = e.history
        if h is None:
            wrong.append((name(e), f"{sentence_start(name(e))} diverged at {u} {e.diverged_at}: it has no accuracy."))
        else:
            wrong.append(
                (
                    name(e),
                    f"{sentence_start(name(e))} ends at {caption_percent(score(h))}, below {caption_percent(top)}.",
                )
            )
    tie = [e for e in best if e is not right]
    tied = f", tied with {spoken_list([name(e) for e in tie])} (not among the choices)" if tie else ""
    listed = "; ".join(f"{name(e)}, {caption_percent(score(h))}" for e, h in done)
    lr = caption_setting(float(entries[0].config.learning_rate))
    data = "on the same mini-batches" if entries[0].config.batch_size is not None else "on the same data"
    return choice(
        f"{CHAPTER}.best",
        CHAPTER,
        f"The same network from the same start, {data}, at learning rate {lr}: which optimiser reached the highest "
        f"{on} after {count(T, u)}?",
        right=(name(right), f"Yes: {caption_percent(top)}{tied}."),
        wrong=wrong,
        explanation=f"After {count(T, u)}: {listed}. Only the update differs between the runs.",
        teaches=run.teaches(CHAPTER, "verdict", "training"),
    )


def bias_correction_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Adam's ``1 − β1^t`` at the first update of the second epoch, read from the history (``adam_correction1[1]``)."""
    adam = next((h for e, h in finished(entries) if e.config.optimizer == "adam"), None)
    if adam is None or adam.iterations < 2 or "adam_correction1" not in adam.more:
        return None
    cfg = adam.config
    t = int(adam.more["adam_t"][1]) + 1  # updates done before epoch 2's first, plus it
    c1 = float(f"{float(adam.more['adam_correction1'][1]):.12g}")  # 0.468559, not 0.46855899999999995
    beta1 = caption_setting(float(cfg.beta1))
    B = adam.batches_per_epoch
    per_epoch = (
        f"With {adam.m} points in mini-batches of {cfg.batch_size}, each epoch makes {count(B, 'update')}"
        if cfg.batch_size is not None
        else "Each iteration makes one update, on the whole training set"
    )
    return numeric(
        f"{CHAPTER}.bias_correction",
        CHAPTER,
        f"Adam divides its running average of the gradients by 1 − β1^t before each step, t counting the updates "
        f"from 1 (β1 = {beta1}). {per_epoch}. What is 1 − β1^t at the first update of the second "
        f"{'epoch' if cfg.batch_size is not None else 'iteration'}? Three decimals.",
        answer=c1,
        tolerance=CORRECTION_TOLERANCE,
        explanation=(
            f"It is update t = {t}, so 1 − {beta1}^{t} = {caption_number(c1)}. The running average starts at zero, "
            f"so after {count(t, 'update')} it holds only {caption_number(c1)} of the gradients' weight; dividing by "
            "it undoes that bias. It tends to 1 as t grows."
        ),
        teaches=run.teaches(CHAPTER, "paths", "steps"),
    )


def step_ratio_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """How many times farther Adam moved the weight with the largest first gradient than the smallest one's.

    The wrong choices: a gradient-following optimiser's ratio, the ratio of the two first gradients,
    and "the same distance".
    """
    done = finished(entries)
    adam = next(((e, h) for e, h in done if e.config.optimizer == "adam"), None)
    plain = next(((e, h) for e, h in done if e.config.optimizer != "adam"), None)
    if adam is None:
        return None
    first = done[0][1]
    weights = chosen_weights(first)
    epochs = min(PATH_EPOCHS, min(h.iterations for _, h in done))
    if epochs < 1:
        return None
    a, b = weight_text(weights[0]), weight_text(weights[1])
    g = (float(first.dW1[0][weights[0]]), float(first.dW1[0][weights[1]]))
    grad_ratio = ratio(g)
    adam_ratio = ratio(moved(adam[1], weights, epochs))
    if not (np.isfinite(adam_ratio) and np.isfinite(grad_ratio)):
        return None
    u = unit(entries)

    def times(x: float) -> str:
        return f"about {caption_number(x, 2)} times as far"

    wrong = [
        (
            times(grad_ratio),
            f"That is the ratio of their first gradients, {caption_number(abs(g[0]))} and {caption_number(abs(g[1]))}. "
            "Adam divides each step by the root of the weight's own average squared gradient, so a gradient's size "
            "mostly cancels.",
        ),
        (
            "the same distance",
            f"Adam evens out the steps, not exactly: {a} moved {caption_number(adam_ratio, 2)} times as far.",
        ),
    ]
    against = ""
    if plain is not None:
        plain_ratio = ratio(moved(plain[1], weights, epochs))
        if np.isfinite(plain_ratio):
            wrong.insert(
                0,
                (
                    times(plain_ratio),
                    f"That is {name(plain[0])}: each of its steps follows the gradient, so the weight with the small "
                    "gradient barely moves.",
                ),
            )
            against = f", against {caption_number(plain_ratio, 2)} under {name(plain[0])}"
    return choice(
        f"{CHAPTER}.step_ratio",
        CHAPTER,
        f"In the first update, {a} had the largest gradient of the first layer and {b} the smallest, "
        f"{caption_number(grad_ratio, 2)} times smaller. Over the first {count(epochs, u)}, how far did Adam move "
        f"{a}, compared with {b}?",
        right=(times(adam_ratio), "Yes: Adam scales each weight's step by that weight's own gradients."),
        wrong=wrong,
        explanation=(
            f"Adam moved {a} by {caption_number(abs(moved(adam[1], weights, epochs)[0]))} and {b} by "
            f"{caption_number(abs(moved(adam[1], weights, epochs)[1]))}: {caption_number(adam_ratio, 2)} times as far"
            f"{against}. Adam divides each step by the root of the weight's own average squared gradient: a first "
            f"gradient {caption_number(grad_ratio, 2)} times smaller, a move only {caption_number(adam_ratio, 2)} "
            "times smaller."
        ),
        teaches=run.teaches(CHAPTER, "steps", "paths"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions, in the order of the beats that teach them (none without its sweep)."""
    entries = list(run.sweeps.get(SWEEP, ()))
    if not entries:
        return []
    return asked(
        bias_correction_question(run, entries),
        step_ratio_question(run, entries),
        best_question(run, entries),
    )
