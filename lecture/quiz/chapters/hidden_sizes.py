"""The questions of *More or fewer hidden units*, from the sweep ``hidden_sizes`` the chapter shows.

- ``hidden_sizes.boundary`` — which decision boundary is the smallest network's (a picture per choice);
- ``hidden_sizes.more_units`` — whether the largest network beats the best smaller one on the training set;
- ``hidden_sizes.best`` — which size reached the highest training accuracy;
- ``hidden_sizes.best_test`` — which size generalises best, with a test set only (the best on the
  training set is the wrong choice it is mistaken for).

The chapter's groups of sizes (``few``: 1 to 2 units, ``enough``: 3 to 5, ``more``: 6 and up) are
its beats; a question teaches in the beat of the sizes it asks about.
"""

from __future__ import annotations

from collections.abc import Sequence

from lecture.quiz.bank import Question
from lecture.quiz.pictures import boundary_field, boundary_png, boundary_words, shared_extent
from lecture.quiz.questions import RunInputs, asked, choice
from nncore import History
from nncore.sweep import SweepEntry
from scenes.common.format import caption_percent, count, spoken_list
from scenes.common.model_text import step_word

CHAPTER = "hidden_sizes"
SWEEP = "hidden_sizes"

GROUPS = (("few", 1, 2), ("enough", 3, 5), ("more", 6, None))
"""The chapter's kinds of hidden-layer size: (beat, smallest, largest ``n_h``; ``None``: no limit)."""

BOUNDARY_CHOICES = 4
"""The most boundaries the picture question shows."""

WRONG_SIZES = 3
"""The wrong choices of the "which size" questions: the largest, the smallest, the runner-up."""

UNDERFIT = 0.05
"""A size "underfits" when it ends more than this (a fraction: 5 points) below the best (the chapter's)."""


def units(history: History) -> int:
    """The hidden layer's size."""
    return int(history.W1.shape[1])


def units_text(n: int) -> str:
    """``1 unit``, ``5 units``."""
    return count(n, "unit")


def group_beat(n: int) -> str:
    """The chapter's beat about networks of ``n`` hidden units."""
    return next(beat for beat, lo, hi in GROUPS if n >= lo and (hi is None or n <= hi))


def test_accuracy(history: History) -> float | None:
    """The final test accuracy (``None`` without a test set)."""
    test = history.more.get("test_accuracy")
    return None if test is None else float(test[-1])


def finished(entries: Sequence[SweepEntry]) -> list[History]:
    """The runs' histories (a diverged run has none), in the sweep's order."""
    return [e.history for e in entries if e.history is not None]


def best_run(runs: Sequence[History], key: str = "train") -> History:
    """The run with the highest final accuracy (``key`` "train" or "test"), the fewest units among ties."""

    def score(h: History) -> float:
        t = test_accuracy(h)
        return float(h.accuracy[-1]) if key == "train" or t is None else t

    return max(sorted(runs, key=units), key=score)


# --- the questions ----------------------------------------------------------------------------------


def best_question(run: RunInputs, runs: Sequence[History]) -> Question | None:
    """Which size reached the highest final training accuracy; wrong: the largest, the smallest, the runners-up."""
    if len(runs) < 2:
        return None
    right = best_run(runs)
    top = float(right.accuracy[-1])
    others = [h for h in runs if float(h.accuracy[-1]) < top]  # a size tied with the best is not a wrong choice
    if not others:
        return None
    largest, smallest = max(others, key=units), min(others, key=units)
    by_accuracy = sorted(sorted(others, key=units), key=lambda h: -float(h.accuracy[-1]))
    picked: list[History] = []
    for h in (largest, smallest, *by_accuracy):  # the largest, the smallest, then the runners-up
        if not any(h is p for p in picked):
            picked.append(h)
    wrong = []
    for h in picked[:WRONG_SIZES]:
        acc = caption_percent(float(h.accuracy[-1]))
        if h is largest and units(h) > units(right):
            why = f"More units do not always fit better: with {units_text(units(h))} it ends at {acc}."
        elif h is smallest and top - float(h.accuracy[-1]) > UNDERFIT:
            why = f"Too few units underfit: with {units_text(units(h))} it ends at {acc}."
        else:
            why = f"Close, but with {units_text(units(h))} it ends at {acc}."
        wrong.append((units_text(units(h)), why))
    tie = [h for h in runs if float(h.accuracy[-1]) == top and h is not right]
    tied = f", tied with {spoken_list([units_text(units(h)) for h in tie])} (not among the choices)" if tie else ""
    listed = ", ".join(f"{units_text(units(h))} {caption_percent(float(h.accuracy[-1]))}" for h in runs)
    return choice(
        f"{CHAPTER}.best",
        CHAPTER,
        f"The same network was trained with {spoken_list([str(units(h)) for h in runs])} hidden units for "
        f"{count(right.iterations, step_word(right.config))}. Which size reached the highest training accuracy?",
        right=(units_text(units(right)), f"Yes: {caption_percent(top)}{tied}."),
        wrong=wrong,
        explanation=f"The final training accuracies: {listed}. The best is {units_text(units(right))}{tied}.",
        teaches=run.teaches(CHAPTER, "table", group_beat(units(right))),
    )


