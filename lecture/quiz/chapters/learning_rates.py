"""The questions of *Larger and smaller learning rates*, from the sweep ``learning_rates`` the chapter shows.

- ``learning_rates.unstable`` — which rate diverged, or made the cost jump above its start and never settle;
- ``learning_rates.best_accuracy`` — which rate reached the best training accuracy (not the largest);
- ``learning_rates.curve`` — which cost curve is the smallest rate's (a picture per choice);
- ``learning_rates.small_accuracy`` — the smallest rate's final accuracy, in percent.

Every claim ("settles", "zig-zags") is the chapter's own (``scenes/learning_rates.py``: a run settles
when its cost over the last tenth varies by less than 5 % of its final value); the scene module
imports Manim, so its definitions are written again here and ``tests/test_quiz_sweep_chapters.py``
checks that both name the same runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.pictures import cost_axis_top, cost_curve_png, curve_words
from lecture.quiz.questions import PERCENT_TOLERANCE, RunInputs, asked, choice, numeric
from nncore.sweep import SweepEntry
from scenes.common.format import caption_number, caption_percent, caption_setting, count, spoken_list
from scenes.common.model_text import step_word

CHAPTER = "learning_rates"
SWEEP = "learning_rates"

SETTLE_WINDOW = 0.1
"""A run settles when over this last share of its iterations its cost varies by less than :data:`SETTLE_SPREAD`."""
SETTLE_SPREAD = 0.05
"""... of its final value (the chapter's ``settles``)."""

ZIGZAG_SHARE = 0.25
"""A settling run zig-zags when its cost rises after at least this share of its updates (the chapter's)."""

CURVE_CHOICES = 4
"""The most curves the picture question shows."""

# --- what the chapter says of a run -----------------------------------------------------------------


def rate(entry: SweepEntry) -> float:
    """The run's learning rate."""
    return float(entry.config.learning_rate)


def rate_text(entry: SweepEntry) -> str:
    """The rate as the captions write it (``0.01``, ``50``)."""
    return caption_setting(rate(entry))


def rises(cost: np.ndarray) -> int:
    """Updates after which the cost was higher than before."""
    return int(np.count_nonzero(np.diff(np.asarray(cost, dtype=float)) > 0))


def settles(cost: np.ndarray) -> bool:
    """Over the last :data:`SETTLE_WINDOW` of the run the cost varies by less than :data:`SETTLE_SPREAD` of its end."""
    c = np.asarray(cost, dtype=float)  # (T + 1,)
    T = len(c) - 1
    window = c[T - max(int(round(SETTLE_WINDOW * T)), 1) :]
    return bool(np.ptp(window) < SETTLE_SPREAD * abs(c[T]))


def wild(entry: SweepEntry) -> bool:
    """The steps are far too large: the cost climbs above its start and never settles (the run finished)."""
    h = entry.history
    return h is not None and not settles(h.cost) and float(np.nanmax(h.cost)) > float(h.cost[0])


def unstable(entry: SweepEntry) -> bool:
    """The run diverged or is :func:`wild`."""
    return entry.history is None or wild(entry)


def zigzags(entry: SweepEntry) -> bool:
    """The cost rises after at least :data:`ZIGZAG_SHARE` of the updates, yet settles."""
    h = entry.history
    return h is not None and settles(h.cost) and rises(h.cost) >= ZIGZAG_SHARE * h.iterations


def finished(entries: Sequence[SweepEntry]) -> list[SweepEntry]:
    """The runs with a history (not diverged), in the sweep's order."""
    return [e for e in entries if e.history is not None]


def among(entry: SweepEntry, entries: Sequence[SweepEntry]) -> bool:
    """Whether ``entry`` is one of ``entries`` (by identity: entries hold arrays, ``==`` would compare them)."""
    return any(entry is e for e in entries)


def final_accuracy(entry: SweepEntry) -> float:
    """The run's final training accuracy, a fraction (NaN when it diverged)."""
    return entry.final_accuracy


def unit(entries: Sequence[SweepEntry]) -> str:
    """What the runs count: "iteration", or "epoch" on mini-batches."""
    return step_word(entries[0].config)


def describe(entry: SweepEntry, u: str) -> str:
    """One sentence of what the run did, with its numbers (a wrong choice's feedback ends with it)."""
    h = entry.history
    r = rate_text(entry)
    if h is None:
        return f"At {r} training diverged at {u} {entry.diverged_at}: its cost stopped being finite."
    cost, acc = np.asarray(h.cost, dtype=float), caption_percent(float(h.accuracy[-1]))
    if wild(entry):
        peak_at = int(np.nanargmax(cost))
        return (
            f"At {r} the cost jumps from {caption_number(cost[0])} to {caption_number(cost[peak_at])} within "
            f"{count(peak_at, u)} and never settles; it ends at an accuracy of {acc}."
        )
    if zigzags(entry):
        share = 100 * rises(cost) / max(h.iterations, 1)
        return (
            f"At {r} the cost rises after {share:.0f}% of the steps, a zig-zag, yet settles at "
            f"{caption_number(cost[-1])}; accuracy {acc}."
        )
    return f"At {r} the cost goes from {caption_number(cost[0])} to {caption_number(cost[-1])}; accuracy {acc}."


def rates_list(entries: Sequence[SweepEntry]) -> str:
    """The rates as a caption lists them."""
    return spoken_list([rate_text(e) for e in entries])


# --- the questions ----------------------------------------------------------------------------------


def unstable_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which rate diverged (if one did), else which one's cost jumped above its start and never settled.

    The right run is the largest such rate; the choices against it are the runs that settle.
    """
    u, T = unit(entries), max(int(e.config.iterations) for e in entries)
    diverged = [e for e in entries if e.history is None]
    pool = diverged or [e for e in entries if wild(e)]
    if not pool:
        return None
    right = max(pool, key=rate)
    calm = [e for e in entries if not unstable(e)]
    smallest = min(calm, key=rate, default=None)
    wrong = []
    for e in sorted(calm, key=rate, reverse=True):
        if e is smallest:
            why = "Too small a rate is slow, not unstable."
        elif zigzags(e):
            why = "A zig-zag is not instability: the cost still settles."
        else:
            why = "This rate settles."
        wrong.append((rate_text(e), f"{why} {describe(e, u)}"))
    r = rate_text(right)
    if right.history is None:
        prompt = (
            f"The same network was trained for {count(T, u)} at learning rates {rates_list(entries)}. "
            "At which rate did training diverge, its cost no longer finite?"
        )
        why = f"At {r} the steps overshoot so far that the cost stopped being finite at {u} {right.diverged_at}"
    else:
        cost = np.asarray(right.history.cost, dtype=float)
        peak_at = int(np.nanargmax(cost))
        tail = cost[len(cost) - 1 - max(int(round(SETTLE_WINDOW * (len(cost) - 1))), 1) :]
        prompt = (
            f"The same network was trained for {count(T, u)} at learning rates {rates_list(entries)}. "
            "At which rate did the cost jump above its starting value and never settle?"
        )
        why = (
            f"At {r} each step overshoots: within {count(peak_at, u)} the cost jumps from {caption_number(cost[0])} to "
            f"{caption_number(cost[peak_at])}, and over the last tenth of the run it still swings between "
            f"{caption_number(float(np.nanmin(tail)))} and {caption_number(float(np.nanmax(tail)))}"
        )
    return choice(
        f"{CHAPTER}.unstable",
        CHAPTER,
        prompt,
        right=(r, f"Yes. {why}."),
        wrong=wrong,
        explanation=(
            f"Each update moves the weights by the learning rate times the gradient. {why}. "
            f"The other rates among the choices settle: their cost over the last tenth of the run varies by less "
            f"than {100 * SETTLE_SPREAD:.0f}% of where it ends."
        ),
        teaches=run.teaches(CHAPTER, "wild", "verdict"),
    )


def best_accuracy_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which rate reached the best final training accuracy (a tie's other runs are left out of the choices)."""
    done = finished(entries)
    if len(entries) < 2 or not done:
        return None
    u, T = unit(entries), max(int(e.config.iterations) for e in entries)
    top = max(final_accuracy(e) for e in done)
    best = [e for e in done if final_accuracy(e) == top]
    right = best[0]
    largest = max(done, key=rate)
    smallest = min(done, key=rate)
    wrong = []
    for e in entries:
        if among(e, best):
            continue
        if e.history is None:
            why = "This rate is far too large: it has no final accuracy at all."
        elif e is largest:
            why = "The largest rate is not the best: its steps overshoot."
        elif e is smallest:
            why = "Too small: its steps are tiny."
        else:
            why = "Not the best."
        wrong.append((rate_text(e), f"{why} {describe(e, u)}"))
    middle = all(not among(e, best) for e in (largest, smallest))
    tie = [e for e in best if e is not right]
    tied = f", tied with {rates_list(tie)} (not among the choices)" if tie else ""
    contrast = []
    if not among(largest, best):
        contrast.append(
            f"the largest rate that finished, {rate_text(largest)}, reaches {caption_percent(final_accuracy(largest))}"
        )
    if not among(smallest, best):
        contrast.append(f"the smallest, {rate_text(smallest)}, {caption_percent(final_accuracy(smallest))}")
    return choice(
        f"{CHAPTER}.best_accuracy",
        CHAPTER,
        f"After {count(T, u)}, which of these learning rates reached the highest training accuracy?",
        right=(rate_text(right), f"Yes: {caption_percent(top)}{tied}."),
        wrong=wrong,
        explanation=(
            f"The best accuracy, {caption_percent(top)}, is reached at {rates_list(best)}"
            + (f"; {spoken_list(contrast)}" if contrast else "")
            + "."
            + (" A rate between too small and too large learns best." if middle else "")
        ),
        teaches=run.teaches(CHAPTER, "verdict", "boundaries"),
    )


def curve_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """Which cost curve is the smallest rate's: a picture of a run's curve for each choice, on the same axes.

    The other curves: the largest rate's, the lowest final cost's, then the other rates', up to
    :data:`CURVE_CHOICES` in all; a curve that draws the same picture as the right one is left out.
    """
    done = finished(entries)
    if len(done) < 2:
        return None
    u = unit(entries)
    costs = [np.asarray(e.history.cost, dtype=float) for e in done]  # type: ignore[union-attr]
    top = cost_axis_top(costs)
    right = min(done, key=rate)
    lowest = min(done, key=lambda e: e.final_cost)
    order = [max(done, key=rate), lowest, *sorted(done, key=rate)]
    others: list[SweepEntry] = []
    for e in order:
        if e is not right and not among(e, others):
            others.append(e)
    png = {id(e): cost_curve_png(e.history.cost, top, u) for e in [right, *others]}  # type: ignore[union-attr]
    others = [e for e in others if png[id(e)] != png[id(right)]][: CURVE_CHOICES - 1]
    if not others:
        return None
    pictures = {
        rate_text(e): run.picture(f"{CHAPTER}-curve", png[id(e)], curve_words(e.history.cost, top, u))  # type: ignore[union-attr]
        for e in [right, *others]
    }
    c = np.asarray(right.history.cost, dtype=float)  # type: ignore[union-attr]
    low = np.asarray(lowest.history.cost, dtype=float)  # type: ignore[union-attr]
    compare = f"; at {rate_text(lowest)} it reaches {caption_number(low[-1])}" if lowest is not right else ""
    return choice(
        f"{CHAPTER}.curve",
        CHAPTER,
        f"Which cost curve is the run at the smallest learning rate, {rate_text(right)}? Each picture is one run's "
        f"cost against the {u} on a log scale, on the same axes (a cost above the top is drawn at the top).",
        right=(
            rate_text(right),
            f"Yes: tiny steps move the cost little, from {caption_number(c[0])} to {caption_number(c[-1])}.",
        ),
        wrong=[(rate_text(e), f"That is the run at {rate_text(e)}. {describe(e, u)}") for e in others],
        explanation=(
            f"At {rate_text(right)} every step is small, so in {count(len(c) - 1, u)} the cost only falls from "
            f"{caption_number(c[0])} to {caption_number(c[-1])}{compare}."
        ),
        teaches=run.teaches(CHAPTER, "small", "curves"),
        pictures=pictures,
        lettered=True,
    )


def small_accuracy_question(run: RunInputs, entries: Sequence[SweepEntry]) -> Question | None:
    """The smallest finished rate's final training accuracy, in percent."""
    done = finished(entries)
    if not done:
        return None
    small = min(done, key=rate)
    h = small.history
    assert h is not None
    u = unit(entries)
    best = max(done, key=final_accuracy)
    acc = final_accuracy(small)
    than = (
        f"; at {rate_text(best)} the network reaches {caption_percent(final_accuracy(best))}"
        if best is not small
        else ""
    )
    return numeric(
        f"{CHAPTER}.small_accuracy",
        CHAPTER,
        f"At the smallest learning rate, {rate_text(small)}, what share of the {h.m} training points does the network "
        f"classify correctly after {count(h.iterations, u)}? Answer in percent.",
        answer=round(100 * acc, 10),  # 55.75, not 55.750000000000004
        tolerance=PERCENT_TOLERANCE,
        explanation=(
            f"{caption_percent(acc)}: in {count(h.iterations, u)} at {rate_text(small)} the cost only falls from "
            f"{caption_number(h.cost[0])} to {caption_number(h.cost[-1])}{than}."
        ),
        teaches=run.teaches(CHAPTER, "small", "verdict"),
        unit="%",
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions, in the order of the beats that teach them (none without its sweep)."""
    entries = list(run.sweeps.get(SWEEP, ()))
    if not entries:
        return []
    return asked(
        curve_question(run, entries),
        small_accuracy_question(run, entries),
        unstable_question(run, entries),
        best_accuracy_question(run, entries),
    )
