"""The questions of *Initialisation*, from the sweep ``initialization`` the chapter shows (one run per first weights).

- ``initialization.symmetric`` — which initialisation keeps every first-layer unit identical to the others
  (read from the history: every snapshot's weight rows and biases);
- ``initialization.infinite_start`` — which run's cost was infinite before training;
- ``initialization.best_accuracy`` — the best run's final test accuracy (training accuracy without a
  test set), in percent.

The chapter's scene (``scenes/initialization.py``) imports Manim, so what it reads of a run is read
again here; ``tests/test_quiz_sweep_chapters.py`` checks both name the same runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.questions import PERCENT_TOLERANCE, RunInputs, asked, choice, numeric
from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.format import caption_number, caption_percent, count, sentence_start, train_test_text
from scenes.common.model_text import step_word

CHAPTER = "initialization"
SWEEP = "initialization"

NAMES: dict[str, str] = {
    "zeros": "zeros",
    "random": "random × 10",
    "he": "He",
    "xavier": "Xavier",
    "course": "random × 0.01",
}
"""Each initialisation as the chapter's cards title it."""

# --- what the chapter reads of a run ----------------------------------------------------------------


def name(entry: SweepEntry) -> str:
    """The run's initialisation as the cards name it."""
    init = str(entry.config.init)
    return NAMES.get(init, init)


def unit_rows(history: History) -> np.ndarray:
    """Each first-layer unit's weights and bias at every snapshot, shape ``(T + 1, n_1, n_x + 1)``."""
    return np.concatenate([history.W1, history.b1], axis=2)


def identical_units(history: History) -> bool:
    """At every snapshot, every unit of the first hidden layer has the same weights and bias as the first one.

    Only a layer of two units or more: one unit is trivially like itself.
    """
    rows = unit_rows(history)
    return rows.shape[1] > 1 and bool((rows == rows[:, :1, :]).all())


def distinct_units(history: History) -> int:
    """How many different weight rows (with bias) the first layer ends with."""
    return int(len(np.unique(unit_rows(history)[-1], axis=0)))


def starts_infinite(history: History) -> bool:
    """The cost before training is infinite (an output saturated at exactly 0 or 1 on a point of the other class)."""
    return math.isinf(float(history.cost[0]))


def test_accuracy(history: History) -> float | None:
    """The final test accuracy (``None`` without a test set)."""
    test = history.more.get("test_accuracy")
    return None if test is None else float(test[-1])


def finished(entries: Sequence[SweepEntry]) -> list[tuple[SweepEntry, History]]:
    """The runs that did not diverge, with their histories, in the sweep's order."""
    return [(e, e.history) for e in entries if e.history is not None]


def unit(entries: Sequence[SweepEntry]) -> str:
    """What the runs count: "iteration", or "epoch" on mini-batches."""
    return step_word(entries[0].config)


# --- the questions ----------------------------------------------------------------------------------


def symmetric_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which initialisation keeps the first layer's units identical through training (zeros: nothing breaks the tie)."""
    done = finished(entries)
    same = [(e, h) for e, h in done if identical_units(h)]
    if not same:
        return None
    right, h = same[0]
    u, T, n1 = unit(entries), h.iterations, int(h.W1.shape[1])
    all_zero = all(not np.any(h.arrays[f"W{layer}"]) for layer in range(1, h.layers + 1))
    wrong = [
        (
            name(e),
            f"Its units start at different weights, so they get different gradients and learn different things: "
            f"after {count(g.iterations, u)} its {g.W1.shape[1]} first-layer units have {distinct_units(g)} different "
            "weight rows.",
        )
        for e, g in done
        if not identical_units(g)
    ]
    wrong.append(
        (
            "none of them: training soon makes the units differ",
            f"Identical units get identical gradients, so gradient descent never separates them: with {name(right)} "
            f"all {n1} units stay identical for the whole run.",
        )
    )
    still = (
        f" Here every weight stays exactly zero: the network gives every point the same probability and ends at "
        f"{caption_percent(float(h.accuracy[-1]))}."
        if all_zero
        else ""
    )
    return choice(
        f"{CHAPTER}.symmetric",
        CHAPTER,
        f"Which initialisation leaves every unit of the first hidden layer with the same weights and bias as every "
        f"other, through all {count(T, u)}?",
        right=(name(right), f"Yes: its {n1} units start identical, get identical gradients and stay identical."),
        wrong=wrong,
        explanation=(
            f"With {name(right)} every unit of the first layer starts at the same weights, so each gets the same "
            f"gradient and takes the same step: the {n1} units stay one unit, {n1} times over.{still}"
        ),
        teaches=run.teaches(CHAPTER, "zeros", "verdict"),
    )


