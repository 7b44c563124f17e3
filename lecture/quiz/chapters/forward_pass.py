"""Questions of *The forward pass*: what the output means, one hidden unit's activation, one point's loss.

They follow the chapter's own point: the first training point the trained network gets right
with at least 95 % confidence (the most confident right one when none is). Every number is the
run's, at its final parameters; the activation is the run's own (tanh, ReLU, leaky ReLU, sigmoid).
The wrong choices are the usual slips: the output probability read as the class, the loss of the
other label, the error ``|a − y|`` taken for the loss.
"""

from __future__ import annotations

import math

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.questions import RunInputs, asked, choice, numeric
from nncore import History
from nncore.network import Trace, activate, forward
from scenes.common.format import caption_number, fmt, vector_text
from scenes.common.model_text import activation

CHAPTER = "forward_pass"


def chosen_point(h: History) -> int:
    """The chapter's point: the first one the trained network gets right with probability >= 0.95."""
    a = forward(h.X, h.net(-1), h.config.activation).A[-1][0]  # (m,)
    y = h.Y[0]
    confidence = np.where(y == 1, a, 1 - a)  # probability of the right class
    sure = np.flatnonzero(confidence >= 0.95)
    return int(sure[0]) if sure.size else int(np.argmax(confidence))


def final_trace(h: History, k: int) -> Trace:
    """The forward pass of training point ``k`` through the trained network (no dropout)."""
    return forward(h.X[:, k : k + 1], h.net(-1), h.config.activation)


def predicted_class(run: RunInputs) -> Question | None:
    """What the output a means: the probability of class 1; the class is 1 when a > 0.5."""
    h = run.history
    k = chosen_point(h)
    a = float(final_trace(h, k).A[-1][0, 0])
    c = int(a > 0.5)
    side = "above" if c else "at most"
    a_text = caption_number(a)
    return choice(
        f"{CHAPTER}.predicted_class",
        CHAPTER,
        f"After training, the network outputs a = σ(z) = {a_text} for training point {k + 1}, "
        f"x = {vector_text(h.X[:, k])}. What does it predict for this point?",
        (f"Class {c}", f"A is the probability of class 1, and {a_text} is {side} 0.5."),
        [
            (f"Class {1 - c}", f"a is the probability of class 1: {a_text} is {side} 0.5, so the class is {c}."),
            (
                f"Class {a_text}",
                "That reads the probability as the class: the class is 0 or 1, and it is 1 when a > 0.5.",
            ),
            ("It cannot tell without the label y", "The prediction never reads the label; only the cost does."),
        ],
        f"The sigmoid's output is the network's probability that the point is of class 1; the "
        f"prediction is class 1 when it is above 0.5. Here a = {a_text}, so class {c}.",
        run.teaches(CHAPTER, "output_trained", "output_initial"),
    )


def hidden_activation(run: RunInputs) -> Question:
    """One first-layer unit's activation g(z) for the chapter's point, with the run's activation g."""
    h = run.history
    k = chosen_point(h)
    z = final_trace(h, k).Z[0][:, 0]  # (n_1,)
    act = activation(h.config)
    # the unit whose z is nearest 0.7 in size: neither saturated nor trivially linear (for ReLU,
    # a negative z when there is one, where the kink matters)
    unit = int(np.argmin(np.abs(np.abs(z) - 0.7)))
    if act.key in ("relu", "leaky_relu") and (z < 0).any():
        unit = int(np.flatnonzero(z < 0)[np.argmin(np.abs(z[z < 0] + 0.7))])
    z_u = float(z[unit])
    z_shown = float(fmt(z_u))
    g = float(activate(np.array([z_shown]), act.key)[0])
    tolerance = max(0.02 * abs(g), 0.005 if act.key != "relu" or g != 0 else 0.001)
    formula = {"tanh": "tanh(z)", "relu": "max(0, z)", "leaky_relu": "max(0.01 z, z)", "sigmoid": "1 / (1 + e^(−z))"}
    return numeric(
        f"{CHAPTER}.hidden_activation",
        CHAPTER,
        f"For training point {k + 1}, hidden unit {unit + 1} of the first layer computes z = {caption_number(z_u)} "
        f"with the trained weights. Its activation is {act.name}: a = {formula[act.key]}. What is a?",
        g,
        tolerance,
        f"a = {formula[act.key].replace('z', caption_number(z_shown))} = {caption_number(g)}.",
        run.teaches(CHAPTER, "hidden_trained", "hidden_initial"),
    )


def loss_point(h: History) -> int:
    """The training point whose right class the trained network gives a probability nearest 0.8.

    Its loss, ``−ln 0.8 ≈ 0.22``, differs from its error ``|a − y| ≈ 0.2`` and from ``a`` at the
    digits shown, which a near-certain point's do not (there all three read ``0.000322``).
    """
    a = forward(h.X, h.net(-1), h.config.activation).A[-1][0]  # (m,)
    right = np.where(h.Y[0] == 1, a, 1 - a)
    return int(np.argmin(np.abs(right - 0.8)))


def point_loss(run: RunInputs) -> Question | None:
    """The log loss of one training point: −(y ln a + (1 − y) ln(1 − a))."""
    h = run.history
    k = loss_point(h)
    a = float(final_trace(h, k).A[-1][0, 0])
    y = int(h.Y[0, k])
    own = -math.log(a) if y == 1 else -math.log1p(-a)
    other = -math.log1p(-a) if y == 1 else -math.log(a)
    if not (math.isfinite(own) and math.isfinite(other)):
        return None
    return choice(
        f"{CHAPTER}.point_loss",
        CHAPTER,
        f"Training point {k + 1} has the label y = {y}, and the trained network outputs a = {caption_number(a)}. "
        f"What is its loss, −(y ln a + (1 − y) ln(1 − a))?",
        (caption_number(own), f"With y = {y} only the term {'ln a' if y else 'ln(1 − a)'} remains."),
        [
            (caption_number(other), f"That is the loss the point would have with the label {1 - y}."),
            (caption_number(abs(a - y)), "That is the error |a − y| that backpropagation starts from, not the loss."),
            (
                caption_number(a),
                "That is the output itself; the loss is the negative log of the right class's probability.",
            ),
        ],
        f"With y = {y} the loss is {'−ln a' if y else '−ln(1 − a)'} = {caption_number(own)}, since the "
        f"network gives the right class a probability of {caption_number(a if y else 1 - a)}; the closer to 1, "
        f"the smaller the loss. The cost J is this loss averaged over the {h.m} points.",
        run.teaches(CHAPTER, "cost"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions for ``run``."""
    return asked(predicted_class(run), hidden_activation(run), point_loss(run))
