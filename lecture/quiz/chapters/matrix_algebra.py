"""Questions of *The data as matrices*: W1's shape, one unit's z for one point, the shape of Z1.

Every number is the run's: its sizes (``n_x`` inputs, ``n_1`` units in the first hidden layer, ``m``
training points), its first layer's initial weights and its first data point. The wrong choices
are the mistakes of the course's shape exercises: the transposed matrix, a point's column taken for
an input's, the bias's shape for the sum's.
"""

from __future__ import annotations

from lecture.quiz.bank import Question
from lecture.quiz.questions import RunInputs, asked, choice, numeric
from scenes.common.format import caption_number, fmt, vector_text

CHAPTER = "matrix_algebra"


def shape(rows: int, cols: int) -> str:
    """``rows × cols``, as the lecture writes a shape."""
    return f"{rows} × {cols}"


def w1_shape(run: RunInputs) -> Question | None:
    """W1's shape: one row per unit of the first hidden layer, one column per input."""
    h = run.history
    n_x, n_1, m = h.sizes[0], h.sizes[1], h.m
    return choice(
        f"{CHAPTER}.w1_shape",
        CHAPTER,
        f"The first layer has {n_1} hidden units and the network reads {n_x} inputs per data point. "
        f"W1 stacks each hidden unit's weights as one row. What is the shape of W1?",
        (shape(n_1, n_x), f"One row per hidden unit ({n_1}), one column per input ({n_x})."),
        [
            (shape(n_x, n_1), f"That is W1 transposed: its rows are the hidden units, so it has {n_1} rows."),
            (shape(n_1, m), f"That is the shape of W1 X: one column per data point ({m}), not per input."),
            (shape(n_x, m), f"That is the shape of X: the {m} data points as columns."),
        ],
        f"W1 maps the {n_x} inputs to the {n_1} hidden units: {shape(n_1, n_x)}, so that W1 X is "
        f"({shape(n_1, n_x)}) times ({shape(n_x, m)}), which fits because the inner sizes match.",
        run.teaches(CHAPTER, "stack", "shapes"),
    )


def first_z(run: RunInputs) -> Question:
    """The ``z = wᵀx + b`` of hidden unit 1 for data point 1, with the initial weights."""
    h = run.history
    w = h.arrays["W1"][0][0]  # (n_x,)
    b = float(h.arrays["b1"][0][0, 0])
    x = h.X[:, 0]  # (n_x,)
    z = float(w @ x + b)
    # The learner computes with the values as written (three significant digits): the tolerance
    # covers the rounding of what the prompt shows, and 5 % of the answer.
    z_shown = sum(float(fmt(a)) * float(fmt(c)) for a, c in zip(w, x, strict=True)) + float(fmt(b))
    tolerance = max(0.05 * abs(z), 2 * abs(z - z_shown), 5e-5 * max(abs(z), 1e-300))
    return numeric(
        f"{CHAPTER}.first_z",
        CHAPTER,
        f"Hidden unit 1 starts with the weights w = {vector_text(w)} and the bias "
        f"b = {caption_number(b, exact_zero=True)}. "
        f"What is z = wᵀx + b for the first data point, x = {vector_text(x)}?",
        z,
        tolerance,
        f"z = wᵀx + b multiplies each weight by its input and adds the bias: "
        f"{' + '.join(f'({caption_number(a)})({caption_number(c)})' for a, c in zip(w, x, strict=True))}"
        f" + {caption_number(b, exact_zero=True)} ≈ {caption_number(z)}.",
        run.teaches(CHAPTER, "one_unit"),
    )


def z1_shape(run: RunInputs) -> Question | None:
    """The shape of Z1 = W1 X + b1: the bias is broadcast over the points."""
    h = run.history
    n_x, n_1, m = h.sizes[0], h.sizes[1], h.m
    return choice(
        f"{CHAPTER}.z1_shape",
        CHAPTER,
        f"Z1 = W1 X + b1 computes the first layer for all {m} training points at once; b1 is {shape(n_1, 1)}. "
        f"What is the shape of Z1?",
        (shape(n_1, m), "One row per hidden unit, one column per data point; b1 is added to every column."),
        [
            (shape(m, n_1), "That is Z1 transposed: the data points are the columns, as in X."),
            (shape(n_1, 1), f"That is b1's shape; broadcasting adds b1 to each of the {m} columns of W1 X."),
            (shape(n_1, n_x), "That is W1's shape; multiplying by X gives one column per data point."),
        ],
        f"({shape(n_1, n_x)}) times ({shape(n_x, m)}) is {shape(n_1, m)}; adding the column b1 "
        f"({shape(n_1, 1)}) to each column keeps that shape.",
        run.teaches(CHAPTER, "shapes", "broadcast"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions for ``run``."""
    return asked(w1_shape(run), first_z(run), z1_shape(run))