def infinite_start_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which run's cost was infinite before training (weights so large that the output saturates)."""
    done = finished(entries)
    saturated = [(e, h) for e, h in done if starts_infinite(h)]
    if not saturated:
        return None
    right, h = saturated[0]
    u = unit(entries)
    cost = np.asarray(h.cost, dtype=float)
    infinite = np.flatnonzero(np.isinf(cost))
    weight0 = float(np.abs(h.W1[0]).max())
    wrong = [
        (
            name(e),
            f"Its cost starts at {caption_number(float(g.cost[0]))}, finite: no output is exactly 0 or 1 on a "
            "point of the other class.",
        )
        for e, g in done
        if not starts_infinite(g)
    ]
    wrong.append(
        (
            "none of them: a cost is an average of logs of probabilities, always finite",
            "An output of exactly 0 or 1 on a point of the other class makes the log 0, minus infinity: "
            f"with first weights up to {caption_number(weight0)} the {name(right)} run's does.",
        )
    )
    return choice(
        f"{CHAPTER}.infinite_start",
        CHAPTER,
        "Which run's cost was infinite before training began?",
        right=(name(right), f"Yes: its first weights reach {caption_number(weight0)} and saturate the output."),
        wrong=wrong,
        explanation=(
            f"With {name(right)} the weights reach {caption_number(weight0)}: the output saturates at exactly 0 or 1 "
            f"on points of the other class, and the log of 0 is minus infinity. The cost is infinite at "
            f"{count(int(infinite.size), u)}, the last at {u} {int(infinite[-1])}; it ends at "
            f"{caption_number(float(cost[-1]))}."
        ),
        teaches=run.teaches(CHAPTER, "random", "training"),
    )


def best_accuracy_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """The final test accuracy of the run that ends best on the test set (training set without one), in percent."""
    done = finished(entries)
    if not done:
        return None
    u = unit(entries)

    def score(item: tuple[SweepEntry, History]) -> float:
        test = test_accuracy(item[1])
        return float(item[1].accuracy[-1]) if test is None else test

    right, h = max(done, key=score)  # the first of a tie, in the sweep's order
    test, acc = test_accuracy(h), float(h.accuracy[-1])
    if test is None:
        prompt = (
            f"What training accuracy does the {name(right)} run reach after {count(h.iterations, u)}, on its {h.m} "
            "points? Answer in percent."
        )
        answer, told = acc, f"{sentence_start(name(right))} ends at {caption_percent(acc)}, the best of the runs."
    else:
        m_test = int(h.more["Y_test"].shape[1])
        prompt = (
            f"What test accuracy does the {name(right)} run reach after {count(h.iterations, u)}, on the {m_test} "
            "held-out test points? Answer in percent."
        )
        answer = test
        told = (
            f"{sentence_start(name(right))} ends at {train_test_text(acc, test)}, the best of the runs on new points."
        )
        if caption_percent(acc) != caption_percent(test):
            told += f" {caption_percent(acc)} is its training accuracy, on the points it learnt from."
    return numeric(
        f"{CHAPTER}.best_accuracy",
        CHAPTER,
        prompt,
        answer=round(100 * answer, 10),  # 55.0, not 55.00000000000001
        tolerance=PERCENT_TOLERANCE,
        explanation=told,
        teaches=run.teaches(CHAPTER, "verdict", "training"),
        unit="%",
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions, in the order of the beats that teach them (none without its sweep)."""
    entries = list(run.sweeps.get(SWEEP, ()))
    if not entries:
        return []
    return asked(
        infinite_start_question(run, entries),
        symmetric_question(run, entries),
        best_accuracy_question(run, entries),
    )