def best_test_question(run: RunInputs, runs: Sequence[History]) -> Question | None:
    """With a test set: which size classifies the test points best; the best on the training set is a wrong choice."""
    tested = [(h, t) for h in runs if (t := test_accuracy(h)) is not None]
    if len(tested) < 2:
        return None
    test = {id(h): t for h, t in tested}
    right = best_run([h for h, _ in tested], "test")
    top = test[id(right)]
    train_best = best_run([h for h, _ in tested])
    below = sorted((h for h, t in tested if t < top), key=lambda h: h is not train_best)  # the training's best first
    wrong = []
    for h in below[:WRONG_SIZES]:
        acc, on_test = caption_percent(float(h.accuracy[-1])), caption_percent(test[id(h)])
        why = (
            f"It only looks best on the training set, {acc}; on the test points it ends at {on_test}."
            if h is train_best
            else f"It ends at {on_test} on the test points ({acc} on the training set)."
        )
        wrong.append((units_text(units(h)), why))
    listed = ", ".join(f"{units_text(units(h))} {caption_percent(t)}" for h, t in tested)
    return choice(
        f"{CHAPTER}.best_test",
        CHAPTER,
        f"Which size classifies the {right.more['Y_test'].shape[1]} held-out test points best?",
        right=(units_text(units(right)), f"Yes: {caption_percent(top)} on the test points."),
        wrong=wrong,
        explanation=(
            f"The final test accuracies: {listed}. Points a network never trained on tell what it learnt; its "
            "training points flatter it."
        ),
        teaches=run.teaches(CHAPTER, "table", group_beat(units(right))),
    )


def boundary_question(run: RunInputs, runs: Sequence[History]) -> Question | None:
    """Which final boundary is the smallest network's; the others: the largest's, the best's, other groups' sizes'."""
    if len(runs) < 2:
        return None
    extent = shared_extent(runs)
    right = min(runs, key=units)
    # the largest, the best, then the smallest of the other groups: a size of the same group draws
    # much the same boundary (2 units' is nearly 1 unit's line), so it comes last
    beat = group_beat(units(right))
    rest = sorted(runs, key=lambda h: (group_beat(units(h)) == beat, units(h)))
    order = [max(runs, key=units), best_run(runs), *rest]
    others: list[History] = []
    for h in order:
        if h is not right and not any(h is o for o in others):
            others.append(h)
    fields = {id(h): boundary_field(h, extent) for h in [right, *others[:BOUNDARY_CHOICES]]}
    png = {k: boundary_png(f, f.history.iterations) for k, f in fields.items()}
    others = [h for h in others if id(h) in png and png[id(h)] != png[id(right)]][: BOUNDARY_CHOICES - 1]
    if not others:
        return None
    pictures = {
        units_text(units(h)): run.picture(
            f"{CHAPTER}-boundary", png[id(h)], boundary_words(fields[id(h)], h.iterations)
        )
        for h in [right, *others]
    }
    n = units(right)
    line = " One tanh unit can only draw a straight boundary." if n == 1 and right.config.activation == "tanh" else ""
    acc = caption_percent(float(right.accuracy[-1]))
    return choice(
        f"{CHAPTER}.boundary",
        CHAPTER,
        f"Which decision boundary did the network with {count(n, 'hidden unit')} draw, after "
        f"{count(right.iterations, step_word(right.config))}? Red is class 0, blue class 1; the dots are the "
        "training points, ringed when on the wrong side.",
        right=(units_text(n), f"Yes: it classifies {acc} of the training points correctly.{line}"),
        wrong=[
            (
                units_text(units(h)),
                f"That is the network with {units_text(units(h))}: it classifies "
                f"{caption_percent(float(h.accuracy[-1]))} of the training points correctly.",
            )
            for h in others
        ],
        explanation=f"With {units_text(n)} the network classifies {acc} of the training points correctly.{line}",
        teaches=run.teaches(CHAPTER, group_beat(n), "table"),
        pictures=pictures,
        lettered=True,
    )


def more_units_question(run: RunInputs, runs: Sequence[History]) -> Question | None:
    """How the largest network's training accuracy compares with the best smaller one's: higher, the same, lower."""
    if len(runs) < 2:
        return None
    big = max(runs, key=units)
    smaller = [h for h in runs if units(h) < units(big)]
    ref = best_run(smaller)
    a, b = float(big.accuracy[-1]), float(ref.accuracy[-1])
    big_text, ref_text = units_text(units(big)), units_text(units(ref))
    numbers = f"with {big_text} it ends at {caption_percent(a)}, with {ref_text} at {caption_percent(b)}"
    outcomes = {"higher": "Higher", "same": "The same", "lower": "Lower"}
    said = "higher" if a > b else "lower" if a < b else "same"
    feedback = {
        "higher": f"More units do not always fit the training points better: {numbers}.",
        "same": f"Not the same: {numbers}.",
        "lower": f"More units did not hurt here: {numbers}.",
    }
    return choice(
        f"{CHAPTER}.more_units",
        CHAPTER,
        f"Compared with the best of the smaller networks ({ref_text}), what training accuracy does the largest "
        f"network, with {big_text}, reach?",
        right=(outcomes[said], f"Yes: {numbers}."),
        wrong=[(outcomes[k], feedback[k]) for k in ("higher", "same", "lower") if k != said],
        explanation=(
            f"{numbers[0].upper()}{numbers[1:]}."
            + (" More units buy no accuracy here." if a <= b else " Here the extra units do buy some accuracy.")
        ),
        teaches=run.teaches(CHAPTER, group_beat(units(big)), "table"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions, in the order of the beats that teach them (none without its sweep)."""
    runs = finished(run.sweeps.get(SWEEP, ()))
    if not runs:
        return []
    return asked(
        boundary_question(run, runs),
        more_units_question(run, runs),
        best_question(run, runs),
        best_test_question(run, runs),
    )
